/**
 * A chart in two layers: Plotly draws the frame (axes, ticks, titles) and a canvas laid exactly
 * over Plotly's plot area draws the content (the g image, contours, curves).
 *
 * Why: while the worker trains, the page must never block for 50 ms. Any Plotly update costs
 * 5-50 ms of main thread on a small machine (it re-runs its defaults and redraws the axes);
 * drawing the same content on a canvas costs about 1 ms. So Plotly.newPlot runs once and
 * Plotly.react only when the frame itself changes (an axis range jumps, the theme switches),
 * which is rare; every snapshot only repaints the canvas. Plotly is loaded on demand so the
 * page shell appears before its 1.5 MB bundle is parsed.
 */
import type { PlotConfig, PlotData, PlotLayout } from 'plotly.js-cartesian-dist-min';

const CONFIG: PlotConfig = {
  displaylogo: false,
  displayModeBar: false,
  staticPlot: false,
  responsive: false, // size follows the container via FramedChart.draw, not window resizes only
  scrollZoom: false,
};

type PlotlyModule = typeof import('plotly.js-cartesian-dist-min');

function loadPlotly(): Promise<PlotlyModule> {
  // The module system caches the import; calling it again is free.
  return import('plotly.js-cartesian-dist-min').then((m) => (m as unknown as { default?: PlotlyModule }).default ?? m);
}

/** The plot area inside the axes, in CSS pixels relative to the chart's frame element. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Linear map from a data range to pixels of the plot area (y grows upwards). */
export function scale(range: [number, number], start: number, length: number, flip: boolean): (v: number) => number {
  const [lo, hi] = range;
  const k = length / (hi - lo || 1);
  return flip ? (v) => start + length - (v - lo) * k : (v) => start + (v - lo) * k;
}

export interface ContentContext {
  ctx: CanvasRenderingContext2D;
  /** Plot area in canvas CSS pixels (the canvas covers exactly the plot area: left = top = 0). */
  width: number;
  height: number;
}

/** Layout flattened one level ('xaxis.range' -> JSON of the value), to see which parts changed. */
export function flattenLayout(layout: PlotLayout): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(layout)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>)) out.set(`${key}.${sub}`, JSON.stringify(v));
    } else {
      out.set(key, JSON.stringify(value));
    }
  }
  return out;
}

/** Axis changes Plotly.relayout handles on a fast path (redraw that axis's ticks only). */
const AXIS_ONLY = /^[xy]axis\d*\.(range|tickvals|ticktext)$/;

/**
 * The paths that changed between two flattened layouts, as a Plotly.relayout update, or null
 * when something else changed (then the frame needs a full Plotly.react).
 */
export function axisOnlyUpdate(prev: Map<string, string>, next: Map<string, string>): Record<string, unknown> | null {
  const update: Record<string, unknown> = {};
  for (const key of new Set([...prev.keys(), ...next.keys()])) {
    const a = prev.get(key);
    const b = next.get(key);
    if (a === b) continue;
    if (!AXIS_ONLY.test(key) || a === undefined || b === undefined) return null;
    update[key] = JSON.parse(b);
  }
  return update;
}

export class FramedChart {
  private created = false;
  private destroyed = false;
  private lastLayout = new Map<string, string>();
  private lastLayoutKey = '';
  private lastTracesKey = '';
  private lastSize = '';
  private plotArea: PlotArea | null = null;

  /**
   * @param frame positioned element holding both layers
   * @param plotDiv the div Plotly draws into (fills the frame)
   * @param canvas the content canvas (absolutely positioned by this class)
   */
  constructor(
    private readonly frame: HTMLElement,
    private readonly plotDiv: HTMLDivElement,
    private readonly canvas: HTMLCanvasElement,
  ) {}

  get area(): PlotArea | null {
    return this.plotArea;
  }

  /**
   * Draws or updates the frame if its layout or the container size changed; cheap otherwise.
   * `axisTraces` are empty placeholder traces, only so that Plotly draws axes that no real
   * trace uses (the accuracy axis); they never change, so Plotly skips them on updates.
   */
  async setFrame(layout: PlotLayout, axisTraces: PlotData[] = []): Promise<boolean> {
    const key = JSON.stringify([layout, axisTraces]);
    const size = `${this.frame.clientWidth}x${this.frame.clientHeight}`;
    if (this.created && key === this.lastLayoutKey && size === this.lastSize && this.plotArea) return !this.destroyed;
    const Plotly = await loadPlotly();
    if (this.destroyed) return false;
    const full = { autosize: true, ...layout };
    const flat = flattenLayout(layout);
    if (!this.created) {
      this.created = true;
      await Plotly.newPlot(this.plotDiv, axisTraces, full, CONFIG);
    } else if (key !== this.lastLayoutKey) {
      // A growing axis is the common change while training: relayout redraws just that axis
      // (1-3 ms) where react re-runs all of Plotly's defaults (7-40 ms).
      const sameTraces = JSON.stringify(axisTraces) === this.lastTracesKey;
      const axisUpdate = size === this.lastSize && sameTraces ? axisOnlyUpdate(this.lastLayout, flat) : null;
      if (axisUpdate) await Plotly.relayout(this.plotDiv, axisUpdate);
      else await Plotly.react(this.plotDiv, axisTraces, full, CONFIG);
    } else {
      await Plotly.Plots.resize(this.plotDiv);
    }
    this.lastLayout = flat;
    this.lastLayoutKey = key;
    this.lastTracesKey = JSON.stringify(axisTraces);
    this.lastSize = size;
    this.measure();
    return !this.destroyed;
  }

  /** Reads the plot area from Plotly's drag layer and lays the canvas over it. */
  private measure(): void {
    const drag = this.plotDiv.querySelector('.nsewdrag');
    if (!drag) {
      this.plotArea = null;
      return;
    }
    const a = drag.getBoundingClientRect();
    const b = this.frame.getBoundingClientRect();
    this.plotArea = { left: a.left - b.left, top: a.top - b.top, width: a.width, height: a.height };
    const ratio = Math.min(3, globalThis.devicePixelRatio || 1);
    const s = this.canvas.style;
    s.left = `${this.plotArea.left}px`;
    s.top = `${this.plotArea.top}px`;
    s.width = `${this.plotArea.width}px`;
    s.height = `${this.plotArea.height}px`;
    const w = Math.max(1, Math.round(this.plotArea.width * ratio));
    const h = Math.max(1, Math.round(this.plotArea.height * ratio));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
  }

  /** A cleared canvas context in CSS-pixel units of the plot area, or null before the frame exists. */
  content(): ContentContext | null {
    if (!this.plotArea || this.destroyed) return null;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return null;
    const ratio = this.canvas.width / Math.max(1, this.plotArea.width);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.plotArea.width, this.plotArea.height);
    return { ctx, width: this.plotArea.width, height: this.plotArea.height };
  }

  destroy(): void {
    this.destroyed = true;
    if (this.created) void loadPlotly().then((P) => P.purge(this.plotDiv));
  }
}
