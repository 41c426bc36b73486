/**
 * Axes drawn on a canvas, for charts that change while training. A Plotly axis update
 * (relayout) cost 10-46 ms of main thread here, and the loss chart's axes change every
 * time the step count or the loss passes a round number; drawing ticks and labels on the
 * canvas costs well under a millisecond, so the page never blocks.
 */
import type { PlotTheme } from './plotTheme';
import { niceCeil, type Range } from './niceRange';

export interface Tick {
  value: number;
  label: string;
}

export interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Tick labels and axis titles at text scale 1 (CSS px); drawAxes draws them at these times the scale. */
const TICK_PX = 11;
const TITLE_PX = 12;

/**
 * Margins that hold text grown by `textScale` (presentation mode). The side margins hold tick
 * labels and a title, so they grow with the text; the bottom one grows by the extra height of
 * one tick row and one title only (its padding stays), which leaves the plot area its room.
 */
export function scaleMargins(m: Margins, textScale: number): Margins {
  if (textScale === 1) return m;
  const extraText = (TICK_PX + TITLE_PX) * (textScale - 1);
  return {
    left: Math.round(m.left * textScale),
    right: Math.round(m.right * textScale),
    top: m.top,
    bottom: Math.round(m.bottom + extraText),
  };
}

/**
 * An axis title that fits `room` px: the whole title, or without its parenthetical
 * ("loss (log scale)" -> "loss") when a short chart cannot hold it.
 */
export function fitTitle(ctx: CanvasRenderingContext2D, title: string, room: number): string {
  if (ctx.measureText(title).width <= room) return title;
  const short = title.replace(/\s*\(.*\)\s*$/, '');
  return short || title;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10^k written with Unicode superscripts (1 and 10 for k = 0, 1). */
export function powerOfTen(k: number): string {
  if (k === 0) return '1';
  if (k === 1) return '10';
  return (
    '10' +
    String(k)
      .split('')
      .map((c) => SUPERSCRIPT[c] ?? c)
      .join('')
  );
}

/** Round-number ticks over a linear range, about `target` of them. */
export function linearTicks(range: Range, target = 5): Tick[] {
  const [lo, hi] = range;
  if (!(hi > lo)) return [{ value: lo, label: formatTick(lo, 1) }];
  const step = niceCeil((hi - lo) / target);
  const ticks: Tick[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    const value = Math.abs(v) < step * 1e-9 ? 0 : v;
    ticks.push({ value, label: formatTick(value, step) });
  }
  return ticks;
}

/** Whole decades of a log10 range, labelled 10^k. */
export function decadeTicks(range: Range): Tick[] {
  const ticks: Tick[] = [];
  for (let k = Math.ceil(range[0]); k <= Math.floor(range[1]); k++) ticks.push({ value: k, label: powerOfTen(k) });
  return ticks;
}

function formatTick(v: number, step: number): string {
  if (step >= 1000 && v % 1000 === 0) return v === 0 ? '0' : `${v / 1000}k`;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(decimals, 6));
}

export interface AxesSpec {
  x: { range: Range; ticks: Tick[]; title: string };
  y: { range: Range; ticks: Tick[]; title: string };
  /** An optional second y axis on the right. */
  y2?: { range: Range; ticks: Tick[]; title: string };
}

/**
 * Draws grid lines, tick labels and axis titles around the plot area. `ctx` is in CSS pixels
 * of the whole chart; the plot area is the chart minus the margins.
 */
export function drawAxes(ctx: CanvasRenderingContext2D, width: number, height: number, m: Margins, spec: AxesSpec, t: PlotTheme): void {
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const sx = (v: number) => m.left + ((v - spec.x.range[0]) / (spec.x.range[1] - spec.x.range[0] || 1)) * plotW;
  const sy = (r: Range, v: number) => m.top + plotH - ((v - r[0]) / (r[1] - r[0] || 1)) * plotH;
  ctx.save();
  ctx.lineWidth = 1;
  ctx.strokeStyle = t.grid;
  ctx.fillStyle = t.muted;
  ctx.font = `${Math.round(TICK_PX * t.textScale)}px ${t.font}`;
  // Grid lines at the x ticks and the left y ticks.
  ctx.beginPath();
  for (const tick of spec.x.ticks) {
    const x = Math.round(sx(tick.value)) + 0.5;
    ctx.moveTo(x, m.top);
    ctx.lineTo(x, m.top + plotH);
  }
  for (const tick of spec.y.ticks) {
    const y = Math.round(sy(spec.y.range, tick.value)) + 0.5;
    ctx.moveTo(m.left, y);
    ctx.lineTo(m.left + plotW, y);
  }
  ctx.stroke();
  ctx.strokeRect(m.left + 0.5, m.top + 0.5, plotW - 1, plotH - 1);
  // Tick labels.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of spec.x.ticks) ctx.fillText(tick.label, sx(tick.value), m.top + plotH + 5);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const tick of spec.y.ticks) ctx.fillText(tick.label, m.left - 6, sy(spec.y.range, tick.value));
  if (spec.y2) {
    ctx.textAlign = 'left';
    for (const tick of spec.y2.ticks) ctx.fillText(tick.label, m.left + plotW + 6, sy(spec.y2.range, tick.value));
  }
  // Axis titles.
  ctx.font = `${Math.round(TITLE_PX * t.textScale)}px ${t.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(spec.x.title, m.left + plotW / 2, height - 2);
  const verticalTitle = (text: string, x: number) => {
    ctx.save();
    ctx.translate(x, m.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'top';
    ctx.fillText(fitTitle(ctx, text, plotH), 0, 0);
    ctx.restore();
  };
  verticalTitle(spec.y.title, 2);
  if (spec.y2) {
    ctx.save();
    ctx.translate(width - 2, m.top + plotH / 2);
    ctx.rotate(Math.PI / 2);
    ctx.textBaseline = 'top';
    ctx.fillText(fitTitle(ctx, spec.y2.title, plotH), 0, 0);
    ctx.restore();
  }
  ctx.restore();
}
