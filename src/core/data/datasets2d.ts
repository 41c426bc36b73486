/**
 * Seeded 2D binary classification problems in the spirit of TensorFlow Playground. Each data set
 * depends only on (name, n, noise, seed): its RNG stream is derived from the seed and the name,
 * so changing the model or the training settings never changes which points are drawn, and the
 * train fraction only moves the split point within the same shuffled points.
 */
import { ConfigError } from '../config';
import { Rng } from '../rng';

/** The generated 2D data sets, by their name in links (the dataset param, src/core/params.ts). */
export const DATASETS = ['xor', 'circle', 'gauss', 'spiral', 'moons', 'checkerboard'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface Dataset2D {
  trainX: Float32Array;
  trainY: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
} // X interleaved (x,y); Y labels 0/1
export interface Dataset2DOptions {
  n: number;
  noise: number;
  trainFraction: number;
  seed: number;
}

/**
 * Half-width of the data square. Every clean pattern lies in [-DATA_DOMAIN, DATA_DOMAIN]^2.
 * Noise moves points by up to noise * DATA_DOMAIN per coordinate (uniformly), and the Gaussian
 * blobs are truncated, so all points stay inside [-1.5, 1.5]^2 (noise <= 0.5). Views that draw
 * the data or the decision surface should cover at least that square.
 */
export const DATA_DOMAIN = 1.0;

/** Bound for Gaussian blobs (resampled beyond it) so no point leaves the documented square. */
const MAX_COORD = 1.5 * DATA_DOMAIN;

const LIMITS = {
  n: [4, 100000],
  noise: [0, 0.5],
  trainFraction: [0.05, 0.95],
  seed: [0, 4294967295],
} as const;

function check(field: keyof typeof LIMITS, value: unknown, integer: boolean): void {
  const [lo, hi] = LIMITS[field];
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value));
  if (!ok || value < lo || value > hi) {
    const what = integer ? 'a whole number' : 'a number';
    throw new ConfigError(field, `must be ${what} in [${lo}, ${hi}], got ${String(value)}`);
  }
}

/** Rejects bad options before drawing anything; errors name the field and its range. */
export function validateDataset2DOptions(name: unknown, opts: Dataset2DOptions): void {
  if (typeof name !== 'string' || !(DATASETS as readonly string[]).includes(name)) {
    throw new ConfigError('dataset', `must be one of ${DATASETS.join(', ')}, got ${String(name)}`);
  }
  check('n', opts.n, true);
  check('noise', opts.noise, false);
  check('trainFraction', opts.trainFraction, false);
  check('seed', opts.seed, true);
}

/** Draws one clean point of class `label` (1 or 0) into out[0], out[1]. */
type Sampler = (rng: Rng, label: number, out: [number, number], noise: number) => void;

/** Uniform displacement of up to noise * DATA_DOMAIN per coordinate (as TF Playground's noise). */
function jitter(rng: Rng, p: [number, number], noise: number): void {
  if (noise <= 0) return;
  p[0] += rng.uniform(-noise, noise) * DATA_DOMAIN;
  p[1] += rng.uniform(-noise, noise) * DATA_DOMAIN;
}

/** XOR: uniform in the square but at least XOR_MARGIN from the axes; label 1 iff x*y > 0. */
const XOR_MARGIN = 0.05;
const xor: Sampler = (rng, label, p, noise) => {
  const sx = rng.next() < 0.5 ? -1 : 1;
  const sy = label === 1 ? sx : -sx;
  p[0] = sx * rng.uniform(XOR_MARGIN, 1) * DATA_DOMAIN;
  p[1] = sy * rng.uniform(XOR_MARGIN, 1) * DATA_DOMAIN;
  jitter(rng, p, noise);
};

/** Circle: label 1 = inner disc r < 0.5, label 0 = ring 0.7 < r < 1 (area-uniform in each). */
export const CIRCLE_INNER = 0.5;
export const CIRCLE_RING: readonly [number, number] = [0.7, 1.0];
const circle: Sampler = (rng, label, p, noise) => {
  const [lo, hi] = label === 1 ? [0, CIRCLE_INNER] : CIRCLE_RING;
  const r = Math.sqrt(rng.uniform(lo * lo, hi * hi)) * DATA_DOMAIN;
  const t = rng.uniform(0, 2 * Math.PI);
  p[0] = r * Math.cos(t);
  p[1] = r * Math.sin(t);
  jitter(rng, p, noise);
};

/** Two Gaussian blobs at +-(0.5, 0.5); noise widens them (sd 0.15 at noise 0, 0.45 at 0.5). */
const gauss: Sampler = (rng, label, p, noise) => {
  const m = (label === 1 ? 0.5 : -0.5) * DATA_DOMAIN;
  const sd = (0.15 + 0.6 * noise) * DATA_DOMAIN;
  do {
    p[0] = rng.normal(m, sd);
    p[1] = rng.normal(m, sd);
  } while (Math.abs(p[0]) > MAX_COORD || Math.abs(p[1]) > MAX_COORD);
};

