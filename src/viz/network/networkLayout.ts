/**
 * Where the network view puts its units and links, in the units of one SVG viewBox that the
 * unit buttons share (positioned in percent of it), so pictures and links line up at any size
 * without measuring the page. Pure: columns in, boxes and link paths out.
 */

/** Side of a unit's picture, the gap between units of a column and between columns (viewBox units). */
export const UNIT = 40;
const GAP_Y = 12;
const GAP_X = 64;
const PAD = 6;

export interface UnitBox {
  /** Column (0 = inputs, last = output) and place in it. */
  column: number;
  index: number;
  x: number;
  y: number;
}

export interface NetworkLayout {
  width: number;
  height: number;
  columns: UnitBox[][];
}

/** Columns of `counts[i]` units, each column centred vertically. */
export function networkLayout(counts: readonly number[]): NetworkLayout {
  const tallest = Math.max(1, ...counts);
  const height = 2 * PAD + tallest * UNIT + (tallest - 1) * GAP_Y;
  const width = 2 * PAD + counts.length * UNIT + Math.max(0, counts.length - 1) * GAP_X;
  const columns = counts.map((n, column) => {
    const top = (height - (n * UNIT + (n - 1) * GAP_Y)) / 2;
    return Array.from({ length: n }, (_, index) => ({ column, index, x: PAD + column * (UNIT + GAP_X), y: top + index * (UNIT + GAP_Y) }));
  });
  return { width, height, columns };
}

/**
 * Where a link enters a unit: two-argument units take a in the upper half of their left edge
 * and b in the lower half; other units in the middle.
 */
export function inlet(box: UnitBox, argument: number, perUnit: 1 | 2): { x: number; y: number } {
  const frac = perUnit === 1 ? 0.5 : argument === 0 ? 0.3 : 0.7;
  return { x: box.x, y: box.y + frac * UNIT };
}

/** A smooth link (cubic Bézier) from the right edge of `from` to a point on the left edge of a unit. */
export function linkPath(from: UnitBox, to: { x: number; y: number }): string {
  const x0 = from.x + UNIT;
  const y0 = from.y + UNIT / 2;
  const mid = (x0 + to.x) / 2;
  return `M${x0.toFixed(1)},${y0.toFixed(1)} C${mid.toFixed(1)},${y0.toFixed(1)} ${mid.toFixed(1)},${to.y.toFixed(1)} ${to.x.toFixed(1)},${to.y.toFixed(1)}`;
}

/** Width (viewBox units) and opacity of a link of weight w when the largest |w| among its layer's links is `max`. */
export function linkStyle(w: number, max: number): { width: number; opacity: number } {
  const t = max > 0 && Number.isFinite(w) ? Math.min(1, Math.abs(w) / max) : 0;
  return { width: 0.6 + 3.4 * t, opacity: 0.25 + 0.75 * t };
}

/** Largest |value| of an array (0 when empty or all non-finite). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}
