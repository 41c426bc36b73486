/**
 * Loss curves (left axis, log or linear) and accuracy (right axis) against the training step,
 * all on one canvas (axes too: see canvasAxes.ts). Axis ranges move only in round jumps.
 * In log mode the left axis is linear in log10(loss) with ticks labelled 10^k, so the mapping
 * from data to pixels stays linear.
 */
import type { MetricPoint } from '../../worker/protocol';
import { LINE_COLORS } from '../colors';
import { decadeTicks, linearTicks, type AxesSpec } from '../canvasAxes';
import { scale, type ContentContext } from '../framedChart';
import { extent, niceCeil, stepRange, type Range } from '../niceRange';

export interface LossRanges {
  x: Range;
  y: Range;
  logScale: boolean;
}

type Series = { key: keyof MetricPoint; color: string; dash: number[]; width: number; axis: 'loss' | 'acc' };

export const LOSS_SERIES: Series[] = [
  { key: 'trainAcc', color: LINE_COLORS.train, width: 1.5, dash: [2, 3], axis: 'acc' },
  { key: 'testAcc', color: LINE_COLORS.test, width: 1.5, dash: [2, 3], axis: 'acc' },
  { key: 'trainLoss', color: LINE_COLORS.train, width: 2, dash: [], axis: 'loss' },
  { key: 'testLoss', color: LINE_COLORS.test, width: 2, dash: [], axis: 'loss' },
];

export const ACC_RANGE: Range = [0, 1.02];

/** The plotted y value of a loss: log10 in log mode (null where it cannot be drawn). */
export function lossY(v: number, logScale: boolean): number | null {
  if (!Number.isFinite(v)) return null;
  if (logScale) return v > 0 ? Math.log10(v) : null;
  return v;
}

/** Whole decades around the data; kept while the data stay inside and span at least half of it. */
export function logRange(prev: Range | null, lo: number, hi: number): Range {
  const next: Range = [Math.floor(lo), Math.max(Math.ceil(hi), Math.floor(lo) + 1)];
  if (prev && lo >= prev[0] && hi <= prev[1] && next[1] - next[0] >= (prev[1] - prev[0]) / 2) return prev;
  return next;
}

export function linearRange(prev: Range | null, hi: number): Range {
  if (prev && hi <= prev[1] && hi >= 0.4 * prev[1]) return prev;
  return [0, niceCeil(Math.max(hi, 1e-6) * 1.05)];
}

/** Axis ranges for this history, reusing the previous ones when they still fit. */
export function lossRanges(history: MetricPoint[], logScale: boolean, prev: LossRanges | null): LossRanges {
  const keep = prev && prev.logScale === logScale ? prev : null;
  const ys: (number | null)[] = [];
  for (const p of history) ys.push(lossY(p.trainLoss, logScale), lossY(p.testLoss, logScale));
  const e = extent(ys);
  const x = stepRange(keep?.x ?? null, history.length ? history[history.length - 1].step : 0);
  const y: Range = e
    ? logScale
      ? logRange(keep?.y ?? null, e[0], e[1])
      : linearRange(keep?.y ?? null, e[1])
    : logScale
      ? [-2, 0]
      : [0, 1];
  return keep && keep.x === x && keep.y === y ? keep : { x, y, logScale };
}

/** Margins around the plot area: tick labels left and right (accuracy), step labels below. */
export const LOSS_MARGINS = { left: 58, right: 52, top: 10, bottom: 40 };

export function lossAxes(r: LossRanges): AxesSpec {
  return {
    x: { range: r.x, ticks: linearTicks(r.x, 5), title: 'step' },
    y: {
      range: r.y,
      ticks: r.logScale ? decadeTicks(r.y) : linearTicks(r.y, 4),
      title: r.logScale ? 'loss (log scale)' : 'loss',
    },
    y2: { range: ACC_RANGE, ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: `${v * 100}%` })), title: 'accuracy' },
  };
}

/** Paints the four curves; a non-finite value (a diverged step) lifts the pen instead of bridging. */
export function drawLossContent(c: ContentContext, history: MetricPoint[], r: LossRanges): void {
  const sx = scale(r.x, 0, c.width, false);
  const syLoss = scale(r.y, 0, c.height, true);
  const syAcc = scale(ACC_RANGE, 0, c.height, true);
  const { ctx } = c;
  ctx.lineJoin = 'round';
  for (const s of LOSS_SERIES) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width;
    ctx.setLineDash(s.dash);
    ctx.beginPath();
    let pen = false;
    for (const p of history) {
      const v = p[s.key];
      const y = s.axis === 'loss' ? lossY(v, r.logScale) : Number.isFinite(v) ? v : null;
      if (y === null) {
        pen = false;
        continue;
      }
      const px = sx(p.step);
      const py = s.axis === 'loss' ? syLoss(y) : syAcc(y);
      if (pen) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** The history point nearest to a step (binary search; history is sorted by step). */
export function nearestPoint(history: MetricPoint[], step: number): MetricPoint | null {
  if (history.length === 0) return null;
  let lo = 0;
  let hi = history.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (history[mid].step <= step) lo = mid;
    else hi = mid;
  }
  return Math.abs(history[lo].step - step) <= Math.abs(history[hi].step - step) ? history[lo] : history[hi];
}
