/**
 * The ONE schema of every playground parameter: name, type, range, default, help text.
 * It drives the controls (src/ui), validation and the shareable link (src/state/link.ts),
 * so a new parameter cannot be forgotten in one of them: `PARAM_SPECS` is keyed by every
 * field of `Params`, and the compiler rejects a missing entry.
 * Over 300 lines on purpose: every parameter's spec in one table is the point of the schema.
 */

import { DATASETS, type DatasetName } from './data/datasets2d';
import type { ImageDatasetId } from './data/imageAssets';
import { decodePointsFromLink, encodePointsForLink } from './data/pointsLink';
import { SESSION_ONE_MODES, type SessionOneMode } from './train/sessionOnePlan';

/** The image data sets (public/data/), by their name in links. */
export const IMAGE_DATA = ['digits', 'fashion'] as const;
export type ImageDataName = (typeof IMAGE_DATA)[number];
/** Every choice of the dataset param: generated 2D, the user's own 2D points, images. */
export const DATA_SOURCES = [...DATASETS, 'custom', ...IMAGE_DATA] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/** Asset ids (public/data/manifest.json) of the image data sets. */
export const IMAGE_ASSET_IDS: Record<ImageDataName, ImageDatasetId> = { digits: 'digits', fashion: 'fashion-mnist' };

export function isGeneratedDataset(d: string): d is DatasetName {
  return (DATASETS as readonly string[]).includes(d);
}
export function isImageDataset(d: string): d is ImageDataName {
  return (IMAGE_DATA as readonly string[]).includes(d);
}

