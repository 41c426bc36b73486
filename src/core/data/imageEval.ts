/**
 * Image data for training and for the views: training data from a decoded asset, the fixed
 * sample of test images shown with their predictions, the confusion matrix and per-class
 * accuracy. Pure TypeScript, no DOM, no tensors.
 */
import type { TrainingData } from '../train/trainer';
import type { ImageDataset } from './imageAssets';

/** Test images shown with their predicted and true labels. */
export const SAMPLE_IMAGES = 24;

export function imageTrainingData(ds: ImageDataset): TrainingData {
  return { inputSize: ds.width * ds.height, trainX: ds.trainX, trainY: ds.trainY, testX: ds.testX, testY: ds.testY };
}

/**
 * A fixed, class-balanced sample of test images among the first `limit` (the evaluated ones):
 * the first image of each class, then the second of each, and so on, until `count`. Same data,
 * same sample: the grid does not jump around between runs.
 */
export function pickSampleIndices(testY: Float32Array, classes: number, count = SAMPLE_IMAGES, limit = testY.length): Int32Array {
  const n = Math.min(limit, testY.length);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < n; i++) {
    const c = testY[i];
    if (c >= 0 && c < classes) byClass[c].push(i);
  }
  const out: number[] = [];
  for (let round = 0; out.length < Math.min(count, n); round++) {
    let added = false;
    for (let c = 0; c < classes && out.length < count; c++) {
      if (round < byClass[c].length) {
        out.push(byClass[c][round]);
        added = true;
      }
    }
    if (!added) break;
  }
  return Int32Array.from(out);
}

/** Grey levels 0-255 of the chosen test images (pixels in [-1, 1] mapped back), one after another. */
export function samplePixels(ds: ImageDataset, indices: Int32Array): Uint8ClampedArray {
  const px = ds.width * ds.height;
  const out = new Uint8ClampedArray(indices.length * px);
  indices.forEach((idx, k) => {
    for (let j = 0; j < px; j++) out[k * px + j] = Math.round((ds.testX[idx * px + j] + 1) * 127.5);
  });
  return out;
}

/** classes x classes counts (row = true class, column = predicted) over the first predicted.length examples. */
export function confusionMatrix(predicted: Int32Array, truth: Float32Array, classes: number): Int32Array {
  const m = new Int32Array(classes * classes);
  const n = Math.min(predicted.length, truth.length);
  for (let i = 0; i < n; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (t >= 0 && t < classes && p >= 0 && p < classes) m[t * classes + p]++;
  }
  return m;
}

/** Fraction correct per true class from a confusion matrix; NaN for a class with no examples. */
export function perClassAccuracy(confusion: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    let total = 0;
    for (let p = 0; p < classes; p++) total += confusion[c * classes + p];
    out[c] = total > 0 ? confusion[c * classes + c] / total : Number.NaN;
  }
  return out;
}
