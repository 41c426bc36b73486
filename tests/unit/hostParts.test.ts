/** The run host's parts that need no tfjs: image set loading with its rollback decision, and the benchmark on a fake host. */
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/core/params';
import type { ImageDataset } from '../../src/core/data/imageAssets';
import { runBenchmark, runBenchmarkOverSteps, type Benchmarkable } from '../../src/worker/benchmark';
import { loadImageSet, paramsToKeep } from '../../src/worker/imageSet';
import type { DatasetProgressMessage } from '../../src/worker/protocol';

describe('image set loading', () => {
  it('loads by asset id and reports progress as page messages', async () => {
    const data = { id: 'fashion-mnist' } as ImageDataset;
    const progress: DatasetProgressMessage[] = [];
    const ids: string[] = [];
    const loaded = await loadImageSet(
      'fashion',
      'main',
      async (id, onProgress) => {
        ids.push(id);
        onProgress({ id, phase: 'download', loaded: 5, total: 10, fraction: 0.5 });
        return data;
      },
      (m) => progress.push(m),
    );
    expect(ids).toEqual(['fashion-mnist']);
    expect(loaded).toEqual({ name: 'fashion', data });
    expect(progress).toEqual([
      {
        type: 'datasetProgress',
        runId: 'main',
        dataset: 'fashion',
        name: 'Fashion-MNIST',
        phase: 'download',
        fraction: 0.5,
        loaded: 5,
        total: 10,
      },
    ]);
  });

  it('without a loader, fails with a message for the user', async () => {
    await expect(loadImageSet('digits', 'main', undefined, undefined)).rejects.toThrow(
      'could not load digits (image data cannot be loaded here)',
    );
  });

  it('a failed load keeps the run that stands with its params; with none standing nothing is kept', () => {
    const built = defaultParams();
    expect(paramsToKeep(built, true)).toBe(built);
    expect(paramsToKeep(built, false)).toBeNull();
    expect(paramsToKeep(null, true)).toBeNull();
  });
});

describe('benchmark', () => {
  /** A host whose chunks take 1 ms for 10 steps and whose playing loop runs at half that speed. */
  function fakeHost(built = true) {
    const calls: string[] = [];
    let playing: ReturnType<typeof setInterval> | null = null;
    const host: Benchmarkable & { steps: number; snapshots: number } = {
      built,
      steps: 0,
      snapshots: 0,
      get totalSteps() {
        return this.steps;
      },
      get snapshotsPublished() {
        return this.snapshots;
      },
      // Every other snapshot is a full one.
      get fullSnapshotsPublished() {
        return Math.floor(this.snapshots / 2);
      },
      async stop() {
        calls.push('stop');
        if (playing) clearInterval(playing);
        playing = null;
      },
      play() {
        calls.push('play');
        playing = setInterval(() => {
          host.steps += 5;
          host.snapshots += 1;
        }, 1);
      },
      async pause() {
        calls.push('pause');
      },
      async bareChunk() {
        const t0 = performance.now();
        while (performance.now() - t0 < 1);
        host.steps += 10;
        return 10;
      },
    };
    return { host, calls };
  }

  it('times a bare loop and the playing loop, counts snapshots, and leaves the run paused', async () => {
    const { host, calls } = fakeHost();
    const r = await runBenchmark(host, 100);
    expect(r.bareStepsPerSecond).toBeGreaterThan(0);
    expect(r.playingStepsPerSecond).toBeGreaterThan(0);
    expect(r.snapshotsWhilePlaying).toBeGreaterThan(0);
    expect(r.fullSnapshotsWhilePlaying).toBeGreaterThan(0);
    expect(r.fullSnapshotsWhilePlaying).toBeLessThan(r.snapshotsWhilePlaying);
    expect(calls[0]).toBe('stop');
    expect(calls.slice(-3)).toEqual(['play', 'stop', 'pause']);
  });

  it('refuses a run that is not built', async () => {
    await expect(runBenchmark(fakeHost(false).host, 100)).rejects.toThrow('nothing to benchmark: the run is not built');
    await expect(runBenchmarkOverSteps(fakeHost(false).host, 10, 20)).rejects.toThrow('nothing to benchmark: the run is not built');
  });

  it('over given steps: trains bare to the first step, times the bare loop up to the last, and never plays', async () => {
    const { host, calls } = fakeHost();
    // Each bare chunk takes at least 1 ms for 10 steps: at most 10,000 steps a second.
    const r = await runBenchmarkOverSteps(host, 95, 300);
    expect(host.steps).toBe(300);
    expect(r.bareStepsPerSecond).toBeGreaterThan(0);
    expect(r.bareStepsPerSecond).toBeLessThanOrEqual(10_000);
    expect(r.playingStepsPerSecond).toBe(0);
    expect(calls).toEqual(['stop']);
  });
});
