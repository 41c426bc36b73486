/**
 * Robustness of a trained classifier on its test set: accuracy under Gaussian input noise and
 * under L-infinity attacks (FGSM, and PGD with a random start), as a curve over perturbation
 * sizes. The algorithms only need a model's predictions and its loss gradient with respect to
 * the inputs (`AttackTarget`), so any engine can be attacked the same way; the tfjs adapter is
 * in tfjsTarget.ts. Randomness (noise, PGD's start) comes from the project's seeded RNG.
 *
 * The paper reports AutoAttack; FGSM and PGD are the standard, cheaper first-order attacks.
 * An example counts as broken by PGD if ANY iterate misclassifies it (the attacker may stop
 * early), so PGD is never weaker than its own iterates.
 */
import { Rng } from '../rng';

/** What an attack needs from a model, for chunks of exactly `batch` examples (fixed shapes). */
export interface AttackTarget {
  readonly inputSize: number;
  readonly batch: number;
  /** Per example: 1 when the prediction is right, 0 when wrong, -1 when the output is not finite. */
  correct(x: Float32Array, y: Float32Array): Promise<Int8Array>;
  /** The gradient of the summed loss with respect to the inputs, [batch * inputSize]. */
  inputGradient(x: Float32Array, y: Float32Array): Promise<Float32Array>;
}

export type PerturbationKind = 'noise' | 'fgsm' | 'pgd';

export interface AttackOptions {
  /** PGD: number of steps. */
  steps?: number;
  /** PGD: step size as a fraction of eps (default 1/4). */
  stepFraction?: number;
  /** PGD: start at a random point of the eps-ball (default true). */
  randomStart?: boolean;
  /** Valid input range (e.g. [-1, 1] for the image sets); perturbed inputs are clipped to it. */
  clip?: [number, number] | null;
  seed?: number;
}

export const DEFAULT_PGD_STEPS = 10;
export const DEFAULT_PGD_STEP_FRACTION = 0.25;

export class AttackCancelled extends Error {
  constructor() {
    super('the robustness test was cancelled');
  }
}

export interface Progress {
  onProgress?(done: number, total: number): void;
  /** Checked between chunks; when it returns true the run stops with AttackCancelled. */
  cancelled?(): boolean;
}

function clipInto(x: Float32Array, clip: [number, number] | null | undefined): void {
  if (!clip) return;
  const [lo, hi] = clip;
  for (let i = 0; i < x.length; i++) x[i] = Math.min(hi, Math.max(lo, x[i]));
}

/**
 * The perturbed inputs for one chunk. FGSM: x + eps sign(grad). PGD: from x + U(-eps, eps)
 * take `steps` signed-gradient steps of eps * stepFraction, projecting back onto the eps-ball
 * around x (and the valid range) after each. `broken` marks examples some PGD iterate already
 * misclassified (only for PGD; FGSM has one candidate).
 */
export async function perturbChunk(
  target: AttackTarget,
  kind: PerturbationKind,
  x: Float32Array,
  y: Float32Array,
  eps: number,
  rng: Rng,
  options: AttackOptions = {},
): Promise<{ x: Float32Array; broken: Uint8Array }> {
  const broken = new Uint8Array(target.batch);
  const adv = x.slice();
  if (eps === 0) return { x: adv, broken };
  if (kind === 'noise') {
    for (let i = 0; i < adv.length; i++) adv[i] += eps * rng.normal();
    clipInto(adv, options.clip);
    return { x: adv, broken };
  }
  if (kind === 'fgsm') {
    const grad = await target.inputGradient(x, y);
    for (let i = 0; i < adv.length; i++) adv[i] += eps * Math.sign(grad[i]);
    clipInto(adv, options.clip);
    return { x: adv, broken };
  }
  const steps = options.steps ?? DEFAULT_PGD_STEPS;
  const alpha = eps * (options.stepFraction ?? DEFAULT_PGD_STEP_FRACTION);
  if (options.randomStart ?? true) for (let i = 0; i < adv.length; i++) adv[i] += rng.uniform(-eps, eps);
  clipInto(adv, options.clip);
  for (let s = 0; s < steps; s++) {
    const grad = await target.inputGradient(adv, y);
    for (let i = 0; i < adv.length; i++) {
      const stepped = adv[i] + alpha * Math.sign(grad[i]);
      adv[i] = Math.min(x[i] + eps, Math.max(x[i] - eps, stepped));
    }
    clipInto(adv, options.clip);
    const ok = await target.correct(adv, y);
    for (let e = 0; e < broken.length; e++) if (ok[e] !== 1) broken[e] = 1;
  }
  return { x: adv, broken };
}

export interface RobustnessCurve {
  kind: PerturbationKind;
  /** Perturbation sizes: sigma for noise, eps for the attacks. */
  sizes: number[];
  /** Test accuracy at each size (0..1). */
  accuracy: number[];
  examples: number;
}

export type RobustnessResult = { diverged: false; curve: RobustnessCurve } | { diverged: true; reason: string };

/**
 * Accuracy under `kind` at each size, over the first `limit` examples of (x, y). Chunks are
 * padded to the target's batch (padding rows are ignored). A model whose clean output is not
 * finite is reported as diverged instead of producing NaN curves.
 */
export async function robustnessCurve(
  target: AttackTarget,
  kind: PerturbationKind,
  sizes: readonly number[],
  x: Float32Array,
  y: Float32Array,
  options: AttackOptions & Progress & { limit?: number } = {},
): Promise<RobustnessResult> {
  const d = target.inputSize;
  const n = Math.min(y.length, options.limit ?? Infinity);
  if (n === 0) throw new Error('there are no test examples to attack');
  const B = target.batch;
  const chunks = Math.ceil(n / B);
  const total = chunks * sizes.length;
  const rng = Rng.derive(options.seed ?? 0, `robustness-${kind}`);
  const correct = new Array<number>(sizes.length).fill(0);
  let done = 0;
  for (let c = 0; c < chunks; c++) {
    const start = c * B;
    const count = Math.min(B, n - start);
    const cx = new Float32Array(B * d);
    const cy = new Float32Array(B);
    cx.set(x.subarray(start * d, (start + count) * d));
    cy.set(y.subarray(start, start + count));
    const clean = await target.correct(cx, cy);
    for (let e = 0; e < count; e++) {
      if (clean[e] === -1) return { diverged: true, reason: 'the model outputs NaN or infinity on clean test inputs' };
    }
    for (let s = 0; s < sizes.length; s++) {
      if (options.cancelled?.()) throw new AttackCancelled();
      const { x: adv, broken } = await perturbChunk(target, kind, cx, cy, sizes[s], rng, options);
      const ok = sizes[s] === 0 ? clean : await target.correct(adv, cy);
      for (let e = 0; e < count; e++) if (ok[e] === 1 && broken[e] === 0) correct[s] += 1;
      done += 1;
      options.onProgress?.(done, total);
    }
  }
  return { diverged: false, curve: { kind, sizes: [...sizes], accuracy: correct.map((k) => k / n), examples: n } };
}
