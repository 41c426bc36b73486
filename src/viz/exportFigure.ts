/**
 * g(a, b) as a picture to keep: the same colours, contours and axes as on screen, composed into
 * one standalone figure with a title and a colour bar. Drawn on a canvas (PNG, and the frames
 * of the exported animation) or written as a small hand-built SVG (one <rect> per grid cell,
 * vector contours and axes) that opens in any browser or vector editor.
 */
import type { ShapeVerdict } from '../core/analysis/shape';
import type { GridSpec } from '../core/grid';
import type { Snapshot } from '../worker/protocol';
import type { DensityLayer } from '../state/uiSlice';
import { divergingColor, DIVERGING_STOPS } from './colors';
import { linearTicks, type Tick } from './canvasAxes';
import { contourLines, maskLevel, type Point } from './contours';
import { chosenDensity, colourRange, drawHeatmapContent, imageExtent } from './figures/gFigure';
import type { PlotTheme } from './plotTheme';
import type { Range } from './niceRange';

export interface HeatmapFigureInput {
  g: NonNullable<Snapshot['g']>;
  density: Snapshot['density'];
  densityLayer: DensityLayer;
  step: number;
  verdict: ShapeVerdict | null;
}

export const VERDICT_WORDS: Record<ShapeVerdict, string> = {
  'soft-xor': 'Soft XOR',
  'soft-xnor': 'Soft XNOR',
  'not-saddle': 'not a saddle',
};

/** The light theme, for exports made outside a page (and the tests). */
export const LIGHT_THEME: PlotTheme = {
  text: '#1b2130',
  muted: '#5b6476',
  grid: 'rgba(27, 33, 48, 0.25)',
  surface: '#ffffff',
  font: 'system-ui, sans-serif',
  textScale: 1,
};

/** The figure's layout in CSS pixels: a square plot with room for the title, axes and colour bar. */
export const FIGURE = { width: 660, height: 600, left: 64, top: 44, plot: 496, barGap: 22, barWidth: 14 } as const;

export function figureTitle(input: Pick<HeatmapFigureInput, 'step' | 'verdict'>): string {
  return `g(a, b) at step ${input.step}${input.verdict ? ` · ${VERDICT_WORDS[input.verdict]}` : ''}`;
}

function compactNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x === 0 ? '0' : String(Number(x.toPrecision(3)));
}

function axisTicks(grid: GridSpec): { extent: Range; ticks: Tick[] } {
  const extent = imageExtent(grid);
  // Ticks over the grid itself (-4, -2, 0, 2, 4 on the argument plane), not its half-cell margin.
  return { extent, ticks: linearTicks([grid.min, grid.max], 4) };
}

// ---------- canvas (PNG and animation frames) ----------

/**
 * Draws the whole figure with its top-left corner at (x0, y0), in CSS pixels of `ctx`, scaled
 * so that FIGURE.width fits `scale` times. Returns the colour range used.
 */
