/**
 * Hover read-outs for framed charts (content on a canvas, which Plotly does not hover): maps
 * the pointer to data coordinates over the plot area and shows a small tooltip, optionally with
 * a vertical guide line ('x unified' style: every series at the hovered step). Pure DOM.
 */
import type { PlotArea } from './framedChart';

export interface HoverContent {
  lines: string[];
  /** Where to draw the vertical guide, in data x (for unified read-outs). */
  guideX?: number;
}

export interface HoverOptions {
  area: () => PlotArea | null;
  ranges: () => { x: [number, number]; y: [number, number] } | null;
  describe: (x: number, y: number) => HoverContent | null;
}

/** Listens on the chart's frame element (positioned); tooltip and guide live inside it. */
export function attachHover(frame: HTMLElement, options: HoverOptions): () => void {
  const tip = document.createElement('div');
  tip.className = 'hover-tip';
  tip.setAttribute('aria-hidden', 'true');
  tip.hidden = true;
  const guide = document.createElement('div');
  guide.className = 'hover-guide';
  guide.hidden = true;
  frame.append(tip, guide);

  const hide = () => {
    tip.hidden = true;
    guide.hidden = true;
  };

  const onMove = (e: PointerEvent) => {
    const area = options.area();
    const ranges = options.ranges();
    if (!area || !ranges || area.width <= 0 || area.height <= 0) return hide();
    const box = frame.getBoundingClientRect();
    const px = e.clientX - box.left;
    const py = e.clientY - box.top;
    if (px < area.left || px > area.left + area.width || py < area.top || py > area.top + area.height) return hide();
    const x = ranges.x[0] + ((px - area.left) / area.width) * (ranges.x[1] - ranges.x[0]);
    const y = ranges.y[1] - ((py - area.top) / area.height) * (ranges.y[1] - ranges.y[0]);
    const content = options.describe(x, y);
    if (!content) return hide();
    tip.replaceChildren(...content.lines.map((t) => Object.assign(document.createElement('div'), { textContent: t })));
    tip.hidden = false;
    // Keep the tooltip inside the chart: flip to the left of the pointer near the right edge.
    const flip = px > box.width * 0.6;
    tip.style.left = `${flip ? px - 14 - tip.offsetWidth : px + 14}px`;
    tip.style.top = `${Math.max(0, Math.min(py + 14, box.height - tip.offsetHeight))}px`;
    if (content.guideX !== undefined) {
      const gx = area.left + ((content.guideX - ranges.x[0]) / (ranges.x[1] - ranges.x[0])) * area.width;
      guide.hidden = false;
      guide.style.left = `${gx}px`;
      guide.style.top = `${area.top}px`;
      guide.style.height = `${area.height}px`;
    } else {
      guide.hidden = true;
    }
  };

  frame.addEventListener('pointermove', onMove);
  frame.addEventListener('pointerleave', hide);
  return () => {
    frame.removeEventListener('pointermove', onMove);
    frame.removeEventListener('pointerleave', hide);
    tip.remove();
    guide.remove();
  };
}
