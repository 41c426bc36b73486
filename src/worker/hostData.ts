/**
 * The data a run host trains on, for every kind of data set: generated 2D, the user's own 2D
 * points (drawn or uploaded), and image data (multi-class). Pure: no tensors, no fetching.
 */
import type { Head } from '../core/config';
import { MIN_CUSTOM_POINTS, customDataset, customPointsFor } from '../core/data/customData';
import type { Dataset2D } from '../core/data/datasets2d';
import type { ImageDataset } from '../core/data/imageAssets';
import { confusionMatrix, imageTrainingData, perClassAccuracy, pickSampleIndices, samplePixels } from '../core/data/imageEval';
import type { Points2D } from '../core/data/points';
import { isImageDataset, type ImageDataName, type Params } from '../core/params';
import { datasetFromParams, trainingDataFrom2D } from '../core/run';
import { EVAL_LIMIT, type TrainingData } from '../core/train/trainer';
import type { ImageDataMessage, ImageEval } from './protocol';

export { IMAGE_ASSET_IDS } from '../core/params';

export interface HostData {
  /** Null when there is nothing to train on yet (too few points of the user's own). */
  training: TrainingData | null;
  /** Why training is null, in words for the user. */
  reason: string | null;
  outputSize: number;
  head: Head;
  /** 2D data (generated or the user's), split into train and test; null for images. */
  dataset2d: Dataset2D | null;
  /** Image data and the fixed sample of test images shown with predictions. */
  image: { name: ImageDataName; data: ImageDataset; sample: Int32Array } | null;
}

/**
 * Builds the data for params. `custom`: the points the page sent for the user's own data set
 * (see customPointsFor); `images`: the loaded image data set when params name one.
 */
export function hostDataFor(params: Params, custom: Points2D | null, images: ImageDataset | null): HostData {
  if (isImageDataset(params.dataset)) {
    if (!images) throw new Error(`the ${params.dataset} images are not loaded`);
    const sample = pickSampleIndices(images.testY, images.classes, undefined, EVAL_LIMIT);
    return {
      training: imageTrainingData(images),
      reason: null,
      outputSize: images.classes,
      head: 'multiclass',
      dataset2d: null,
      image: { name: params.dataset, data: images, sample },
    };
  }
  if (params.dataset === 'custom') {
    const points = customPointsFor(params.points, custom);
    const n = points.y.length;
    const dataset2d = customDataset(points, params.train, params.seed);
    if (n < MIN_CUSTOM_POINTS) {
      return {
        training: null,
        reason:
          n === 0
            ? 'No points yet: click on the plane to add points (shift-click for the other class), or upload a CSV.'
            : `Only ${n} point: add at least ${MIN_CUSTOM_POINTS} (one to train on, one to test), ideally of both classes.`,
        outputSize: 1,
        head: 'binary',
        dataset2d,
        image: null,
      };
    }
    return { training: trainingDataFrom2D(dataset2d), reason: null, outputSize: 1, head: 'binary', dataset2d, image: null };
  }
  const dataset2d = datasetFromParams(params);
  return { training: trainingDataFrom2D(dataset2d), reason: null, outputSize: 1, head: 'binary', dataset2d, image: null };
}

type HostImage = NonNullable<HostData['image']>;

/** The once-per-run message with the image set's names, counts and sample test images. */
export function imageDataMessage(runId: string, image: HostImage): ImageDataMessage {
  const d = image.data;
  return {
    type: 'imageData',
    runId,
    dataset: image.name,
    name: d.name,
    width: d.width,
    height: d.height,
    classes: d.classes,
    classNames: d.classNames.slice(),
    trainCount: d.trainY.length,
    testCount: d.testY.length,
    sample: {
      indices: image.sample.slice(),
      labels: Int32Array.from(image.sample, (i) => d.testY[i]),
      pixels: samplePixels(d, image.sample),
    },
  };
}

/** Confusion matrix, per-class accuracy and the sample's predictions from predicted test classes. */
export function imageEvalOf(image: HostImage, predicted: Int32Array): ImageEval {
  const classes = image.data.classes;
  const confusion = confusionMatrix(predicted, image.data.testY, classes);
  return {
    dataset: image.name,
    classes,
    evaluated: predicted.length,
    confusion,
    perClassAccuracy: perClassAccuracy(confusion, classes),
    samplePredicted: Int32Array.from(image.sample, (i) => (i < predicted.length ? predicted[i] : -1)),
  };
}
