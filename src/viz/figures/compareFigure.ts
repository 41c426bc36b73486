/**
 * The small multiples of compare mode as a figure to keep: one row per model that learns its
 * activation (in the plan's order), one column per seed. Two-argument runs: g(a, b) as a
 * heatmap with the 90% contour of the arguments and the verdict under it; one-argument runs:
 * the learned curve g(z). Rows are titled with the model's parameter count (the comparison is
 * parameter-matched, and the figure should say so); the fixed-activation baselines, which have
 * nothing learned to draw, are listed with theirs under the grid.
 *
 * One layout (compareFigureLayout, pure) feeds both renderers: the canvas (PNG) and a
 * hand-built SVG where each heatmap is one embedded PNG image (pngEncode.ts), so 32 runs make
 * a figure of about half a megabyte rather than 130 000 rectangles. Over 300 lines: the layout
 * and its two renderers are kept together so a change to one position is made in one file.
 */
import type { UncertainVerdict } from '../../core/analysis/bootstrap';
import type { CompareModel, CompareRunPlan } from '../../core/compare/plan';
import type { CompareRunView } from '../../state/compareTypes';
import { divergingColor } from '../colors';
import { contourLines, maskLevel, type Point } from '../contours';
import { drawGridField } from '../drawField';
import { escapeXml, LIGHT_THEME, safeColour, VERDICT_WORDS } from '../exportFigure';
import { extent } from '../niceRange';
import type { PlotTheme } from '../plotTheme';
import { base64, encodeRgbPng } from '../pngEncode';
import { colourRange, imageExtent } from './gFigure';

export interface CompareFigureInput {
  plans: readonly CompareRunPlan[];
  runs: Readonly<Record<string, CompareRunView>>;
  /** The data set's name, for the title. */
  dataset: string;
}

export const MODEL_WORDS: Record<CompareModel, string> = {
  twoArg: 'Two-argument g(a, b)',
  oneArg: 'One-argument g(z)',
  relu: 'ReLU',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
};

const UNCERTAIN_WORDS: Record<UncertainVerdict, string> = { ...VERDICT_WORDS, undecided: 'undecided' };

/** The figure's measures in CSS pixels. */
export const COMPARE_FIGURE = {
  margin: 20,
  title: 40,
  rowTitle: 24,
  seedLabel: 18,
  cell: 140,
  verdict: 22,
  gapX: 14,
  rowGap: 12,
  line: 17,
  minWidth: 620,
};

export type CellKind = 'heatmap' | 'curve' | 'diverged' | 'waiting';

export interface FigureCell {
  runId: string;
  seed: number;
  x: number;
  y: number;
  size: number;
  kind: CellKind;
  /** Under the cell: the verdict (two-argument), or why there is no picture. */
  label: string;
  /** The label is a verdict not yet backed by the bootstrap (shown muted). */
  tentative: boolean;
  heat: { size: number; values: Float32Array; range: number } | null;
  /** Polylines in figure pixels: the 90% contour (heatmaps) or the curve g(z). */
  lines: Point[][];
  /** Where z = 0 and g = 0 fall in a curve cell (null when outside its range). */
  axes: { x: number | null; y: number | null } | null;
}

export interface FigureRow {
  model: CompareModel;
  title: string;
  y: number;
  cells: FigureCell[];
}

export interface CompareFigureLayout {
  width: number;
  height: number;
  title: string;
  rows: FigureRow[];
  /** The notes under the grid, wrapped to the figure's width. */
  notes: string[];
  /** Where the notes start (baseline of the first). */
  notesY: number;
}

function paramText(runs: readonly (CompareRunView | undefined)[]): string {
  const built = runs.find((r) => r && r.paramTotal !== null);
  if (!built) return 'not built yet';
  const hidden = built.hidden.length > 0 ? ` · hidden ${built.hidden.join(', ')}` : '';
  return `${built.paramTotal!.toLocaleString('en-US')} params${hidden}`;
}