export function drawHeatmapFigure(
  ctx: CanvasRenderingContext2D,
  input: HeatmapFigureInput,
  theme: PlotTheme,
  x0 = 0,
  y0 = 0,
  scale = 1,
): number {
  const F = FIGURE;
  ctx.save();
  ctx.translate(x0, y0);
  ctx.scale(scale, scale);
  const { extent, ticks } = axisTicks(input.g.grid);
  const P = F.plot;
  const sx = (v: number) => F.left + ((v - extent[0]) / (extent[1] - extent[0])) * P;
  const sy = (v: number) => F.top + P - ((v - extent[0]) / (extent[1] - extent[0])) * P;

  // Title.
  ctx.fillStyle = theme.text;
  ctx.font = `600 17px ${theme.font}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(figureTitle(input), F.left, F.top - 16);

  // g and its contours, clipped to the plot area.
  ctx.save();
  ctx.beginPath();
  ctx.rect(F.left, F.top, P, P);
  ctx.clip();
  ctx.translate(F.left, F.top);
  const range = drawHeatmapContent(
    { ctx, width: P, height: P },
    { g: input.g, density: input.density, g1d: null, model: 'twoArg', densityLayer: input.densityLayer },
  );
  ctx.restore();

  // Frame, ticks and axis titles.
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.strokeRect(F.left + 0.5, F.top + 0.5, P - 1, P - 1);
  ctx.fillStyle = theme.muted;
  ctx.font = `12px ${theme.font}`;
  ctx.beginPath();
  for (const t of ticks) {
    ctx.moveTo(sx(t.value), F.top + P);
    ctx.lineTo(sx(t.value), F.top + P + 5);
    ctx.moveTo(F.left - 5, sy(t.value));
    ctx.lineTo(F.left, sy(t.value));
  }
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks) ctx.fillText(t.label, sx(t.value), F.top + P + 8);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks) ctx.fillText(t.label, F.left - 8, sy(t.value));
  ctx.font = `13px ${theme.font}`;
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText('a (basal)', F.left + P / 2, F.height - 8);
  ctx.save();
  ctx.translate(16, F.top + P / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText('b (apical)', 0, 0);
  ctx.restore();

  // Colour bar.
  const bx = F.left + P + F.barGap;
  const gradient = ctx.createLinearGradient(0, F.top + P, 0, F.top);
  for (const [p, c] of DIVERGING_STOPS) gradient.addColorStop(p, c);
  ctx.fillStyle = gradient;
  ctx.fillRect(bx, F.top, F.barWidth, P);
  ctx.strokeStyle = theme.grid;
  ctx.strokeRect(bx + 0.5, F.top + 0.5, F.barWidth - 1, P - 1);
  ctx.fillStyle = theme.muted;
  ctx.font = `12px ${theme.font}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(`+${compactNumber(range)}`, bx + F.barWidth + 6, F.top + 6);
  ctx.fillText('0', bx + F.barWidth + 6, F.top + P / 2);
  ctx.fillText(`−${compactNumber(range)}`, bx + F.barWidth + 6, F.top + P - 6);
  ctx.font = `italic 13px ${theme.font}`;
  ctx.textBaseline = 'bottom';
  ctx.fillText('g', bx + 2, F.top - 4);
  ctx.restore();
  return range;
}

/** The figure as a PNG (twice the CSS size, for sharp slides), on the theme's background. */
export function heatmapPng(input: HeatmapFigureInput, theme: PlotTheme, pixelRatio = 2): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = FIGURE.width * pixelRatio;
  canvas.height = FIGURE.height * pixelRatio;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('this browser cannot draw on a canvas'));
  ctx.scale(pixelRatio, pixelRatio);
  ctx.fillStyle = theme.surface;
  ctx.fillRect(0, 0, FIGURE.width, FIGURE.height);
  drawHeatmapFigure(ctx, input, theme);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
  );
}

