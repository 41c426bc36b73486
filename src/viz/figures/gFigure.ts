/**
 * The learned activation, as a frame (Plotly axes) plus canvas content. Two-argument models:
 * g(a, b) as an image on a diverging scale centred at 0, with where the network operates drawn
 * on top (the 90% mass contour of the argument density, and faint density contours).
 * One-argument models: g(x) as a line; fixed activations: their fixed curve.
 */
import type { PlotLayout } from 'plotly.js-cartesian-dist-min';
import type { GridSpec } from '../../core/grid';
import { massMask } from '../../core/analysis/density';
import type { ModelKind } from '../../core/config';
import type { Snapshot } from '../../worker/protocol';
import type { DensityLayer } from '../../state/uiSlice';
import { LINE_COLORS, divergingColor } from '../colors';
import { contourLines, maskLevel, type Point } from '../contours';
import { drawGridField } from '../drawField';
import { scale, type ContentContext } from '../framedChart';
import { extent, stickyRange, type Range } from '../niceRange';
import { baseLayout, themedAxis, type PlotTheme } from '../plotTheme';

export interface GFigureInput {
  g: Snapshot['g'];
  density: Snapshot['density'];
  g1d: Snapshot['g1d'];
  model: ModelKind;
  densityLayer: DensityLayer;
}

export type GViewKind = 'heatmap' | 'line' | 'fixed' | 'waiting';

/** The fixed activations, for models that have no learned g. */
export const FIXED_ACTIVATIONS: Record<string, (x: number) => number> = {
  relu: (x) => Math.max(0, x),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  linear: (x) => x,
};

export function gViewKind(input: Pick<GFigureInput, 'g' | 'g1d' | 'model'>): GViewKind {
  if (input.g) return 'heatmap';
  if (input.g1d) return 'line';
  if (input.model in FIXED_ACTIVATIONS) return 'fixed';
  return 'waiting';
}

/** Pooled or one layer's density, with the matching 90% mask. */
export function chosenDensity(density: NonNullable<Snapshot['density']>, layer: DensityLayer): { values: Float32Array; mask: Uint8Array } {
  if (layer !== 'all' && layer >= 0 && layer < density.perLayer.length) {
    const values = density.perLayer[layer];
    return { values, mask: massMask(values, 0.9) };
  }
  return { values: density.all, mask: density.mask };
}

