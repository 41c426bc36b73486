/**
 * Session I of the paper: before the outer network exists, g is fitted by MSE to a random
 * smooth surface (uniform(-1, 1) noise on a 101x101 grid over [-5, 5]^2, Gaussian-smoothed),
 * so g starts as a random smooth function and any shape that emerges later was learned.
 * Two schedules (the `sessionOne` param): "visible", the app's (target rescaled to a largest
 * magnitude of 1, steps of 512 points with replacement at lr 0.01), and "paper", the authors'
 * (the target as smoothing leaves it, std about 0.05; epochs over the shuffled grid in batches
 * of 200 at Adam lr 1e-3): see sessionOnePlan.ts, which both engines share.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gaussianSmooth } from '../analysis/density';
import { gridCoord } from '../grid';
import { Rng } from '../rng';
import type { InnerNet } from '../model/innerNet';
import { Optimizer } from '../model/optimizer';
import { SESSION_ONE_GRID, VISIBLE_SESSION_ONE, sessionOneBatches, type SessionOneSchedule } from './sessionOnePlan';

export { SESSION_ONE_GRID } from './sessionOnePlan';

/** Smoothing width: about a third of a unit, i.e. 3.33 grid spacings of 0.1. */
export const SESSION_ONE_SIGMA = 1 / 3;

/**
 * The seeded random target. With `scaled` (the "visible" schedule) the smoothed noise is
 * rescaled to a largest magnitude of 1 (our choice: smoothing shrinks uniform noise to a few
 * hundredths, and a unit scale keeps g's starting surface visible on the heatmap); unscaled it
 * is the authors' target. For one-argument g it is a smooth curve.
 */
export function randomSmoothTarget(seed: number, inputs: 1 | 2, scaled = true): Float32Array {
  const rng = Rng.derive(seed, 'session-1-target');
  const { size, min, max } = SESSION_ONE_GRID;
  const sigmaCells = SESSION_ONE_SIGMA / ((max - min) / (size - 1));
  let values: Float32Array;
  if (inputs === 2) {
    values = gaussianSmooth(rng.uniformArray(size * size, -1, 1), size, sigmaCells);
  } else {
    // A 1D smooth curve: smooth a 2D field and keep its middle row (same kernel, same statistics).
    const field = gaussianSmooth(rng.uniformArray(size * size, -1, 1), size, sigmaCells);
    values = field.slice(((size - 1) / 2) * size, ((size + 1) / 2) * size);
  }
  if (!scaled) return values;
  let peak = 0;
  for (const v of values) peak = Math.max(peak, Math.abs(v));
  if (peak > 0) for (let i = 0; i < values.length; i++) values[i] /= peak;
  return values;
}

/** Coordinates of the Session I grid as rows of g's input: [points, inputs]. */
export function targetInputs(inputs: number): Float32Array {
  const { size } = SESSION_ONE_GRID;
  if (inputs === 1) return Float32Array.from({ length: size }, (_, i) => gridCoord(SESSION_ONE_GRID, i));
  const out = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      out[2 * (r * size + c)] = gridCoord(SESSION_ONE_GRID, c);
      out[2 * (r * size + c) + 1] = gridCoord(SESSION_ONE_GRID, r);
    }
  }
  return out;
}

export interface SessionOneOptions {
  steps: number;
  /** How g is fitted; the app's "visible" schedule when absent. */
  schedule?: SessionOneSchedule;
  /** Called every PROGRESS_EVERY steps (after the GPU queue is flushed by a read). */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

const PROGRESS_EVERY = 25;

/**
 * Fits g to the seeded random surface with Adam on random minibatches of grid points.
 * Returns the final full-grid MSE (read asynchronously).
 */
export async function pretrainInner(inner: InnerNet, seed: number, options: SessionOneOptions): Promise<number> {
  const inputs = inner.inputs;
  const schedule = options.schedule ?? VISIBLE_SESSION_ONE;
  const target = randomSmoothTarget(seed, inputs, schedule.scaled);
  const points = target.length;
  const x = tf.tensor2d(targetInputs(inputs), [points, inputs]);
  const y = tf.tensor2d(target, [points, 1]);
  const batch = Math.min(schedule.batchSize, points);
  const lr = schedule.learningRate;
  const optimizer = new Optimizer('adam', inner.variables);
  try {
    let s = 0;
    for (const idx of sessionOneBatches(seed, points, batch, options.steps, schedule.sampling)) {
      const batchLoss = tf.tidy(() => {
        const ids = tf.tensor1d(idx, 'int32');
        const xb = tf.gather<tf.Tensor2D>(x, ids);
        const yb = tf.gather(y, ids);
        const { value, grads } = tf.variableGrads(() => tf.mean<tf.Scalar>(tf.square(tf.sub(inner.apply(xb), yb))), inner.variables);
        optimizer.apply(
          inner.variables.map((v) => grads[v.name]),
          lr,
          0,
        );
        return value;
      });
      if (options.onProgress && ((s + 1) % PROGRESS_EVERY === 0 || s + 1 === options.steps)) {
        // Reading the loss waits for the queued GPU work, so progress reflects real work.
        await batchLoss.data();
        await options.onProgress(s + 1, options.steps);
      }
      batchLoss.dispose();
      s++;
    }
    const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(inner.apply(x), y))));
    const value = (await mse.data())[0];
    mse.dispose();
    return value;
  } finally {
    optimizer.dispose();
    x.dispose();
    y.dispose();
  }
}