export const PLAYGROUND_MODELS = ['twoArg', 'oneArg', 'relu', 'tanh', 'sigmoid'] as const;
/** Models compare mode can train side by side (the playground's models), at most MAX_COMPARE_MODELS at once. */
export const COMPARE_MODELS = PLAYGROUND_MODELS;
export const MAX_COMPARE_MODELS = 4;
export const MAX_COMPARE_SEEDS = 8;
export const BACKEND_CHOICES = ['auto', 'fused', 'webgpu-fused', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Controls that `hide=` can remove from the normal view (as the classic playground's *_hide). */
export const HIDEABLE = ['data', 'model', 'training', 'explain', 'decision', 'verdict', 'robustness', 'curves', 'backend'] as const;

export interface Params {
  dataset: DataSource;
  /** Drawn points of the custom data set in link form (see encodePointsForLink); '' for none or too many. */
  points: string;
  noise: number;
  train: number;
  n: number;
  seed: number;
  model: (typeof PLAYGROUND_MODELS)[number];
  hidden: number[];
  inner: number[];
  innerAct: 'relu' | 'tanh' | 'sigmoid' | 'elu';
  innerShared: boolean;
  ln: boolean;
  match: boolean;
  pretrain: number;
  /** Session I's schedule: the app's "visible" one or the authors' ("paper"); see train/sessionOne.ts. */
  sessionOne: SessionOneMode;
  optimizer: 'adam' | 'sgd';
  lr: number;
  batch: number;
  l2: number;
  dropout: number;
  backend: BackendChoice;
  autoplay: boolean;
  embed: boolean;
  hide: string[];
  /** Compare mode: the models trained side by side (empty: the single-run playground). */
  compare: string[];
  /** Compare mode: seeds per model (seed, seed + 1, ...). */
  seeds: number;
}

export type ParamGroup = 'data' | 'model' | 'training' | 'view';

interface SpecBase<T> {
  label: string;
  help: string;
  group: ParamGroup;
  default: T;
  /** Applied to a running model without rebuilding it (learning rate, batch size...). */
  live?: boolean;
}
export interface EnumSpec<T extends string> extends SpecBase<T> {
  kind: 'enum';
  options: readonly T[];
  /** Optional grouping of the options in the control (every option in exactly one group). */
  groups?: readonly { label: string; options: readonly T[] }[];
}
export interface NumberSpec extends SpecBase<number> {
  kind: 'number';
  min: number;
  max: number;
  /** Slider on a log scale (learning rates). */
  log?: boolean;
  integer?: boolean;
}
export interface BoolSpec extends SpecBase<boolean> {
  kind: 'bool';
}
export interface IntListSpec extends SpecBase<number[]> {
  kind: 'intList';
  minLength: number;
  maxLength: number;
  min: number;
  max: number;
}
export interface NameListSpec extends SpecBase<string[]> {
  kind: 'nameList';
  options: readonly string[];
  /** At most this many names (the first ones are kept). */
  maxLength?: number;
}
/** Drawn 2D points as link text (at most LINK_MAX_POINTS); set by drawing, not by a control. */
export interface PointsSpec extends SpecBase<string> {
  kind: 'points';
}

// Tuple-wrapped so unions of string literals map to one EnumSpec, not a union of them.
export type Spec<T> = [T] extends [boolean]
  ? BoolSpec
  : [T] extends [number]
    ? NumberSpec
    : [T] extends [number[]]
      ? IntListSpec
      : [T] extends [string[]]
        ? NameListSpec
        : [T] extends [string]
          ? EnumSpec<T>
          : never;

export type ParamSpecs = { [K in keyof Params]: K extends 'points' ? PointsSpec : Spec<Params[K]> };

export const PARAM_SPECS: ParamSpecs = {
  dataset: {
    kind: 'enum',
    group: 'data',
    label: 'Dataset',
    options: DATA_SOURCES,
    default: 'xor',
    groups: [
      { label: '2D points', options: [...DATASETS, 'custom'] },
      { label: 'Images (10 classes)', options: IMAGE_DATA },
    ],
    help: 'What to learn. 2D: orange and blue points are the two classes; "your own" lets you draw points or upload a CSV. Images: handwritten digits (8x8) or Fashion-MNIST (28x28), loaded when chosen, with a softmax over 10 classes.',
  },
  points: {
    kind: 'points',
    group: 'data',
    label: 'Drawn points',
    default: '',
    help: 'The points of your own data set, when there are at most 200 of them (larger ones travel as a CSV).',
  },
  noise: {
    kind: 'number',
    group: 'data',
    label: 'Noise',
    min: 0,
    max: 0.5,
    default: 0.1,
    help: 'How much the points scatter around their class pattern (0 = clean, 0.5 = very noisy).',
  },
  train: {
    kind: 'number',
    group: 'data',
    label: 'Train fraction',
    min: 0.1,
    max: 0.9,
    default: 0.5,
    help: 'Fraction of the points used for training; the rest are held out as test data.',
  },
  n: {
    kind: 'number',
    group: 'data',
    label: 'Samples',
    min: 20,
    max: 5000,
    integer: true,
    default: 500,
    help: 'Total number of points generated.',
  },
  seed: {
    kind: 'number',
    group: 'data',
    label: 'Seed',
    min: 0,
    max: 2147483647,
    integer: true,
    default: 1,
    help: 'One seed fixes the data, the initial weights and the batch order: the same link gives the same run.',
  },
  model: {
    kind: 'enum',
    group: 'model',
    label: 'Model',
    options: PLAYGROUND_MODELS,
    default: 'twoArg',
    help: 'twoArg: every unit combines two weighted sums a, b with the shared learned g(a, b). oneArg: a learned g(x) of one sum. relu / tanh / sigmoid: fixed activations.',
  },
  hidden: {
    kind: 'intList',
    group: 'model',
    label: 'Hidden units',
    minLength: 0,
    maxLength: 6,
    min: 1,
    max: 64,
    default: [8, 8],
    help: 'Units per hidden layer, e.g. 8,8. A two-argument unit computes two weighted sums.',
  },
  inner: {
    kind: 'intList',
    group: 'model',
    label: 'Size of g',
    minLength: 1,
    maxLength: 3,
    min: 2,
    max: 64,
    default: [16, 16],
    help: 'Hidden widths of the inner network g. The paper used 64,64; smaller is faster in a browser.',
  },
  innerAct: {
    kind: 'enum',
    group: 'model',
    label: 'Activation inside g',
    options: ['relu', 'tanh', 'sigmoid', 'elu'],
    default: 'relu',
    help: 'The fixed nonlinearity inside the small network g (the paper used ReLU).',
  },
  innerShared: {
    kind: 'bool',
    group: 'model',
    label: 'One g for all layers',
    default: true,
    help: 'On: one g shared by every layer, as in the paper. Off: each layer learns its own g.',
  },
  ln: {
    kind: 'bool',
    group: 'model',
    label: 'LayerNorm',
    default: true,
    help: "Normalise each layer's pre-activations (no learnable scale or shift) before the activation, as the paper did.",
  },
  match: {
    kind: 'bool',
    group: 'model',
    label: 'Match parameters',
    default: false,
    help: 'Widen a baseline so its total parameter count matches the two-argument network with these settings (within 2%).',
  },
  pretrain: {
    kind: 'number',
    group: 'model',
    label: 'Session I length',
    min: 0,
    max: 2000,
    integer: true,
    default: 300,
    help: "Pretrain g on a random smooth surface (the paper's Session I) so any shape that emerges is learned: steps with the visible target, epochs with the paper's (the authors ran 500). 0 = start from Xavier-initialised g.",
  },
  sessionOne: {
    kind: 'enum',
    group: 'model',
    label: 'Session I target',
    options: SESSION_ONE_MODES,
    default: 'visible',
    help: "visible: the random surface rescaled to ±1 so g's start shows on the heatmap, fitted in steps of 512 points at lr 0.01. paper: the authors' Session I, the surface as smoothing leaves it (std about 0.05, peaks about 0.15), fitted for epochs of batch 200 over the grid at Adam lr 1e-3.",
  },
  optimizer: {
    kind: 'enum',
    group: 'training',
    label: 'Optimizer',
    options: ['adam', 'sgd'],
    default: 'adam',
    live: true,
    help: 'Adam (the paper) or SGD with momentum 0.9.',
  },
  lr: {
    kind: 'number',
    group: 'training',
    label: 'Learning rate',
    min: 1e-5,
    max: 3,
    log: true,
    default: 0.003,
    live: true,
    help: 'Step size. Applies immediately without a reset. Too large and the run diverges.',
  },
  batch: {
    kind: 'number',
    group: 'training',
    label: 'Batch size',
    min: 1,
    max: 512,
    integer: true,
    default: 32,
    live: true,
    help: 'Examples per training step.',
  },
  l2: {
    kind: 'number',
    group: 'training',
    label: 'L2',
    min: 0,
    max: 0.1,
    default: 0,
    live: true,
    help: 'Weight decay penalty on weight matrices.',
  },
  dropout: {
    kind: 'number',
    group: 'training',
    label: 'Dropout',
    min: 0,
    max: 0.9,
    default: 0,
    live: true,
    help: 'Fraction of hidden units dropped at random each step (the paper used 0.5 on images).',
  },
  backend: {
    kind: 'enum',
    group: 'view',
    label: 'Backend',
    options: BACKEND_CHOICES,
    default: 'auto',
    help: 'Where the maths runs. auto: times each engine for a moment and keeps the fastest (fused: our own WebAssembly SIMD engine; webgpu-fused: the same step as WebGPU compute shaders, timed on hardware GPUs only). Switching keeps the weights.',
  },
  autoplay: {
    kind: 'bool',
    group: 'view',
    label: 'Autoplay',
    default: false,
    help: 'Start training as soon as the page opens.',
  },
  embed: {
    kind: 'bool',
    group: 'view',
    label: 'Embed view',
    default: false,
    help: 'Only the heatmap, the loss chart and a play button, for slides.',
  },
  hide: {
    kind: 'nameList',
    group: 'view',
    label: 'Hidden panels',
    options: HIDEABLE,
    default: [],
    help: 'Panels to hide in the normal view.',
  },
  compare: {
    kind: 'nameList',
    group: 'view',
    label: 'Compare models',
    options: COMPARE_MODELS,
    maxLength: MAX_COMPARE_MODELS,
    default: [],
    help: 'Compare mode: these models train side by side on the same data, each baseline parameter-matched to the two-argument model. Empty: one run.',
  },
  seeds: {
    kind: 'number',
    group: 'view',
    label: 'Seeds per model',
    min: 1,
    max: MAX_COMPARE_SEEDS,
    integer: true,
    default: 4,
    help: 'Compare mode: runs per model, with seeds seed, seed + 1, ... (the spread over seeds is what the statistics measure).',
  },
};

export const PARAM_KEYS = Object.keys(PARAM_SPECS) as (keyof Params)[];

export function defaultParams(): Params {
  const out = {} as Record<string, unknown>;
  for (const key of PARAM_KEYS) {
    const d = PARAM_SPECS[key].default;
    out[key] = Array.isArray(d) ? [...d] : d;
  }
  return out as unknown as Params;
}

/** A correction made while sanitising input: which key, what was wrong, what it became. */
export interface Correction {
  key: string;
  /** What was wrong and what the value became ("not a whole number; now 500"). */
  problem: string;
}

/** Where a sanitising problem's text says what the value became (run files, which refuse instead, cut it off). */
export const NOW_SEPARATOR = '; now ';

/** A value as the corrections notice names it. */
export function shownValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  if (value === '') return 'none';
  return String(value);
}

/** The points of a link form, when they are all of one class (a data set needs both, as an upload does). */
function oneClassOnly(points: { y: Float32Array }): boolean {
  return points.y.length > 0 && (points.y.every((c) => c === 0) || points.y.every((c) => c === 1));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Coerces one untrusted value to a valid value of a spec. Numbers out of range are clamped,
 * malformed values replaced by the default. Returns the value and, if it changed, why.
 */
export function sanitizeValue<K extends keyof Params>(key: K, raw: unknown): { value: Params[K]; problem?: string } {
  const spec = PARAM_SPECS[key] as (Spec<Params[K]> | PointsSpec) & SpecBase<Params[K]>;
  const fallback = (problem: string) => ({
    value: structuredClone(spec.default) as Params[K],
    problem: `${problem}${NOW_SEPARATOR}${shownValue(spec.default)}`,
  });
  const changed = (problem: string, value: unknown) => ({
    value: value as Params[K],
    problem: `${problem}${NOW_SEPARATOR}${shownValue(value)}`,
  });
  switch (spec.kind) {
    case 'enum': {
      return typeof raw === 'string' && (spec.options as readonly string[]).includes(raw)
        ? { value: raw as Params[K] }
        : fallback('not one of the allowed values');
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { value: raw as Params[K] };
      return fallback('not true or false');
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return fallback('not a number');
      const clamped = clamp(raw, spec.min, spec.max);
      const v = spec.integer ? Math.round(clamped) : clamped;
      if (clamped !== raw) return changed(`out of range [${spec.min}, ${spec.max}]`, v);
      if (v !== raw) return changed('must be a whole number', v);
      return { value: v as Params[K] };
    }
    case 'intList': {
      if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
        return fallback('not a list of numbers');
      }
      if (raw.length < spec.minLength || raw.length > spec.maxLength) {
        return fallback(`needs ${spec.minLength} to ${spec.maxLength} entries`);
      }
      const v = (raw as number[]).map((x) => clamp(Math.round(x), spec.min, spec.max));
      return v.some((x, i) => x !== raw[i])
        ? changed(`entries must be whole numbers in [${spec.min}, ${spec.max}]`, v)
        : { value: v as Params[K] };
    }
    case 'points': {
      const points = decodePointsFromLink(raw);
      if (!points) return fallback('not a list of points (x, class, y)');
      if (oneClassOnly(points)) return fallback('every point has the same class; both classes are needed');
      // Canonical form, so equal point sets compare equal.
      return { value: (encodePointsForLink(points.x, points.y) ?? '') as Params[K] };
    }
    case 'nameList': {
      if (!Array.isArray(raw)) return fallback('not a list');
      const unknown = raw.filter((x) => typeof x !== 'string' || !spec.options.includes(x));
      const known = raw.filter((x): x is string => typeof x === 'string' && spec.options.includes(x));
      const distinct = [...new Set(known)];
      const unique = spec.maxLength !== undefined ? distinct.slice(0, spec.maxLength) : distinct;
      const problems = [
        ...(unknown.length > 0
          ? [`unknown ${unknown.length === 1 ? 'name' : 'names'} ${unknown.map((x) => `"${String(x).slice(0, 20)}"`).join(', ')} dropped`]
          : []),
        ...(distinct.length < known.length ? ['repeated names given once'] : []),
        ...(unique.length < distinct.length ? [`at most ${spec.maxLength} names, the first kept`] : []),
      ];
      return problems.length > 0 ? changed(problems.join(', '), unique) : { value: unique as Params[K] };
    }
  }
  return fallback('unknown parameter type');
}

/** Builds valid Params from an untrusted partial object; unknown keys are ignored. */
export function sanitizeParams(
  raw: Partial<Record<string, unknown>>,
  base: Params = defaultParams(),
): {
  params: Params;
  corrections: Correction[];
} {
  const params = structuredClone(base);
  const corrections: Correction[] = [];
  for (const key of PARAM_KEYS) {
    if (!(key in raw)) continue;
    const { value, problem } = sanitizeValue(key, raw[key]);
    (params as unknown as Record<string, unknown>)[key] = value;
    if (problem) corrections.push({ key, problem });
  }
  return { params, corrections };
}

/** True when switching from a to b needs a new model (data, architecture or seed changed). */
export function needsRebuild(a: Params, b: Params): boolean {
  for (const key of PARAM_KEYS) {
    const spec = PARAM_SPECS[key];
    if (spec.live || spec.group === 'view') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return true;
  }
  return false;
}