// ---------- SVG ----------

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A colour from the theme, reduced to characters a CSS colour can have (no markup can leak). */
export function safeColour(c: string): string {
  return /^[#a-zA-Z0-9(),.\s%-]{1,64}$/.test(c) ? c : '#000000';
}

function hex([r, g, b]: readonly [number, number, number]): string {
  return (
    '#' +
    [r, g, b]
      .map((v) =>
        Math.round(Math.min(255, Math.max(0, v)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

function r2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/**
 * The figure as an SVG document (a string). Every grid cell is one <rect> of its exact colour;
 * the 90% contour, the faint density contours, axes and colour bar are vectors.
 */
export function heatmapSvg(input: HeatmapFigureInput, theme: PlotTheme = LIGHT_THEME): string {
  const F = FIGURE;
  const P = F.plot;
  const { g } = input;
  const n = g.grid.size;
  const { extent, ticks } = axisTicks(g.grid);
  const sx = (v: number) => F.left + ((v - extent[0]) / (extent[1] - extent[0])) * P;
  const sy = (v: number) => F.top + P - ((v - extent[0]) / (extent[1] - extent[0])) * P;
  const chosen = input.density ? chosenDensity(input.density, input.densityLayer) : null;
  const range = colourRange(g.values, chosen && input.density!.grid.size === n ? chosen.mask : null);
  const text = safeColour(theme.text);
  const muted = safeColour(theme.muted);
  const surface = safeColour(theme.surface);
  const font = escapeXml(theme.font);
  const cell = P / n;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${F.width}" height="${F.height}" viewBox="0 0 ${F.width} ${F.height}" font-family="${font}">`,
    `<title>${escapeXml(figureTitle(input))}</title>`,
    `<desc>The learned activation g(a, b) of the Soft-XOR Playground: blue below 0, white at 0, red above 0; the dotted line encloses 90% of the arguments the units receive.</desc>`,
    `<rect width="100%" height="100%" fill="${surface}"/>`,
    `<text x="${F.left}" y="${F.top - 16}" font-size="17" font-weight="600" fill="${text}">${escapeXml(figureTitle(input))}</text>`,
    `<g shape-rendering="crispEdges">`,
  );
  for (let r = 0; r < n; r++) {
    const y = F.top + (n - 1 - r) * cell;
    for (let c = 0; c < n; c++) {
      const fill = hex(divergingColor(g.values[r * n + c], range));
      // A hair wider than the cell so no seam shows between neighbours.
      out.push(`<rect x="${r2(F.left + c * cell)}" y="${r2(y)}" width="${r2(cell + 0.3)}" height="${r2(cell + 0.3)}" fill="${fill}"/>`);
    }
  }
  out.push('</g>');
  if (input.density && chosen && input.density.grid.size === n) {
    const path = (lines: Point[][]) =>
      lines.map((line) => line.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r2(sx(x))} ${r2(sy(y))}`).join('')).join('');
    let peak = 0;
    for (let i = 0; i < chosen.values.length; i++) if (chosen.values[i] > peak) peak = chosen.values[i];
    out.push(
      `<clipPath id="plot"><rect x="${F.left}" y="${F.top}" width="${P}" height="${P}"/></clipPath>`,
      `<g fill="none" stroke-linejoin="round" clip-path="url(#plot)">`,
    );
    if (peak > 0) {
      const faint = [0.2, 0.4, 0.6, 0.8].map((f) => path(contourLines(chosen.values, input.density!.grid, peak * f))).join('');
      if (faint) out.push(`<path d="${faint}" stroke="#16202e" stroke-opacity="0.3" stroke-width="0.9"/>`);
    }
    const level = maskLevel(chosen.values, chosen.mask);
    if (level !== null) {
      const d = path(contourLines(chosen.values, input.density.grid, level));
      if (d) {
        out.push(`<path d="${d}" stroke="#ffffff" stroke-opacity="0.55" stroke-width="4"/>`);
        out.push(`<path d="${d}" stroke="#16202e" stroke-width="2" stroke-dasharray="2 4" stroke-linecap="round"/>`);
      }
    }
    out.push('</g>');
  }
  out.push(`<rect x="${F.left + 0.5}" y="${F.top + 0.5}" width="${P - 1}" height="${P - 1}" fill="none" stroke="${muted}"/>`);
  out.push(`<g fill="${muted}" font-size="12">`);
  for (const t of ticks) {
    out.push(`<line x1="${r2(sx(t.value))}" y1="${F.top + P}" x2="${r2(sx(t.value))}" y2="${F.top + P + 5}" stroke="${muted}"/>`);
    out.push(`<text x="${r2(sx(t.value))}" y="${F.top + P + 20}" text-anchor="middle">${escapeXml(t.label)}</text>`);
    out.push(`<line x1="${F.left - 5}" y1="${r2(sy(t.value))}" x2="${F.left}" y2="${r2(sy(t.value))}" stroke="${muted}"/>`);
    out.push(`<text x="${F.left - 8}" y="${r2(sy(t.value) + 4)}" text-anchor="end">${escapeXml(t.label)}</text>`);
  }
  out.push('</g>');
  out.push(`<text x="${F.left + P / 2}" y="${F.height - 10}" font-size="13" fill="${text}" text-anchor="middle">a (basal)</text>`);
  out.push(
    `<text transform="translate(20 ${F.top + P / 2}) rotate(-90)" font-size="13" fill="${text}" text-anchor="middle">b (apical)</text>`,
  );
  const bx = F.left + P + F.barGap;
  out.push(
    `<defs><linearGradient id="ramp" x1="0" y1="1" x2="0" y2="0">${DIVERGING_STOPS.map(([p, c]) => `<stop offset="${r2(p)}" stop-color="${c}"/>`).join('')}</linearGradient></defs>`,
    `<rect x="${bx}" y="${F.top}" width="${F.barWidth}" height="${P}" fill="url(#ramp)" stroke="${muted}" stroke-opacity="0.4"/>`,
    `<g fill="${muted}" font-size="12">`,
    `<text x="${bx + F.barWidth + 6}" y="${F.top + 10}">+${escapeXml(compactNumber(range))}</text>`,
    `<text x="${bx + F.barWidth + 6}" y="${F.top + P / 2 + 4}">0</text>`,
    `<text x="${bx + F.barWidth + 6}" y="${F.top + P - 2}">−${escapeXml(compactNumber(range))}</text>`,
    `<text x="${bx + 2}" y="${F.top - 5}" font-style="italic" font-size="13">g</text>`,
    '</g>',
    '</svg>',
  );
  return out.join('\n') + '\n';
}
