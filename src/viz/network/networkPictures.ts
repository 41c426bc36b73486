/**
 * The network view's drawing: each unit's small picture over the input plane, the links
 * coloured and sized by weight, the selected unit's large picture with the lines where its
 * arguments are zero, and its arguments marked on g. Canvas only (each repaint is well under a
 * millisecond for the default network), called from the throttled redraw, never per React render.
 */
import type { GridSpec } from '../../core/grid';
import type { NetworkView } from '../../core/networkView';
import { classColor, divergingColor } from '../colors';
import { contourLines } from '../contours';
import { clearedCanvas, drawGridField, drawPoints, planeToCanvas } from '../drawField';
import type { ContentContext } from '../framedChart';
import { imageExtent } from '../figures/gFigure';
import { UNIT, inlet, linkPath, linkStyle, maxAbs, type NetworkLayout } from './networkLayout';

/** A selected hidden unit: layer (0-based) and unit in it. */
export interface UnitRef {
  layer: number;
  unit: number;
}

/** The selected unit if the view still has it (a rebuilt network may have fewer units). */
export function validUnit(view: NetworkView | null, unit: UnitRef | null): UnitRef | null {
  if (!view || !unit) return null;
  const layer = view.layers[unit.layer];
  return layer && unit.unit >= 0 && unit.unit < layer.drawn ? unit : null;
}

/** One drawn unit's output over the plane, and the symmetric colour range of its layer. */
export function unitOutput(view: NetworkView, unit: UnitRef): { values: Float32Array; range: number } {
  const layer = view.layers[unit.layer];
  const cells = view.grid.size ** 2;
  return { values: layer.outputs.subarray(unit.unit * cells, (unit.unit + 1) * cells), range: maxAbs(layer.outputs) || 1 };
}

/** One argument (0 = a, 1 = b) of a drawn unit over the plane. */
export function unitArgumentPlane(view: NetworkView, unit: UnitRef, argument: number): Float32Array {
  const cells = view.grid.size ** 2;
  const k = unit.unit * view.perUnit + argument;
  return view.layers[unit.layer].argPlanes.subarray(k * cells, (k + 1) * cells);
}

/** A drawn unit's arguments for the view's examples, interleaved (a, b). */
export function unitDataArguments(view: NetworkView, unit: UnitRef): Float32Array {
  const n = view.examples * view.perUnit;
  return view.layers[unit.layer].dataArgs.subarray(unit.unit * n, (unit.unit + 1) * n);
}

/** A unit's (or an input's) picture: values on the plane's grid, blue-white-red within ±range. */
export function paintField(canvas: HTMLCanvasElement, values: ArrayLike<number>, size: number, range: number): void {
  const { ctx, width, height } = clearedCanvas(canvas);
  drawGridField(ctx, values, size, (v) => divergingColor(v, range), width, height);
}

/** An input's picture: its own coordinate over the plane (x1 grows to the right, x2 upwards). */
export function inputField(grid: GridSpec, axis: 0 | 1): Float32Array {
  const n = grid.size;
  const out = new Float32Array(n * n);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) out[r * n + c] = grid.min + ((grid.max - grid.min) * (axis === 0 ? c : r)) / Math.max(1, n - 1);
  return out;
}

/** The output's picture: the network's prediction, orange to blue as on the decision surface. */
export function paintPrediction(canvas: HTMLCanvasElement, decision: { grid: GridSpec; values: Float32Array }): void {
  const { ctx, width, height } = clearedCanvas(canvas);
  drawGridField(ctx, decision.values, decision.grid.size, classColor, width, height);
}

/**
 * The links between columns, each coloured by its weight's sign and sized by its size relative
 * to the largest of its layer. With a unit selected, links that do not touch it fade.
 */
