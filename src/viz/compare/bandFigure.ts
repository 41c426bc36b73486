/**
 * Compare mode's curves: per model, the mean +- sd band over seeds of one metric (train or test
 * loss or accuracy) against the step, on one canvas with its axes (see canvasAxes.ts). Losses
 * can be drawn on a log axis (linear in log10, ticks 10^k), as on the single-run chart.
 */
import type { CompareMetricPoint } from '../../core/compare/summary';
import { meanSdBand, type BandPoint } from '../../core/stats/summary';
import { decadeTicks, linearTicks, type AxesSpec } from '../canvasAxes';
import { scale, type ContentContext } from '../framedChart';
import { ACC_RANGE, linearRange, logRange, lossY } from '../figures/lossFigure';
import { extent, stepRange, type Range } from '../niceRange';

export type BandMetric = 'loss' | 'acc';
export type BandSplit = 'train' | 'test';
export type BandKey = 'trainLoss' | 'testLoss' | 'trainAcc' | 'testAcc';

export function bandKey(metric: BandMetric, split: BandSplit): BandKey {
  return `${split}${metric === 'loss' ? 'Loss' : 'Acc'}`;
}

/** What the band chart needs of a run. */
export interface BandRun {
  model: string;
  seed: number;
  history: readonly CompareMetricPoint[];
}

export interface ModelBand {
  model: string;
  color: string;
  points: BandPoint[];
  /** The model's runs, for the per-seed read-out. */
  runs: BandRun[];
}

/** One band per model (in the given order), over that model's runs. */
export function modelBands(runs: readonly BandRun[], models: readonly string[], key: BandKey, colorOf: (m: string) => string): ModelBand[] {
  return models.map((model) => {
    const mine = runs.filter((r) => r.model === model);
    const points = meanSdBand(mine.map((r) => r.history.map((p) => ({ step: p.step, value: p[key] }))));
    return { model, color: colorOf(model), points, runs: mine };
  });
}

export interface BandRanges {
  x: Range;
  y: Range;
  metric: BandMetric;
  logScale: boolean;
}

/** Axis ranges for the bands (mean +- sd), kept from `prev` while they still fit. */
export function bandRanges(bands: readonly ModelBand[], metric: BandMetric, logScale: boolean, prev: BandRanges | null): BandRanges {
  const log = metric === 'loss' && logScale;
  const keep = prev && prev.metric === metric && prev.logScale === log ? prev : null;
  let maxStep = 0;
  const ys: (number | null)[] = [];
  for (const b of bands) {
    for (const p of b.points) {
      maxStep = Math.max(maxStep, p.step);
      if (metric === 'loss') ys.push(lossY(p.mean, log), lossY(p.mean + p.sd, log), log ? null : Math.max(0, p.mean - p.sd));
    }
  }
  const x = stepRange(keep?.x ?? null, maxStep);
  let y: Range = ACC_RANGE;
  if (metric === 'loss') {
    const e = extent(ys);
    y = e ? (log ? logRange(keep?.y ?? null, e[0], e[1]) : linearRange(keep?.y ?? null, e[1])) : log ? [-2, 0] : [0, 1];
  }
  return keep && keep.x === x && keep.y === y ? keep : { x, y, metric, logScale: log };
}

export const BAND_MARGINS = { left: 58, right: 14, top: 10, bottom: 40 };

export function bandAxes(r: BandRanges, split: BandSplit): AxesSpec {
  if (r.metric === 'acc') {
    return {
      x: { range: r.x, ticks: linearTicks(r.x, 5), title: 'step' },
      y: { range: r.y, ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: `${v * 100}%` })), title: `${split} accuracy` },
    };
  }
  return {
    x: { range: r.x, ticks: linearTicks(r.x, 5), title: 'step' },
    y: {
      range: r.y,
      ticks: r.logScale ? decadeTicks(r.y) : linearTicks(r.y, 4),
      title: r.logScale ? `${split} loss (log scale)` : `${split} loss`,
    },
  };
}

/** The plotted y of a value (log10 for a log loss axis; null where it cannot be drawn). */
function plotY(v: number, r: BandRanges): number | null {
  if (r.metric === 'loss') return lossY(v, r.logScale);
  return Number.isFinite(v) ? v : null;
}

/**
 * Paints each model's band (translucent) and mean line (solid). A band's lower edge below 0 on
 * a log axis is drawn at the axis bottom; a step without a finite mean breaks the line.
 */
export function drawBands(c: ContentContext, bands: readonly ModelBand[], r: BandRanges): void {
  const sx = scale(r.x, 0, c.width, false);
  const sy = scale(r.y, 0, c.height, true);
  const { ctx } = c;
  ctx.lineJoin = 'round';
  for (const b of bands) {
    const pts = b.points.filter((p) => plotY(p.mean, r) !== null);
    if (pts.length === 0) continue;
    const hi = pts.map((p) => plotY(p.mean + p.sd, r) ?? r.y[1]);
    const lo = pts.map((p) => plotY(p.mean - p.sd, r) ?? r.y[0]);
    ctx.globalAlpha = 0.18;
    ctx.fillStyle = b.color;
    ctx.beginPath();
    pts.forEach((p, i) => (i === 0 ? ctx.moveTo(sx(p.step), sy(hi[i])) : ctx.lineTo(sx(p.step), sy(hi[i]))));
    for (let i = pts.length - 1; i >= 0; i--) ctx.lineTo(sx(pts[i].step), sy(lo[i]));
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.strokeStyle = b.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let pen = false;
    for (const p of b.points) {
      const y = plotY(p.mean, r);
      if (y === null) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(sx(p.step), sy(y));
      else ctx.moveTo(sx(p.step), sy(y));
      pen = true;
    }
    ctx.stroke();
  }
}

/** The element of a step-sorted list nearest to `step` (binary search); null for an empty list. */
export function nearestByStep<T extends { step: number }>(list: readonly T[], step: number): T | null {
  if (list.length === 0) return null;
  let lo = 0;
  let hi = list.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (list[mid].step <= step) lo = mid;
    else hi = mid;
  }
  return Math.abs(list[lo].step - step) <= Math.abs(list[hi].step - step) ? list[lo] : list[hi];
}

/** The step of the band point nearest to `step` over all models (null before any point). */
export function readoutStep(bands: readonly ModelBand[], step: number): number | null {
  let best: number | null = null;
  for (const b of bands) {
    const p = nearestByStep(b.points, step);
    if (p && (best === null || Math.abs(p.step - step) < Math.abs(best - step))) best = p.step;
  }
  return best;
}