function finiteAll(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

function heatmapCell(run: CompareRunView, x: number, y: number, S: number): Pick<FigureCell, 'heat' | 'lines'> {
  const g = run.g!;
  const d = run.density && run.density.grid.size === g.grid.size ? run.density : null;
  const heat = { size: g.grid.size, values: g.values, range: colourRange(g.values, d ? d.mask : null) };
  if (!d) return { heat, lines: [] };
  const level = maskLevel(d.all, d.mask);
  if (level === null) return { heat, lines: [] };
  const [lo, hi] = imageExtent(d.grid);
  const px = (v: number) => x + ((v - lo) / (hi - lo)) * S;
  const py = (v: number) => y + S - ((v - lo) / (hi - lo)) * S;
  return { heat, lines: contourLines(d.all, d.grid, level).map((line) => line.map(([a, b]) => [px(a), py(b)] as Point)) };
}

function curveCell(run: CompareRunView, x: number, y: number, S: number): Pick<FigureCell, 'lines' | 'axes'> {
  const { xs, ys } = run.g1d!;
  const xr = extent(xs) ?? [-1, 1];
  const ye = extent(ys) ?? [-1, 1];
  const pad = (ye[1] - ye[0]) * 0.08 || 0.5;
  const yr: [number, number] = [ye[0] - pad, ye[1] + pad];
  const inset = 6;
  const px = (v: number) => x + inset + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * (S - 2 * inset);
  const py = (v: number) => y + S - inset - ((v - yr[0]) / (yr[1] - yr[0])) * (S - 2 * inset);
  const lines: Point[][] = [];
  let line: Point[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i]) || !Number.isFinite(xs[i])) {
      if (line.length > 1) lines.push(line);
      line = [];
      continue;
    }
    line.push([px(xs[i]), py(ys[i])]);
  }
  if (line.length > 1) lines.push(line);
  return { lines, axes: { x: xr[0] <= 0 && 0 <= xr[1] ? px(0) : null, y: yr[0] <= 0 && 0 <= yr[1] ? py(0) : null } };
}

function verdictLabel(run: CompareRunView): { label: string; tentative: boolean } {
  if (run.bootstrap) return { label: UNCERTAIN_WORDS[run.bootstrap.verdict], tentative: run.bootstrap.verdict === 'undecided' };
  if (run.analysis) return { label: `${VERDICT_WORDS[run.analysis.verdict]}*`, tentative: true };
  return { label: 'no verdict yet', tentative: true };
}

