/**
 * Colour scales. Both are diverging and colour-blind safe: blue-white-red is ColorBrewer's RdBu
 * (readable with all common colour-vision deficiencies), orange-blue is TensorFlow Playground's
 * class palette (the blue/orange pair stays distinct for red-green colour blindness).
 */

export type Rgb = readonly [number, number, number];

/** ColorBrewer RdBu, 11 classes, from negative (blue) to positive (red). */
const BLUE_WHITE_RED: readonly Rgb[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

/** TensorFlow Playground's classes: orange (class 0) through near-white to blue (class 1). */
const ORANGE_BLUE: readonly Rgb[] = [
  [245, 147, 34],
  [232, 234, 235],
  [8, 119, 189],
];

export const CLASS_COLORS = { zero: 'rgb(245, 147, 34)', one: 'rgb(8, 119, 189)' } as const;

function toCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** The blue-white-red scale as [position 0..1, CSS colour] stops (for the colour bar). */
export const DIVERGING_STOPS: [number, string][] = BLUE_WHITE_RED.map((c, i) => [i / (BLUE_WHITE_RED.length - 1), toCss(c)]);

/** Piecewise-linear colour at t in [0, 1] along a list of stops (t is clamped; NaN gives the middle). */
function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5;
  const x = u * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** Blue-white-red for a value in [-range, range], white at 0. */
export function divergingColor(value: number, range: number): Rgb {
  return interpolate(BLUE_WHITE_RED, range > 0 ? 0.5 + value / (2 * range) : 0.5);
}

/** Orange-white-blue for a probability of class 1. */
export function classColor(probability: number): Rgb {
  return interpolate(ORANGE_BLUE, probability);
}

/** Okabe-Ito colours for lines (train / test), safe for colour-vision deficiencies. */
export const LINE_COLORS = { train: '#0072B2', test: '#D55E00' } as const;

/** One Okabe-Ito colour per model, for charts that compare models (robustness, compare mode). */
export const MODEL_COLORS: Readonly<Record<string, string>> = {
  twoArg: '#D55E00',
  oneArg: '#009E73',
  relu: '#0072B2',
  tanh: '#CC79A7',
  sigmoid: '#E69F00',
};

export function modelColor(model: string): string {
  return MODEL_COLORS[model] ?? '#777777';
}
