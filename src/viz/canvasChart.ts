/**
 * A chart drawn entirely on one canvas (axes included; see canvasAxes.ts for why): keeps the
 * canvas sized to its frame at the device pixel ratio and hands out a cleared context.
 */
import { scaleMargins, type Margins } from './canvasAxes';
import type { ContentContext, PlotArea } from './framedChart';

export interface ChartFrame {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
  /** The margins this frame is drawn with (grown with the chart text). */
  margins: Margins;
}

export class CanvasChart {
  private plotArea: PlotArea | null = null;

  constructor(
    private readonly frame: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
    private readonly margins: Margins,
  ) {}

  /** The plot area inside the margins, in CSS pixels of the frame (for hover). */
  get area(): PlotArea | null {
    return this.plotArea;
  }

  /**
   * A cleared context in CSS pixels of the whole chart, plus the plot area; null while the
   * frame has no size (hidden). `textScale` grows the margins with the text (presentation mode).
   */
  begin(textScale = 1): ChartFrame | null {
    const width = this.frame.clientWidth;
    const height = this.frame.clientHeight;
    if (width < 10 || height < 10) {
      // No picture rather than the last one at its old size, spilling over whatever the
      // shrunken frame now sits beside; the frame's ResizeObserver redraws when it has room.
      this.resize(0, 0, 1);
      this.plotArea = null;
      return null;
    }
    const ratio = Math.min(3, globalThis.devicePixelRatio || 1);
    this.resize(width, height, ratio);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return null;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const m = scaleMargins(this.margins, textScale);
    this.plotArea = { left: m.left, top: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom };
    return { ctx, width, height, margins: m };
  }

  private resize(width: number, height: number, ratio: number): void {
    const w = Math.round(width * ratio);
    const h = Math.round(height * ratio);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
  }

  /** Runs `draw` in plot-area coordinates, clipped to the plot area. */
  inPlotArea(ctx: CanvasRenderingContext2D, draw: (c: ContentContext) => void): void {
    const a = this.plotArea;
    if (!a) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(a.left, a.top, a.width, a.height);
    ctx.clip();
    ctx.translate(a.left, a.top);
    draw({ ctx, width: a.width, height: a.height });
    ctx.restore();
  }
}