/** Splits text at spaces into lines of at most `max` characters (a longer word gets a line of its own). */
export function wrapText(text: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Where everything goes; pure, shared by the PNG and the SVG. */
export function compareFigureLayout(input: CompareFigureInput): CompareFigureLayout {
  const F = COMPARE_FIGURE;
  const models = [...new Set(input.plans.map((p) => p.model))];
  const learned: CompareModel[] = models.filter((m) => m === 'twoArg' || m === 'oneArg');
  const fixed = models.filter((m) => !learned.includes(m));
  const plansOf = (m: CompareModel) => input.plans.filter((p) => p.model === m).sort((a, b) => a.seedIndex - b.seedIndex);
  const cols = Math.max(1, ...learned.map((m) => plansOf(m).length));
  const width = Math.max(F.minWidth, 2 * F.margin + cols * F.cell + (cols - 1) * F.gapX);
  const rowHeight = F.rowTitle + F.seedLabel + F.cell + F.verdict + F.rowGap;
  const rows: FigureRow[] = learned.map((model, i) => {
    const y = F.margin + F.title + i * rowHeight;
    const cells = plansOf(model).map((p): FigureCell => {
      const run = input.runs[p.runId];
      const x = F.margin + p.seedIndex * (F.cell + F.gapX);
      const cy = y + F.rowTitle + F.seedLabel;
      const base: FigureCell = {
        runId: p.runId,
        seed: p.seed,
        x,
        y: cy,
        size: F.cell,
        kind: 'waiting',
        label: 'no g yet',
        tentative: true,
        heat: null,
        lines: [],
        axes: null,
      };
      if (!run) return base;
      if (run.diverged) return { ...base, kind: 'diverged', label: 'diverged' };
      if (model === 'twoArg' && run.g && run.g.values.length === run.g.grid.size ** 2 && finiteAll(run.g.values)) {
        return { ...base, kind: 'heatmap', ...verdictLabel(run), ...heatmapCell(run, x, cy, F.cell) };
      }
      if (model === 'oneArg' && run.g1d && run.g1d.xs.length === run.g1d.ys.length && run.g1d.xs.length > 1) {
        return { ...base, kind: 'curve', label: '', tentative: false, ...curveCell(run, x, cy, F.cell) };
      }
      return base;
    });
    return { model, y, cells, title: `${MODEL_WORDS[model]} · ${paramText(plansOf(model).map((p) => input.runs[p.runId]))}` };
  });
  const notes: string[] = [];
  if (learned.length === 0) notes.push('No model in this comparison learns its activation, so there is no g to draw.');
  if (fixed.length > 0) {
    const listed = fixed.map((m) => `${MODEL_WORDS[m]} (${paramText(plansOf(m).map((p) => input.runs[p.runId]))})`).join('; ');
    notes.push(`Fixed activations, nothing learned to draw: ${listed}.`);
  }
  if (learned.includes('twoArg')) {
    notes.push(
      'g(a, b) over the argument plane (a across, b up): blue below 0, red above, each on its own scale; dotted: 90% of the arguments.',
    );
    notes.push('Verdict: the bootstrap 95% interval of the Hessian determinant; * marks a point verdict not yet bootstrapped.');
  }
  // Notes wrapped to the figure's width (about 6.6 px per character of 12 px text).
  const lines = notes.flatMap((n) => wrapText(n, Math.floor((width - 2 * F.margin) / 6.6)));
  const alive = input.plans.map((p) => input.runs[p.runId]).filter((r) => r && !r.diverged);
  const step = alive.length > 0 ? Math.min(...alive.map((r) => r.step)) : 0;
  const notesY = F.margin + F.title + rows.length * rowHeight + F.line - 4;
  return {
    width,
    height: notesY + lines.length * F.line + F.margin - 6,
    title: `Compare: ${input.dataset} · step ${step} · ${models.length} models × ${cols} seeds`,
    rows,
    notes: lines,
    notesY,
  };
}

// ---------- canvas (PNG) ----------

function strokeLines(ctx: CanvasRenderingContext2D, lines: Point[][]): void {
  ctx.beginPath();
  for (const line of lines) line.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.stroke();
}

function drawCellCanvas(ctx: CanvasRenderingContext2D, c: FigureCell, theme: PlotTheme): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(c.x, c.y, c.size, c.size);
  ctx.clip();
  if (c.heat) {
    const { range } = c.heat;
    ctx.save();
    ctx.translate(c.x, c.y);
    drawGridField(ctx, c.heat.values, c.heat.size, (v) => divergingColor(v, range), c.size, c.size);
    ctx.restore();
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    ctx.strokeStyle = 'rgba(255,255,255,0.55)';
    ctx.lineWidth = 3;
    strokeLines(ctx, c.lines);
    ctx.strokeStyle = '#16202e';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([1.5, 3]);
    strokeLines(ctx, c.lines);
    ctx.setLineDash([]);
  } else if (c.kind === 'curve') {
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (c.axes?.x != null) {
      ctx.moveTo(c.axes.x, c.y);
      ctx.lineTo(c.axes.x, c.y + c.size);
    }
    if (c.axes?.y != null) {
      ctx.moveTo(c.x, c.axes.y);
      ctx.lineTo(c.x + c.size, c.axes.y);
    }
    ctx.stroke();
    ctx.strokeStyle = '#0072B2';
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    strokeLines(ctx, c.lines);
  } else {
    ctx.fillStyle = theme.muted;
    ctx.font = `13px ${theme.font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(c.label, c.x + c.size / 2, c.y + c.size / 2);
  }
  ctx.restore();
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.strokeRect(c.x + 0.5, c.y + 0.5, c.size - 1, c.size - 1);
}

/** Draws the whole figure at the context's origin, in CSS pixels. */
export function drawCompareFigure(ctx: CanvasRenderingContext2D, layout: CompareFigureLayout, theme: PlotTheme): void {
  const F = COMPARE_FIGURE;
  ctx.fillStyle = theme.surface;
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = theme.text;
  ctx.font = `600 17px ${theme.font}`;
  ctx.fillText(layout.title, F.margin, F.margin + 18);
  for (const row of layout.rows) {
    ctx.textAlign = 'left';
    ctx.fillStyle = theme.text;
    ctx.font = `600 14px ${theme.font}`;
    ctx.fillText(row.title, F.margin, row.y + 16);
    for (const c of row.cells) {
      ctx.textAlign = 'center';
      ctx.fillStyle = theme.muted;
      ctx.font = `12px ${theme.font}`;
      ctx.fillText(`seed ${c.seed}`, c.x + c.size / 2, c.y - 5);
      drawCellCanvas(ctx, c, theme);
      if (c.label && c.kind === 'heatmap') {
        ctx.fillStyle = c.tentative ? theme.muted : theme.text;
        ctx.font = `${c.tentative ? '' : '600 '}13px ${theme.font}`;
        ctx.fillText(c.label, c.x + c.size / 2, c.y + c.size + 16);
      }
    }
  }
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.muted;
  ctx.font = `12px ${theme.font}`;
  layout.notes.forEach((n, i) => ctx.fillText(n, F.margin, layout.notesY + i * F.line));
}

/** The figure as a PNG (twice the CSS size, for sharp slides). */
export function compareFigurePng(input: CompareFigureInput, theme: PlotTheme, pixelRatio = 2): Promise<Blob> {
  const layout = compareFigureLayout(input);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(layout.width * pixelRatio);
  canvas.height = Math.round(layout.height * pixelRatio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('this browser cannot draw on a canvas'));
  ctx.scale(pixelRatio, pixelRatio);
  drawCompareFigure(ctx, layout, theme);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
  );
}

// ---------- SVG ----------

function r2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** g as a PNG data URL, one pixel per grid point, top row = highest b. */
export function heatmapDataUrl(heat: NonNullable<FigureCell['heat']>): string {
  const n = heat.size;
  const rgb = new Uint8Array(n * n * 3);
  for (let r = 0; r < n; r++) {
    const row = n - 1 - r;
    for (let c = 0; c < n; c++) {
      const [R, G, B] = divergingColor(heat.values[r * n + c], heat.range);
      const k = 3 * (row * n + c);
      rgb[k] = Math.round(R);
      rgb[k + 1] = Math.round(G);
      rgb[k + 2] = Math.round(B);
    }
  }
  return `data:image/png;base64,${base64(encodeRgbPng(n, n, rgb))}`;
}

const pathOf = (lines: Point[][]) =>
  lines.map((line) => line.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r2(x)} ${r2(y)}`).join('')).join('');

