/**
 * Session I's schedules and batches, without tfjs (spec.ts and Node scripts import this):
 * "visible", the app's (target rescaled to a largest magnitude of 1, steps of 512 grid points
 * drawn with replacement, Adam lr 0.01), and "paper", the authors' (the target as smoothing
 * leaves it, std about 0.05; epochs over the shuffled grid in batches of 200, Adam lr 1e-3).
 * The batch indices come from sessionOneBatches, so the tfjs and fused engines fit g alike.
 */
import type { GridSpec } from '../grid';
import { Rng } from '../rng';

export const SESSION_ONE_GRID: GridSpec = { min: -5, max: 5, size: 101 };

export const SESSION_ONE_MODES = ['visible', 'paper'] as const;
export type SessionOneMode = (typeof SESSION_ONE_MODES)[number];

/** How Session I fits g, apart from its length (RunSpec.pretrainSteps counts the optimizer steps). */
export interface SessionOneSchedule {
  learningRate: number;
  batchSize: number;
  /** Target rescaled to a largest magnitude of 1 ("visible") or left as smoothing makes it ("paper"). */
  scaled: boolean;
  /** 'replace': every index drawn at random; 'epochs': a fresh shuffle of the grid per epoch, cut into whole batches. */
  sampling: 'replace' | 'epochs';
}

/** The app's schedule: what every run used before the option existed, so old links build the same g. */
export const VISIBLE_SESSION_ONE: SessionOneSchedule = { learningRate: 0.01, batchSize: 512, scaled: true, sampling: 'replace' };
/** The authors' schedule (their training code): Adam 1e-3, batch 200, unscaled target; 500 epochs. */
export const PAPER_SESSION_ONE: SessionOneSchedule = { learningRate: 1e-3, batchSize: 200, scaled: false, sampling: 'epochs' };
export const PAPER_SESSION_ONE_EPOCHS = 500;

/** Grid points g is fitted on: 101x101 for g(a, b), 101 for g(x). */
export function sessionOnePoints(inputs: number): number {
  return inputs === 1 ? SESSION_ONE_GRID.size : SESSION_ONE_GRID.size * SESSION_ONE_GRID.size;
}

/**
 * The schedule of a mode and the optimizer steps that `length` (the `pretrain` param) means:
 * steps for "visible", epochs for "paper" (each epoch is floor(points / batch) whole batches:
 * fixed shapes, so the one point a 10,201-point epoch leaves over is a different one each epoch).
 */
export function sessionOnePlan(mode: SessionOneMode, length: number, inputs: number): { schedule: SessionOneSchedule; steps: number } {
  if (mode === 'visible') return { schedule: VISIBLE_SESSION_ONE, steps: length };
  const points = sessionOnePoints(inputs);
  const batch = Math.min(PAPER_SESSION_ONE.batchSize, points);
  return { schedule: PAPER_SESSION_ONE, steps: length * Math.floor(points / batch) };
}

/**
 * The grid-point indices of every Session I batch, in order: the one source of batches for the
 * tfjs and fused engines, so both fit g on the same points. `batch` is already capped to the grid.
 */
export function* sessionOneBatches(seed: number, points: number, batch: number, steps: number, sampling: SessionOneSchedule['sampling']) {
  const rng = Rng.derive(seed, 'session-1-batches');
  let order: Int32Array | null = null;
  let cursor = 0;
  for (let s = 0; s < steps; s++) {
    const idx = new Int32Array(batch);
    if (sampling === 'replace') {
      for (let i = 0; i < batch; i++) idx[i] = rng.int(points);
    } else {
      if (!order || cursor + batch > points) {
        order = rng.permutation(points);
        cursor = 0;
      }
      idx.set(order.subarray(cursor, cursor + batch));
      cursor += batch;
    }
    yield idx;
  }
}