function maxAbs(g: ArrayLike<number>, mask: ArrayLike<number> | null): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) {
    if (mask && !mask[i]) continue;
    const a = Math.abs(g[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}

/**
 * Symmetric colour range for g. Where the network operates (inside the mask) is what matters,
 * so the range is set by |g| there (with 25% headroom) rather than by the far corners of the
 * grid, where g can be ten times larger and would wash the interesting region out to white.
 * Values beyond the range saturate. Without a mask: the whole grid.
 */
export function colourRange(g: ArrayLike<number>, mask: ArrayLike<number> | null): number {
  const all = maxAbs(g, null);
  const inside = mask ? maxAbs(g, mask) : all;
  const m = inside > 0 ? Math.min(all, inside * 1.25) : all;
  return m > 0 ? m : 1;
}

/** The plotted extent of a grid: each grid point is the centre of one image pixel. */
export function imageExtent(grid: GridSpec): Range {
  const h = grid.size > 1 ? (grid.max - grid.min) / (grid.size - 1) : grid.max - grid.min;
  return [grid.min - h / 2, grid.max + h / 2];
}

function hiddenAxis(): Record<string, unknown> {
  return { visible: false, fixedrange: true, range: [0, 1] };
}

/** Axes for g(a, b): square, fixed to the grid, no grid lines (the image covers the area). */
export function heatmapFrame(extentAB: Range, t: PlotTheme): PlotLayout {
  const axis = (title: string, extra: Record<string, unknown>) =>
    themedAxis(t, title, {
      range: extentAB,
      showgrid: false,
      zeroline: false,
      fixedrange: true,
      ticks: 'outside',
      ticklen: 4,
      tickcolor: t.grid,
      showline: true,
      mirror: true,
      ...extra,
    });
  return {
    ...baseLayout(t),
    margin: { l: Math.round(48 * t.textScale), r: 8, t: 8, b: Math.round(40 * t.textScale) },
    xaxis: axis('a (basal)', { constrain: 'domain' }),
    yaxis: axis('b (apical)', { scaleanchor: 'x', constrain: 'domain' }),
    dragmode: false,
    hovermode: false,
  };
}

/** Axes for a curve g(x). */
export function lineFrame(xRange: Range, yRange: Range, xTitle: string, yTitle: string, t: PlotTheme): PlotLayout {
  return {
    ...baseLayout(t),
    xaxis: themedAxis(t, xTitle, { range: xRange, zeroline: true, fixedrange: true }),
    yaxis: themedAxis(t, yTitle, { range: yRange, zeroline: true, fixedrange: true }),
    dragmode: false,
    hovermode: false,
  };
}

export function emptyFrame(t: PlotTheme): PlotLayout {
  return { ...baseLayout(t), xaxis: hiddenAxis(), yaxis: hiddenAxis(), dragmode: false, hovermode: false };
}

/** Sticky y range for a curve, so the frame does not move with every snapshot. */
export function curveRanges(xs: ArrayLike<number>, ys: ArrayLike<number>, prevY: Range | null): { x: Range; y: Range } {
  const x = extent(xs) ?? [-1, 1];
  const ye = extent(ys) ?? [-1, 1];
  return { x, y: stickyRange(prevY, ye[0], ye[1]) };
}

function strokeLines(c: ContentContext, lines: Point[][], sx: (v: number) => number, sy: (v: number) => number): void {
  c.ctx.beginPath();
  for (const line of lines) {
    line.forEach(([x, y], i) => (i === 0 ? c.ctx.moveTo(sx(x), sy(y)) : c.ctx.lineTo(sx(x), sy(y))));
  }
  c.ctx.stroke();
}

/** The contour ink: always dark, because it sits on g's colours, not on the page's theme. */
const CONTOUR_INK = '#16202e';

/** Whether the colour range stays fixed: asked for, or by default while the timeline replays. */
export function scaleLocked(choice: 'auto' | 'on' | 'off', replaying: boolean): boolean {
  return choice === 'on' || (choice === 'auto' && replaying);
}

/**
 * Paints g and the density contours over the plot area; returns the colour range used: its own,
 * or `fixedRange` when the scale is locked (so colours compare across frames).
 */
export function drawHeatmapContent(c: ContentContext, input: GFigureInput, fixedRange: number | null = null): number {
  const g = input.g!;
  const chosen = input.density ? chosenDensity(input.density, input.densityLayer) : null;
  const range = fixedRange ?? colourRange(g.values, chosen && input.density!.grid.size === g.grid.size ? chosen.mask : null);
  drawGridField(c.ctx, g.values, g.grid.size, (v) => divergingColor(v, range), c.width, c.height);
  if (input.density && chosen) {
    const ext = imageExtent(input.density.grid);
    const sx = scale(ext, 0, c.width, false);
    const sy = scale(ext, 0, c.height, true);
    const { values, mask } = chosen;
    let peak = 0;
    for (let i = 0; i < values.length; i++) if (values[i] > peak) peak = values[i];
    c.ctx.lineJoin = 'round';
    if (peak > 0) {
      c.ctx.strokeStyle = CONTOUR_INK;
      c.ctx.globalAlpha = 0.3;
      c.ctx.lineWidth = 0.9;
      c.ctx.setLineDash([]);
      for (const f of [0.2, 0.4, 0.6, 0.8]) strokeLines(c, contourLines(values, input.density.grid, peak * f), sx, sy);
      c.ctx.globalAlpha = 1;
    }
    strokeMaskContour(c, values, mask, input.density.grid);
  }
  return range;
}

/**
 * The dotted line around the masked cells (the 90% of arguments where the network operates),
 * over a plot area covering the density grid's image extent. `scaleBy` thins it for small cells.
 */
export function strokeMaskContour(
  c: ContentContext,
  values: ArrayLike<number>,
  mask: ArrayLike<number>,
  grid: GridSpec,
  scaleBy = 1,
): void {
  const level = maskLevel(values, mask);
  if (level === null) return;
  const ext = imageExtent(grid);
  const sx = scale(ext, 0, c.width, false);
  const sy = scale(ext, 0, c.height, true);
  const lines = contourLines(values, grid, level);
  c.ctx.lineJoin = 'round';
  // A light halo under the dark dotted line keeps it readable on deep red and blue.
  c.ctx.setLineDash([]);
  c.ctx.strokeStyle = 'rgba(255,255,255,0.55)';
  c.ctx.lineWidth = 4 * scaleBy;
  strokeLines(c, lines, sx, sy);
  c.ctx.strokeStyle = CONTOUR_INK;
  c.ctx.lineWidth = 2 * scaleBy;
  c.ctx.setLineDash([2 * scaleBy, 4 * scaleBy]);
  c.ctx.lineCap = 'round';
  strokeLines(c, lines, sx, sy);
  c.ctx.setLineDash([]);
}

/** Paints a curve y(x) over the plot area. */
export function drawCurveContent(c: ContentContext, xs: ArrayLike<number>, ys: ArrayLike<number>, ranges: { x: Range; y: Range }): void {
  const sx = scale(ranges.x, 0, c.width, false);
  const sy = scale(ranges.y, 0, c.height, true);
  c.ctx.strokeStyle = LINE_COLORS.train;
  c.ctx.lineWidth = 2.5;
  c.ctx.lineJoin = 'round';
  c.ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i])) {
      pen = false;
      continue;
    }
    if (pen) c.ctx.lineTo(sx(xs[i]), sy(ys[i]));
    else c.ctx.moveTo(sx(xs[i]), sy(ys[i]));
    pen = true;
  }
  c.ctx.stroke();
}

/** Samples a fixed activation for its (static) curve. */
export function fixedCurve(model: string): { xs: number[]; ys: number[] } | null {
  const f = FIXED_ACTIVATIONS[model];
  if (!f) return null;
  const xs = Array.from({ length: 161 }, (_, i) => -4 + i * 0.05);
  return { xs, ys: xs.map(f) };
}