function cellSvg(c: FigureCell, theme: PlotTheme, index: number): string[] {
  const muted = safeColour(theme.muted);
  const text = safeColour(theme.text);
  const grid = safeColour(theme.grid);
  const out: string[] = [`<g data-run="${escapeXml(c.runId)}" data-kind="${c.kind}">`];
  out.push(
    `<text x="${r2(c.x + c.size / 2)}" y="${r2(c.y - 5)}" font-size="12" fill="${muted}" text-anchor="middle">seed ${c.seed}</text>`,
  );
  if (c.heat) {
    out.push(
      `<image class="heatmap" x="${r2(c.x)}" y="${r2(c.y)}" width="${c.size}" height="${c.size}" preserveAspectRatio="none" href="${heatmapDataUrl(c.heat)}"/>`,
    );
    const d = pathOf(c.lines);
    if (d) {
      out.push(`<clipPath id="cell${index}"><rect x="${r2(c.x)}" y="${r2(c.y)}" width="${c.size}" height="${c.size}"/></clipPath>`);
      out.push(`<g fill="none" stroke-linejoin="round" stroke-linecap="round" clip-path="url(#cell${index})">`);
      out.push(`<path d="${d}" stroke="#ffffff" stroke-opacity="0.55" stroke-width="3"/>`);
      out.push(`<path class="contour90" d="${d}" stroke="#16202e" stroke-width="1.5" stroke-dasharray="1.5 3"/>`, '</g>');
    }
    const weight = c.tentative ? '' : ' font-weight="600"';
    out.push(
      `<text class="verdict" x="${r2(c.x + c.size / 2)}" y="${r2(c.y + c.size + 16)}" font-size="13"${weight} fill="${c.tentative ? muted : text}" text-anchor="middle">${escapeXml(c.label)}</text>`,
    );
  } else if (c.kind === 'curve') {
    if (c.axes?.x != null)
      out.push(`<line x1="${r2(c.axes.x)}" y1="${r2(c.y)}" x2="${r2(c.axes.x)}" y2="${r2(c.y + c.size)}" stroke="${grid}"/>`);
    if (c.axes?.y != null)
      out.push(`<line x1="${r2(c.x)}" y1="${r2(c.axes.y)}" x2="${r2(c.x + c.size)}" y2="${r2(c.axes.y)}" stroke="${grid}"/>`);
    out.push(`<path class="curve" d="${pathOf(c.lines)}" fill="none" stroke="#0072B2" stroke-width="2" stroke-linejoin="round"/>`);
  } else {
    out.push(
      `<text x="${r2(c.x + c.size / 2)}" y="${r2(c.y + c.size / 2 + 4)}" font-size="13" fill="${muted}" text-anchor="middle">${escapeXml(c.label)}</text>`,
    );
  }
  out.push(
    `<rect x="${r2(c.x + 0.5)}" y="${r2(c.y + 0.5)}" width="${c.size - 1}" height="${c.size - 1}" fill="none" stroke="${muted}"/>`,
    '</g>',
  );
  return out;
}

