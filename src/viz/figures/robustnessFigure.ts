/**
 * Test accuracy against perturbation size, one line per model with a mean +- sd band over
 * seeds, drawn on one canvas (axes too, as the loss chart). Pure drawing from the bands.
 */
import type { RobustnessBand } from '../../core/robustness/bands';
import { linearTicks, type AxesSpec } from '../canvasAxes';
import { scale, type ContentContext } from '../framedChart';
import type { Range } from '../niceRange';

export const ROBUSTNESS_MARGINS = { left: 52, right: 14, top: 10, bottom: 40 };
const ACC_RANGE: Range = [0, 1.02];

/** A band as drawn: its colour. */
export interface DrawnBand extends RobustnessBand {
  color: string;
}

/** x from 0 to the largest size (at least a sliver, so one size 0 still has an axis). */
export function robustnessXRange(bands: readonly RobustnessBand[]): Range {
  let hi = 0;
  for (const b of bands) for (const s of b.sizes) if (Number.isFinite(s)) hi = Math.max(hi, s);
  return [0, hi > 0 ? hi : 1];
}

export function robustnessAxes(x: Range, xTitle: string): AxesSpec {
  return {
    x: { range: x, ticks: linearTicks(x, 5), title: xTitle },
    y: { range: ACC_RANGE, ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: `${v * 100}%` })), title: 'test accuracy' },
  };
}

/** The sd band (where there is more than one run), the mean line and a dot per size; non-finite means are skipped. */
export function drawRobustnessContent(c: ContentContext, bands: readonly DrawnBand[], x: Range): void {
  const sx = scale(x, 0, c.width, false);
  const sy = scale(ACC_RANGE, 0, c.height, true);
  const { ctx } = c;
  ctx.lineJoin = 'round';
  for (const b of bands) {
    const pts = b.sizes
      .map((s, i) => ({ x: sx(s), mean: b.mean[i], sd: Number.isFinite(b.sd[i]) ? b.sd[i] : 0 }))
      .filter((p) => Number.isFinite(p.mean));
    if (b.runs > 1 && pts.length > 1) {
      ctx.beginPath();
      pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, sy(Math.min(1, p.mean + p.sd))) : ctx.lineTo(p.x, sy(Math.min(1, p.mean + p.sd)))));
      for (let i = pts.length - 1; i >= 0; i--) ctx.lineTo(pts[i].x, sy(Math.max(0, pts[i].mean - pts[i].sd)));
      ctx.closePath();
      ctx.globalAlpha = 0.18;
      ctx.fillStyle = b.color;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    ctx.strokeStyle = b.color;
    ctx.fillStyle = b.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, sy(p.mean)) : ctx.lineTo(p.x, sy(p.mean))));
    ctx.stroke();
    for (const p of pts) {
      ctx.beginPath();
      ctx.arc(p.x, sy(p.mean), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