/** Two interleaved spirals of 1.5 turns, radius growing from 0 to 1; class 0 is rotated by pi. */
const SPIRAL_TURNS = 1.5;
const spiral: Sampler = (rng, label, p, noise) => {
  const s = rng.next();
  const r = s * DATA_DOMAIN;
  const t = 2 * Math.PI * SPIRAL_TURNS * s + (label === 1 ? 0 : Math.PI);
  p[0] = r * Math.cos(t);
  p[1] = r * Math.sin(t);
  jitter(rng, p, noise);
};

/**
 * Two interleaving half-moons (as scikit-learn's make_moons): upper moon (cos t, sin t) is
 * label 1, lower moon (1 - cos t, 0.5 - sin t) label 0, t in [0, pi]. Together they span
 * x in [-1, 2], y in [-0.5, 1]; centring on (0.5, 0.25) and dividing by 1.5 maps them to
 * x in [-1, 1], y in [-0.5, 0.5].
 */
const moons: Sampler = (rng, label, p, noise) => {
  const t = rng.uniform(0, Math.PI);
  const x = label === 1 ? Math.cos(t) : 1 - Math.cos(t);
  const y = label === 1 ? Math.sin(t) : 0.5 - Math.sin(t);
  p[0] = ((x - 0.5) / 1.5) * DATA_DOMAIN;
  p[1] = ((y - 0.25) / 1.5) * DATA_DOMAIN;
  jitter(rng, p, noise);
};

/** Checkerboard of CHECKER_CELLS x CHECKER_CELLS cells over the square; label 1 on even cells. */
export const CHECKER_CELLS = 4;
export function checkerboardLabel(x: number, y: number): number {
  const w = (2 * DATA_DOMAIN) / CHECKER_CELLS;
  const i = Math.min(CHECKER_CELLS - 1, Math.floor((x + DATA_DOMAIN) / w));
  const j = Math.min(CHECKER_CELLS - 1, Math.floor((y + DATA_DOMAIN) / w));
  return (i + j) % 2 === 0 ? 1 : 0;
}
const checkerboard: Sampler = (rng, label, p, noise) => {
  // Rejection sampling: uniform points until one falls on a cell of the wanted colour (~2 tries).
  do {
    p[0] = rng.uniform(-DATA_DOMAIN, DATA_DOMAIN);
    p[1] = rng.uniform(-DATA_DOMAIN, DATA_DOMAIN);
  } while (checkerboardLabel(p[0], p[1]) !== label);
  jitter(rng, p, noise);
};

const SAMPLERS: Record<DatasetName, Sampler> = { xor, circle, gauss, spiral, moons, checkerboard };

/**
 * Generates n points, exactly half of each class (the extra point of an odd n is class 0),
 * shuffles them with the same RNG and splits: the first round(n * trainFraction) points train
 * (at least 1 and at most n - 1, so both splits are non-empty), the rest test.
 */
export function generateDataset2D(name: DatasetName, opts: Dataset2DOptions): Dataset2D {
  validateDataset2DOptions(name, opts);
  const { n, noise, trainFraction, seed } = opts;
  const rng = Rng.derive(seed, 'data:' + name);
  const sample = SAMPLERS[name];
  const xs = new Float32Array(2 * n);
  const ys = new Float32Array(n);
  const ones = Math.floor(n / 2);
  const p: [number, number] = [0, 0];
  for (let i = 0; i < n; i++) {
    const label = i < ones ? 1 : 0;
    sample(rng, label, p, noise);
    xs[2 * i] = p[0];
    xs[2 * i + 1] = p[1];
    ys[i] = label;
  }
  return splitInOrder(xs, ys, rng.permutation(n), trainFraction);
}

/**
 * Splits 2D points (interleaved xs, labels ys) in the given shuffled order: the first
 * round(n * trainFraction) train (at least 1, at most n - 1), the rest test. Generated,
 * drawn and uploaded data all split this way.
 */
export function splitInOrder(xs: Float32Array, ys: Float32Array, order: Int32Array, trainFraction: number): Dataset2D {
  const n = ys.length;
  const nTrain = Math.min(n - 1, Math.max(1, Math.round(n * trainFraction)));
  const take = (from: number, to: number) => {
    const X = new Float32Array(2 * (to - from));
    const Y = new Float32Array(to - from);
    for (let k = from; k < to; k++) {
      const i = order[k];
      X[2 * (k - from)] = xs[2 * i];
      X[2 * (k - from) + 1] = xs[2 * i + 1];
      Y[k - from] = ys[i];
    }
    return { X, Y };
  };
  const train = take(0, nTrain);
  const test = take(nTrain, n);
  return { trainX: train.X, trainY: train.Y, testX: test.X, testY: test.Y };
}
