/**
 * Axis ranges that stay put while data streams in. Every change of an axis range makes Plotly
 * redraw the axis (ticks, labels), which is the expensive part of an update; so a range only
 * changes when the data leave it or shrink to a small part of it, and then to round numbers.
 */

/** The smallest of 1, 2, 5 x 10^k that is >= x (x > 0). */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** A round number <= x for the lower end (negative x mirrors niceCeil). */
export function niceFloor(x: number): number {
  if (x >= 0) {
    if (x === 0 || !Number.isFinite(x)) return 0;
    const p = 10 ** Math.floor(Math.log10(x));
    for (const m of [5, 2, 1]) if (m * p <= x) return m * p;
    return 0;
  }
  return -niceCeil(-x);
}

export type Range = [number, number];

/** Finite min and max of some arrays (null when there is no finite value). */
export function extent(...arrays: ArrayLike<number | null>[]): Range | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of arrays) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Keeps `prev` while it contains [lo, hi] and the data fill at least `minFill` of it; else a
 * new range padded by 5% and rounded to a step of the span's order of magnitude.
 */
export function stickyRange(prev: Range | null, lo: number, hi: number, minFill = 0.4): Range {
  if (prev && lo >= prev[0] && hi <= prev[1] && hi - lo >= minFill * (prev[1] - prev[0])) return prev;
  const span = Math.max(hi - lo, Math.abs(hi) * 1e-3, 1e-9);
  const step = niceCeil(span / 5);
  const pad = span * 0.05;
  return [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
}

/** Round tops for a growing axis: the data always fill more than half of it (usually 2/3). */
const GROWTH_STEPS = [1, 1.5, 2, 3, 5, 7.5, 10];

/** x range [0, round number] growing with the step count, in jumps of at most 5/3. */
export function stepRange(prev: Range | null, maxStep: number): Range {
  const need = Math.max(10, maxStep * 1.02);
  const p = 10 ** Math.floor(Math.log10(need));
  const top = (GROWTH_STEPS.find((m) => m * p >= need) ?? 10) * p;
  return prev && prev[1] === top ? prev : [0, top];
}
