/**
 * What a robustness test in the playground asks for: the kind, the size grid and PGD's options,
 * with the default grids per kind of data and the checks every request passes in the worker
 * (a bad request is clamped or refused with a reason, never run as is).
 */
import { DEFAULT_PGD_STEP_FRACTION, DEFAULT_PGD_STEPS, type PerturbationKind } from './attacks';

export const PERTURBATION_KINDS = ['noise', 'fgsm', 'pgd'] as const satisfies readonly PerturbationKind[];

export interface RobustnessOptions {
  kind: PerturbationKind;
  /** PGD: number of signed-gradient steps. */
  pgdSteps: number;
  /** PGD: step size as a fraction of eps. */
  pgdStepFraction: number;
  /** PGD: start at a random point of the eps-ball. */
  randomStart: boolean;
}

export interface RobustnessRequestSpec extends RobustnessOptions {
  /** Perturbation sizes: sigma for noise, eps for FGSM and PGD. */
  sizes: number[];
}

export const DEFAULT_ROBUSTNESS_OPTIONS: Readonly<RobustnessOptions> = Object.freeze({
  kind: 'fgsm',
  pgdSteps: DEFAULT_PGD_STEPS,
  pgdStepFraction: DEFAULT_PGD_STEP_FRACTION,
  randomStart: true,
});

export const PGD_STEPS_RANGE = { min: 1, max: 200 } as const;
export const PGD_FRACTION_RANGE = { min: 0.01, max: 2 } as const;
/** Sizes beyond this are far outside both data scales (2D data spans about +-1.5, pixels +-1). */
export const MAX_SIZE = 10;
export const MAX_SIZES = 21;
/** Points of a default grid (0 included). */
const GRID_POINTS = 11;

/** `count` evenly spaced sizes from 0 to `max`, rounded to 4 decimals. */
function grid(max: number, count = GRID_POINTS): number[] {
  return Array.from({ length: count }, (_, i) => Math.round((i / (count - 1)) * max * 1e4) / 1e4);
}

/**
 * The default sizes. 2D data (coordinates within about +-1.5): noise sigma 0..1, eps 0..0.5.
 * Images (pixels on [-1, 1], as in the paper): noise 0..1, eps 0..0.3.
 */
export function defaultSizes(kind: PerturbationKind, image: boolean): number[] {
  if (kind === 'noise') return grid(1);
  return grid(image ? 0.3 : 0.5);
}

/** The size axis in words, for the chart and the panel. */
export function sizeAxisTitle(kind: PerturbationKind, image: boolean): string {
  const scale = image ? 'on the [-1, 1] pixel scale' : "on the data's coordinate scale";
  return kind === 'noise' ? `noise sigma (${scale})` : `L∞ eps (${scale})`;
}

function clampNumber(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/**
 * A request as the worker runs it: an unknown kind or no usable size is refused (throws with
 * the reason); sizes are kept finite, within [0, MAX_SIZE], sorted and distinct, at most
 * MAX_SIZES; PGD's steps and fraction are clamped to their ranges.
 */
export function sanitizeRobustnessRequest(req: Partial<Record<keyof RobustnessRequestSpec, unknown>>): RobustnessRequestSpec {
  const kind = req.kind;
  if (typeof kind !== 'string' || !(PERTURBATION_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`unknown perturbation "${String(kind)}" (use noise, fgsm or pgd)`);
  }
  const raw = Array.isArray(req.sizes) ? req.sizes : [];
  const sizes = [...new Set(raw.filter((s): s is number => typeof s === 'number' && Number.isFinite(s) && s >= 0 && s <= MAX_SIZE))]
    .sort((a, b) => a - b)
    .slice(0, MAX_SIZES);
  if (sizes.length === 0) throw new Error(`no usable perturbation size (sizes must be numbers from 0 to ${MAX_SIZE})`);
  return {
    kind: kind as PerturbationKind,
    sizes,
    pgdSteps: Math.round(clampNumber(req.pgdSteps, PGD_STEPS_RANGE.min, PGD_STEPS_RANGE.max, DEFAULT_PGD_STEPS)),
    pgdStepFraction: clampNumber(req.pgdStepFraction, PGD_FRACTION_RANGE.min, PGD_FRACTION_RANGE.max, DEFAULT_PGD_STEP_FRACTION),
    randomStart: typeof req.randomStart === 'boolean' ? req.randomStart : true,
  };
}