export function paintLinks(
  canvas: HTMLCanvasElement,
  view: NetworkView,
  layout: NetworkLayout,
  selected: UnitRef | null,
  textColor: string,
): void {
  const { ctx, width } = clearedCanvas(canvas);
  const k = width / layout.width;
  ctx.save();
  ctx.scale(k, k);
  ctx.lineCap = 'round';
  const touches = (column: number, from: number, to: number) =>
    !selected || (selected.layer + 1 === column && selected.unit === to) || (selected.layer + 2 === column && selected.unit === from);
  const draw = (w: number, max: number, path: string, lit: boolean) => {
    const style = linkStyle(w, max);
    const [r, g, b] = divergingColor(w, max);
    ctx.strokeStyle = `rgba(${r | 0}, ${g | 0}, ${b | 0}, ${(lit ? style.opacity : style.opacity * 0.2).toFixed(3)})`;
    ctx.lineWidth = style.width;
    ctx.stroke(new Path2D(path));
  };
  view.layers.forEach((layer, l) => {
    const fromColumn = layout.columns[l];
    const toColumn = layout.columns[l + 1];
    const max = maxAbs(layer.weights);
    for (let j = 0; j < fromColumn.length; j++)
      for (let i = 0; i < layer.drawn; i++)
        for (let a = 0; a < view.perUnit; a++) {
          const w = layer.weights[(j * layer.drawn + i) * view.perUnit + a];
          draw(w, max, linkPath(fromColumn[j], inlet(toColumn[i], a, view.perUnit)), touches(l + 1, j, i));
        }
  });
  const last = layout.columns.length - 1;
  const max = maxAbs(view.outputWeights);
  layout.columns[last - 1].forEach((from, j) => {
    layout.columns[last].forEach((to, o) => {
      draw(view.outputWeights[j * view.outputs + o], max, linkPath(from, inlet(to, 0, 1)), touches(last, j, o));
    });
  });
  // The selected two-argument unit's inlets, named: links arriving high feed a, low feed b.
  if (selected && view.perUnit === 2) {
    const box = layout.columns[selected.layer + 1]?.[selected.unit];
    if (box) {
      ctx.fillStyle = textColor;
      ctx.font = `italic 600 ${UNIT * 0.28}px system-ui, sans-serif`;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      for (const [name, argument] of [
        ['a', 0],
        ['b', 1],
      ] as const) {
        const p = inlet(box, argument, 2);
        ctx.fillText(name, p.x - 3, p.y);
      }
    }
  }
  ctx.restore();
}

export interface DetailInput {
  view: NetworkView;
  unit: UnitRef;
  /** Training points (interleaved x, y) and labels; the first view.examples are the ones marked on g. */
  points: { x: Float32Array; y: Float32Array } | null;
  lineColor: string;
}

/**
 * The selected unit, large: its output over the plane, the first training points, and the
 * lines where its arguments are zero (a = 0 solid, b = 0 dashed): for a first-layer unit these
 * are straight lines, and a saddle g makes the picture an XOR of the two.
 */
export function paintDetail(canvas: HTMLCanvasElement, d: DetailInput): void {
  const { ctx, width, height } = clearedCanvas(canvas);
  const { view, unit } = d;
  const { values, range } = unitOutput(view, unit);
  drawGridField(ctx, values, view.grid.size, (v) => divergingColor(v, range), width, height);
  const ext = imageExtent(view.grid);
  const toCanvas = planeToCanvas({ min: ext[0], max: ext[1] }, width, height);
  if (d.points && view.examples > 0) {
    const n = Math.min(view.examples, d.points.y.length);
    drawPoints(ctx, d.points.x.subarray(0, 2 * n), d.points.y.subarray(0, n), toCanvas, 'filled', 2.5, 'rgba(255,255,255,0.85)');
  }
  ctx.strokeStyle = d.lineColor;
  ctx.lineWidth = 2;
  for (let a = 0; a < view.perUnit; a++) {
    ctx.setLineDash(a === 0 ? [] : [6, 4]);
    for (const line of contourLines(unitArgumentPlane(view, unit, a), view.grid, 0)) {
      ctx.beginPath();
      line.forEach(([x, y], i) => {
        const [px, py] = toCanvas(x, y);
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}

/**
 * The selected unit's arguments (a, b) for the first training points, as dots on g's content
 * canvas (extent: the plotted range of g's grid), coloured by the points' class.
 */
export function drawUnitCloud(
  c: ContentContext,
  pairs: Float32Array,
  labels: Float32Array | null,
  extent: readonly [number, number],
): void {
  const n = pairs.length / 2;
  const sx = (v: number) => ((v - extent[0]) / (extent[1] - extent[0])) * c.width;
  const sy = (v: number) => (1 - (v - extent[0]) / (extent[1] - extent[0])) * c.height;
  const xy = new Float32Array(2 * n);
  const cls = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = pairs[2 * i];
    xy[2 * i + 1] = pairs[2 * i + 1];
    cls[i] = labels && i < labels.length ? labels[i] : 0;
  }
  drawPoints(c.ctx, xy, cls, (x, y) => [sx(x), sy(y)], 'filled', 3, 'rgba(20, 24, 33, 0.85)');
}
