/**
 * Session I on the fused engine: g fitted by MSE to the seeded smooth random surface with Adam
 * on random minibatches of grid points, drawing the same target and the same batches as
 * train/sessionOne.ts (same seeds, labels and order), so both engines start Session II alike.
 */
import { randomSmoothTarget, targetInputs, type SessionOneOptions } from '../train/sessionOne';
import { VISIBLE_SESSION_ONE, sessionOneBatches } from '../train/sessionOnePlan';
import type { FusedNet } from './fusedNet';
import { G_ROWS } from './layout';

const PROGRESS_EVERY = 25;

/**
 * Pretrains copy `copy` of g (its own Adam state, discarded afterwards) and returns the final
 * full-grid MSE. The main optimizer's slots are borrowed and left zeroed.
 */
export async function pretrainInnerFused(net: FusedNet, copy: number, seed: number, options: SessionOneOptions): Promise<number> {
  const inputs = net.layout.gSizes[0];
  const schedule = options.schedule ?? VISIBLE_SESSION_ONE;
  const target = randomSmoothTarget(seed, inputs as 1 | 2, schedule.scaled);
  const x = targetInputs(inputs);
  const points = target.length;
  const batch = Math.min(schedule.batchSize, points, G_ROWS);
  const lr = schedule.learningRate;
  const { layout, kernel } = net;
  const perCopy = (layout.paramCount - layout.outerParamCount) / layout.innerCopies;
  const start = layout.outerParamCount + copy * perCopy;
  const zeroSlots = () => {
    const F = kernel.floats();
    for (const block of [layout.slot1, layout.slot2]) F.fill(0, (block >> 2) + start, (block >> 2) + start + perCopy);
  };
  zeroSlots();
  const gIn = layout.gIn >> 2;
  const gTarget = layout.gOut >> 2;
  let s = 0;
  for (const ids of sessionOneBatches(seed, points, batch, options.steps, schedule.sampling)) {
    const F = kernel.floats();
    for (let i = 0; i < batch; i++) {
      const idx = ids[i];
      for (let j = 0; j < inputs; j++) F[gIn + i * inputs + j] = x[idx * inputs + j];
      F[gTarget + i] = target[idx];
    }
    kernel.gLossGrad(copy, layout.gIn, layout.gOut, batch, start, perCopy);
    const t = s + 1;
    const c1 = 1 - Math.pow(0.9, t);
    const c2 = 1 - Math.pow(0.999, t);
    kernel.adam(start, perCopy, 0.9, 1 - 0.9, 0.999, 1 - 0.999, 1e-8 * Math.sqrt(c2), (lr * Math.sqrt(c2)) / c1);
    if (options.onProgress && ((s + 1) % PROGRESS_EVERY === 0 || s + 1 === options.steps)) {
      await options.onProgress(s + 1, options.steps);
    }
    s++;
  }
  zeroSlots();
  const fitted = net.evaluateInner(copy, x);
  let mse = 0;
  for (let i = 0; i < points; i++) mse += (fitted[i] - target[i]) ** 2;
  return mse / points;
}
