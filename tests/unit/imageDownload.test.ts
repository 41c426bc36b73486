/**
 * An image download never holds the worker's queue of operations: while it runs, Step and Play
 * act on the run that stands; when it arrives the new run is built (and plays if the user was
 * playing); going back to the standing run's data set cancels it and keeps that run as it is.
 * The host runs on a queue like the worker's (train.worker.ts), with a download the test controls.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeImageAsset } from '../../src/core/data/imageAssets';
import { defaultParams, type Params } from '../../src/core/params';
import type { DatasetErrorMessage, ImageDataMessage, Snapshot } from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import type { ImageLoader } from '../../src/worker/imageLoader';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

const digits = decodeImageAsset(readFileSync('public/data/digits.bin'));

/** A download that hangs until the test lets it arrive or fail; a cancel aborts it as fetch does. */
function heldDownload() {
  const state: { started: number; aborted: number; arrive: () => void; fail: (e: Error) => void } = {
    started: 0,
    aborted: 0,
    arrive: () => undefined,
    fail: () => undefined,
  };
  const loader: ImageLoader = (_id, _progress, signal) =>
    new Promise((resolve, reject) => {
      state.started += 1;
      state.arrive = () => resolve(digits);
      state.fail = reject;
      signal?.addEventListener('abort', () => {
        state.aborted += 1;
        reject(signal.reason as Error);
      });
    });
  return { state, loader };
}

/** The worker's queue of operations: one at a time, in order. */
function operationQueue() {
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void> | void) => {
    queue = queue.then(task);
  };
  return {
    enqueue,
    /** Queues an operation as a message would, and waits for it (and everything before it). */
    run: (task: () => Promise<void> | void) => {
      enqueue(task);
      return queue;
    },
  };
}

function host() {
  const snapshots: Snapshot[] = [];
  const images: ImageDataMessage[] = [];
  const errors: DatasetErrorMessage[] = [];
  const download = heldDownload();
  const queue = operationQueue();
  const h = new RunHost(
    'main',
    { ...defaultParams(), pretrain: 0 },
    { name: 'cpu', reason: 'test' },
    {
      snapshot: (s) => snapshots.push(s),
      dataset: () => undefined,
      progress: () => undefined,
      imageData: (m) => images.push(m),
      datasetError: (m) => errors.push(m),
    },
    { loadImages: download.loader, enqueue: queue.enqueue },
  );
  return { h, queue, download: download.state, images, errors, last: () => snapshots[snapshots.length - 1] };
}

const onDigits = (p: Params): Params => ({ ...p, dataset: 'digits' });

describe('an image download beside the queue of operations', () => {
  it('lets Step and Play act on the standing run meanwhile; the arrived data set then builds and plays on', async () => {
    const { h, queue, download, images, last } = host();
    await queue.run(() => h.build());
    await queue.run(() => h.step(3));
    const xor = h.currentParams;
    await queue.run(() => h.setParams(onDigits(xor), true)); // returns while the download hangs
    expect(download.started).toBe(1);
    await queue.run(() => h.step(2));
    expect(last().step).toBe(5);
    await queue.run(() => h.play());
    await vi.waitFor(() => expect(last().step).toBeGreaterThan(5), { timeout: 60_000, interval: 20 });
    expect(images).toHaveLength(0);
    download.arrive();
    await vi.waitFor(() => expect(images).toHaveLength(1), { timeout: 60_000, interval: 20 });
    // The digits run was built and, as the user was playing, plays.
    await vi.waitFor(() => expect(last().status).toBe('running'), { timeout: 60_000, interval: 20 });
    await queue.run(() => h.pause());
    expect(h.currentParams.dataset).toBe('digits');
    await h.dispose();
  });

  it('going back to the standing run’s data set cancels the download and keeps the run as it was', async () => {
    const { h, queue, download, errors, last, images } = host();
    await queue.run(() => h.build());
    await queue.run(() => h.step(4));
    const xor = h.currentParams;
    await queue.run(() => h.setParams(onDigits(xor), true));
    await queue.run(() => h.setParams(xor, true));
    expect(download.aborted).toBe(1);
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000, interval: 20 });
    // The page hears only that the download stopped (its progress bar ends); nothing is rolled back.
    expect(errors[0]).toMatchObject({ dataset: 'digits', cancelled: true, kept: true });
    expect(h.currentParams).toEqual(xor);
    await queue.run(() => h.step(1));
    expect(last().step).toBe(5);
    expect(images).toHaveLength(0);
    await h.dispose();
  });

  it('a failed download leaves the run that stands training, and its params', async () => {
    const { h, queue, download, errors, last } = host();
    await queue.run(() => h.build());
    const xor = h.currentParams;
    await queue.run(() => h.setParams(onDigits(xor), true));
    await queue.run(() => h.play());
    await vi.waitFor(() => expect(last().step).toBeGreaterThan(0), { timeout: 60_000, interval: 20 });
    download.fail(new Error('could not load digits (HTTP 404)'));
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(errors[0]).toMatchObject({ dataset: 'digits', kept: true, cancelled: false, message: 'could not load digits (HTTP 404)' });
    expect(h.currentParams.dataset).toBe('xor');
    const at = last().step;
    await vi.waitFor(() => expect(last().step).toBeGreaterThan(at), { timeout: 60_000, interval: 20 });
    expect(last().status).toBe('running');
    await queue.run(() => h.pause());
    await h.dispose();
  });

  it('Play pressed while the first run still downloads (a fresh worker restoring an image run) plays it once built', async () => {
    const { h, queue, download, images, last } = host();
    await queue.run(() => h.setParams(onDigits(h.currentParams), true)); // no run stands yet
    await queue.run(() => h.play());
    download.arrive();
    await vi.waitFor(() => expect(images).toHaveLength(1), { timeout: 60_000, interval: 20 });
    await vi.waitFor(() => expect(last().status).toBe('running'), { timeout: 60_000, interval: 20 });
    await queue.run(() => h.pause());
    await h.dispose();
  });
});
