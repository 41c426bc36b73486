/**
 * The seeded train/test split of the user's own points (uploaded or drawn), and its inverse
 * for exporting a data set as one list of points. Pure TypeScript, no DOM.
 */
import { Rng } from '../rng';
import { splitInOrder, type Dataset2D } from './datasets2d';
import type { Points2D } from './points';

/**
 * Shuffles uploaded or drawn points with the project's seeded RNG (stream "data:custom") and
 * splits them as the generated data sets do: the first round(n * trainFraction) points train
 * (at least 1 and at most n - 1), the rest test. Same points and seed give the same split.
 */
export function splitPoints(x: Float32Array, y: Float32Array, trainFraction: number, seed: number): Dataset2D {
  const n = y.length;
  if (x.length !== 2 * n) throw new Error(`splitPoints: ${x.length} coordinates for ${n} labels`);
  if (n < 2) throw new Error(`splitPoints: need at least 2 points, got ${n}`);
  if (!(trainFraction > 0 && trainFraction < 1)) throw new Error(`splitPoints: train fraction must be in (0, 1), got ${trainFraction}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`splitPoints: seed must be a whole number >= 0, got ${seed}`);
  return splitInOrder(x, y, Rng.derive(seed, 'data:custom').permutation(n), trainFraction);
}

/** All points of a data set (train, then test), e.g. to export the current data as CSV. */
export function mergeDataset2D(ds: Dataset2D): Points2D {
  const x = new Float32Array(ds.trainX.length + ds.testX.length);
  x.set(ds.trainX);
  x.set(ds.testX, ds.trainX.length);
  const y = new Float32Array(ds.trainY.length + ds.testY.length);
  y.set(ds.trainY);
  y.set(ds.testY, ds.trainY.length);
  return { x, y };
}
