/**
 * The small pictures of compare mode's grid, one canvas each: g(a, b) with the 90% contour of
 * where the network operates (no faint density lines: at 100 px they would hide g), a learned
 * curve g(x), and the verdict history strip. About a millisecond per cell, so twelve cells
 * redraw well inside one frame budget.
 */
import type { UncertainVerdict } from '../../core/analysis/bootstrap';
import type { GridSpec } from '../../core/grid';
import { divergingColor } from '../colors';
import { drawGridField } from '../drawField';
import { colourRange, strokeMaskContour } from '../figures/gFigure';
import { scale, type ContentContext } from '../framedChart';
import { extent, type Range } from '../niceRange';
import type { PlotTheme } from '../plotTheme';

export interface CellField {
  grid: GridSpec;
  values: Float32Array;
}

export interface CellDensity {
  grid: GridSpec;
  all: Float32Array;
  mask: Uint8Array;
}

/**
 * Paints g over the whole context (its own colour range, set inside the mask as on the big
 * heatmap) and the dotted 90% contour; returns the colour range used.
 */
export function drawCellHeatmap(c: ContentContext, g: CellField, density: CellDensity | null): number {
  const sameGrid = density !== null && density.grid.size === g.grid.size;
  const range = colourRange(g.values, sameGrid ? density.mask : null);
  drawGridField(c.ctx, g.values, g.grid.size, (v) => divergingColor(v, range), c.width, c.height);
  if (density) strokeMaskContour(c, density.all, density.mask, density.grid, Math.min(1, Math.max(0.5, c.width / 240)));
  return range;
}

/** y range of a curve with 8% headroom (a flat curve gets +-1 around its value). */
export function curveYRange(ys: ArrayLike<number>): Range {
  const e = extent(ys);
  if (!e) return [-1, 1];
  const span = e[1] - e[0];
  if (!(span > 1e-9)) return [e[0] - 1, e[1] + 1];
  return [e[0] - 0.08 * span, e[1] + 0.08 * span];
}

/** A learned curve g(x) in the model's colour, over thin zero axes; returns the y range used. */
export function drawCellCurve(c: ContentContext, xs: ArrayLike<number>, ys: ArrayLike<number>, color: string, theme: PlotTheme): Range {
  const xr = extent(xs) ?? [-1, 1];
  const yr = curveYRange(ys);
  const sx = scale(xr, 0, c.width, false);
  const sy = scale(yr, 0, c.height, true);
  const { ctx } = c;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  if (yr[0] < 0 && yr[1] > 0) {
    ctx.moveTo(0, Math.round(sy(0)) + 0.5);
    ctx.lineTo(c.width, Math.round(sy(0)) + 0.5);
  }
  if (xr[0] < 0 && xr[1] > 0) {
    ctx.moveTo(Math.round(sx(0)) + 0.5, 0);
    ctx.lineTo(Math.round(sx(0)) + 0.5, c.height);
  }
  ctx.stroke();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i])) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(sx(xs[i]), sy(ys[i]));
    else ctx.moveTo(sx(xs[i]), sy(ys[i]));
    pen = true;
  }
  ctx.stroke();
  return yr;
}

export type VerdictColors = Record<UncertainVerdict, string>;

/** The verdicts' colours from the page's theme (the same as the verdict words and badges). */
export function readVerdictColors(el: Element = document.documentElement): VerdictColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    'soft-xor': v('--xor', '#b2182b'),
    'soft-xnor': v('--xnor', '#2166ac'),
    'not-saddle': v('--text-muted', '#5b6476'),
    undecided: v('--warn', '#8a5a00'),
  };
}

/** One stretch of the strip: the verdict from `from` until the next verdict (or now). */
export interface StripSegment {
  verdict: UncertainVerdict;
  from: number;
  to: number;
}

/** The verdict history as stretches of steps, oldest first; nothing before the first verdict. */
export function stripSegments(history: readonly { step: number; verdict: UncertainVerdict }[], step: number): StripSegment[] {
  const out: StripSegment[] = [];
  for (let i = 0; i < history.length; i++) {
    const from = history[i].step;
    const to = i + 1 < history.length ? history[i + 1].step : Math.max(step, from);
    const last = out[out.length - 1];
    // Neighbours with the same verdict merge: the strip shows changes, not computations.
    if (last && last.verdict === history[i].verdict) last.to = to;
    else out.push({ verdict: history[i].verdict, from, to });
  }
  return out;
}

/**
 * The verdict history over steps 0 .. step as coloured stretches across the width; a verdict
 * computed at the current step alone still gets a sliver, so the newest one always shows.
 */
export function drawVerdictStrip(
  c: ContentContext,
  history: readonly { step: number; verdict: UncertainVerdict }[],
  step: number,
  colors: VerdictColors,
  empty: string,
): void {
  const { ctx } = c;
  ctx.fillStyle = empty;
  ctx.fillRect(0, 0, c.width, c.height);
  const end = Math.max(step, history.length ? history[history.length - 1].step : 0, 1);
  const sx = scale([0, end], 0, c.width, false);
  for (const s of stripSegments(history, step)) {
    const x0 = sx(s.from);
    const x1 = Math.max(sx(s.to), x0 + 2);
    ctx.fillStyle = colors[s.verdict];
    ctx.fillRect(x0, 0, x1 - x0, c.height);
  }
}
