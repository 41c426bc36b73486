/**
 * Session III on the loss chart: a dashed vertical line at the step g was frozen, labelled, so
 * the drop in accuracy (the outer network starts again) and its recovery read as one story.
 */
import type { ContentContext } from '../framedChart';
import { scale } from '../framedChart';
import type { Range } from '../niceRange';
import type { PlotTheme } from '../plotTheme';

export const SESSION_THREE_LABEL = 'g frozen (Session III)';
/** The label when the long one fits on neither side of the line (a narrow chart). */
const SHORT_LABEL = 'g frozen';

/**
 * Where a label of `labelWidth` goes beside the line at `lineX`: right of it, else left of it,
 * else (it fits on neither side) as far right as the plot allows; null when wider than the plot.
 */
export function labelX(lineX: number, labelWidth: number, plotWidth: number): number | null {
  if (labelWidth + 4 > plotWidth) return null;
  if (lineX + 6 + labelWidth <= plotWidth) return lineX + 6;
  if (lineX - 6 - labelWidth >= 0) return lineX - 6 - labelWidth;
  return Math.max(2, plotWidth - labelWidth - 2);
}

/** The longest label that fits beside the line without covering it (or the short one anyway). */
function chooseLabel(ctx: CanvasRenderingContext2D, lineX: number, plotWidth: number): { text: string; x: number } | null {
  for (const text of [SESSION_THREE_LABEL, SHORT_LABEL]) {
    const w = ctx.measureText(text).width;
    const right = lineX + 6 + w <= plotWidth;
    const left = lineX - 6 - w >= 0;
    if (right || left) return { text, x: labelX(lineX, w, plotWidth)! };
  }
  const x = labelX(lineX, ctx.measureText(SHORT_LABEL).width, plotWidth);
  return x === null ? null : { text: SHORT_LABEL, x };
}

/** Draws the line and its label in plot-area coordinates; nothing when the step is off the axis. */
export function drawSessionMark(c: ContentContext, step: number, x: Range, theme: PlotTheme): boolean {
  if (!(step >= x[0] && step <= x[1])) return false;
  const { ctx } = c;
  const px = Math.round(scale(x, 0, c.width, false)(step)) + 0.5;
  ctx.save();
  ctx.strokeStyle = theme.text;
  ctx.globalAlpha = 0.75;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([5, 4]);
  ctx.beginPath();
  ctx.moveTo(px, 0);
  ctx.lineTo(px, c.height);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  const size = Math.round(11 * theme.textScale);
  ctx.font = `600 ${size}px ${theme.font}`;
  const label = chooseLabel(ctx, px, c.width);
  if (label) {
    const width = ctx.measureText(label.text).width;
    // A backing in the page's surface colour keeps the label legible over the curves.
    ctx.fillStyle = theme.surface;
    ctx.globalAlpha = 0.85;
    ctx.fillRect(label.x - 2, 3, width + 4, size + 4);
    ctx.globalAlpha = 1;
    ctx.fillStyle = theme.text;
    ctx.textBaseline = 'top';
    ctx.fillText(label.text, label.x, 5);
  }
  ctx.restore();
  return true;
}
