/**
 * Geometry of the input plane as the decision surface shows it: which square, where a pointer
 * lands on it, and how large the data points are drawn. Pure functions, no DOM.
 */

/** The plane shown (the data lie within about ±1.5; the decision grid covers the same square). */
export const DEFAULT_PLANE = { min: -1.5, max: 1.5 } as const;

export interface Plane {
  min: number;
  max: number;
}

/** A pointer at (clientX, clientY) over an element at `rect` -> plane coordinates (y grows upwards). */
export function clientToPlane(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
  plane: Plane = DEFAULT_PLANE,
): [number, number] {
  const span = plane.max - plane.min;
  return [plane.min + ((clientX - rect.left) / rect.width) * span, plane.max - ((clientY - rect.top) / rect.height) * span];
}

/** A length of `px` CSS pixels on an element `widthPx` wide, in plane units. */
export function pxToPlane(px: number, widthPx: number, plane: Plane = DEFAULT_PLANE): number {
  return (px / Math.max(1, widthPx)) * (plane.max - plane.min);
}

/** Dot radius in CSS px: few points (a drawing) get big dots; tens of thousands (an upload) small ones. */
export function pointRadius(total: number, widthPx: number): number {
  if (total <= 200) return Math.max(3, Math.min(6, widthPx / 70));
  return Math.max(total > 20_000 ? 1.2 : 2, Math.min(total > 2000 ? 2.5 : 4, widthPx / 110));
}