/** The figure as an SVG document (a string). */
export function compareFigureSvg(input: CompareFigureInput, theme: PlotTheme = LIGHT_THEME): string {
  const F = COMPARE_FIGURE;
  const layout = compareFigureLayout(input);
  const text = safeColour(theme.text);
  const muted = safeColour(theme.muted);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${escapeXml(theme.font)}">`,
    `<title>${escapeXml(layout.title)}</title>`,
    `<desc>Small multiples of the Soft-XOR Playground's compare mode: the learned activation of every run, one row per model, one column per seed.</desc>`,
    `<rect width="100%" height="100%" fill="${safeColour(theme.surface)}"/>`,
    `<text x="${F.margin}" y="${F.margin + 18}" font-size="17" font-weight="600" fill="${text}">${escapeXml(layout.title)}</text>`,
  ];
  let index = 0;
  for (const row of layout.rows) {
    out.push(`<g class="row" data-model="${row.model}">`);
    out.push(`<text x="${F.margin}" y="${r2(row.y + 16)}" font-size="14" font-weight="600" fill="${text}">${escapeXml(row.title)}</text>`);
    for (const c of row.cells) out.push(...cellSvg(c, theme, index++));
    out.push('</g>');
  }
  layout.notes.forEach((n, i) =>
    out.push(`<text x="${F.margin}" y="${r2(layout.notesY + i * F.line)}" font-size="12" fill="${muted}">${escapeXml(n)}</text>`),
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}
