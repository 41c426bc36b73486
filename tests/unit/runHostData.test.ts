/**
 * The worker's run host with the user's own points and with image data, in Node on the cpu
 * backend: drawn points train, too few points wait for data, digits train with a softmax and
 * report a confusion matrix, and a failed image load leaves the previous run as it was.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointsLinkText } from '../../src/core/data/customData';
import { decodeImageAsset } from '../../src/core/data/imageAssets';
import { defaultParams, type Params } from '../../src/core/params';
import type { DatasetErrorMessage, DatasetMessage, DatasetProgressMessage, ImageDataMessage, Snapshot } from '../../src/worker/protocol';
import { RunHost, type HostEnv } from '../../src/worker/runHost';
import type { ImageLoader } from '../../src/worker/imageLoader';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

const digits = decodeImageAsset(readFileSync('public/data/digits.bin'));
const fileLoader: ImageLoader = async (id, onProgress) => {
  if (id !== 'digits') throw new Error(`could not load ${id} (HTTP 404)`);
  onProgress({ id, phase: 'download', loaded: 50, total: 100, fraction: 0.46 });
  onProgress({ id, phase: 'done', loaded: 100, total: 100, fraction: 1 });
  return digits;
};

function host(overrides: Partial<Params> = {}, env: HostEnv = { loadImages: fileLoader }) {
  const snapshots: Snapshot[] = [];
  const datasets: DatasetMessage[] = [];
  const progress: DatasetProgressMessage[] = [];
  const images: ImageDataMessage[] = [];
  const errors: DatasetErrorMessage[] = [];
  const h = new RunHost(
    'main',
    { ...defaultParams(), pretrain: 0, ...overrides },
    { name: 'cpu', reason: 'test' },
    {
      snapshot: (s) => snapshots.push(s),
      dataset: (d) => datasets.push(d),
      progress: () => undefined,
      datasetProgress: (m) => progress.push(m),
      imageData: (m) => images.push(m),
      datasetError: (m) => errors.push(m),
    },
    env,
  );
  return { h, snapshots, datasets, progress, images, errors, last: () => snapshots[snapshots.length - 1] };
}

const SIX = {
  x: Float32Array.from([-0.5, 0.5, -0.6, 0.4, -0.4, 0.6, 0.5, -0.5, 0.6, -0.4, 0.4, -0.6]),
  y: Float32Array.from([1, 1, 1, 0, 0, 0]),
};

describe('RunHost with the user’s own points', () => {
  it('waits for data with too few points, then trains on drawn points', async () => {
    const { h, last } = host({ dataset: 'custom' });
    await h.build();
    expect(last().status).toBe('nodata');
    expect(last().message).toMatch(/No points yet/);
    h.play(); // nothing to play
    expect(last().status).toBe('nodata');

    const params = { ...h.currentParams, points: pointsLinkText(SIX) };
    await h.setPoints(SIX.x, SIX.y, params);
    expect(last().status).toBe('ready');
    expect(last().decision?.values).toHaveLength(36 * 36);
    await h.step(200);
    const m = last().history[last().history.length - 1];
    expect(m.trainAcc).toBe(1);
    await h.dispose();
  });

  it('trains on uploaded points too large for the link (points param empty)', async () => {
    const n = 400;
    const x = new Float32Array(2 * n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = (i % 20) / 10 - 1;
      x[2 * i + 1] = Math.floor(i / 20) / 10 - 1;
      y[i] = x[2 * i] > 0 ? 1 : 0;
    }
    const { h, last, datasets } = host({ dataset: 'custom' });
    await h.setPoints(x, y, { ...h.currentParams, points: '' });
    expect(last().status).toBe('ready');
    const d = datasets[datasets.length - 1];
    expect(d.trainY.length + d.testY.length).toBe(n);
    // Changing the train fraction rebuilds with the same (sent) points.
    await h.setParams({ ...h.currentParams, train: 0.8 }, true);
    expect(datasets[datasets.length - 1].trainY.length).toBe(320);
    await h.dispose();
  });
});

describe('RunHost with image data', () => {
  it('loads digits with progress, trains a softmax and reports the confusion matrix', async () => {
    const before = tf.memory().numTensors;
    const { h, last, progress, images } = host({ dataset: 'digits' });
    await h.build();
    expect(progress.map((p) => p.phase)).toEqual(['download', 'done']);
    expect(progress[0].dataset).toBe('digits');
    expect(images).toHaveLength(1);
    expect(images[0].sample.indices).toHaveLength(24);
    expect(images[0].sample.pixels).toHaveLength(24 * 64);
    expect(images[0].classNames).toHaveLength(10);
    let s = last();
    expect(s.status).toBe('ready');
    expect(s.decision).toBeNull();
    expect(s.g?.values).toHaveLength(64 * 64); // g works the same for images
    expect(s.density?.mask.some((v) => v === 1)).toBe(true);
    expect(s.images?.classes).toBe(10);
    await h.step(300);
    s = last();
    const ev = s.images!;
    expect(ev.evaluated).toBe(297);
    expect(ev.confusion.reduce((a, b) => a + b, 0)).toBe(297);
    let diagonal = 0;
    for (let c = 0; c < 10; c++) diagonal += ev.confusion[c * 10 + c];
    const testAcc = s.history[s.history.length - 1].testAcc;
    // The confusion matrix and the metric come from the same evaluation.
    expect(diagonal / 297).toBeCloseTo(testAcc, 5);
    expect(testAcc).toBeGreaterThan(0.75);
    expect(ev.samplePredicted).toHaveLength(24);
    expect(ev.perClassAccuracy).toHaveLength(10);
    // History points stay plain numbers (no arrays leak into them).
    expect(Object.keys(s.history[0]).sort()).toEqual(['epoch', 'step', 'testAcc', 'testLoss', 'trainAcc', 'trainLoss']);
    // Reset reuses the loaded data (no second download).
    await h.reset();
    expect(progress.filter((p) => p.phase === 'download')).toHaveLength(1);
    await h.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a failed load keeps the previous run and its params, and says why', async () => {
    const { h, last, errors } = host();
    await h.build();
    await h.step(5);
    const xor = h.currentParams;
    await h.setParams({ ...xor, dataset: 'fashion' }, true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ dataset: 'fashion', kept: true, message: 'could not load fashion-mnist (HTTP 404)' });
    expect(errors[0].params.dataset).toBe('xor');
    expect(h.currentParams.dataset).toBe('xor');
    expect(last().step).toBe(5);
    expect(last().status).toBe('paused');
    await h.step(1);
    expect(last().step).toBe(6);
    await h.dispose();
  });

  it('a failed first load shows an error instead of a blank panel', async () => {
    const { h, last, errors } = host({ dataset: 'fashion' });
    await h.build();
    expect(errors[0].kept).toBe(false);
    expect(last().status).toBe('error');
    expect(last().message).toMatch(/could not load fashion-mnist/);
    await h.dispose();
  });
});
