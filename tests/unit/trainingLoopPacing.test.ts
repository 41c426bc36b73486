/**
 * The training loop's step bound on full snapshots, with a fake run and host: however costly
 * the last read-out looked on the clock, a playing run publishes a new g at least every
 * fullSnapshotDueStep steps (issue 12: an embed showed its initial g for 12 s while its loss
 * curve advanced, because one slow read-out put the next full snapshot seconds away).
 */
import { describe, expect, it } from 'vitest';
import type { TrainEngine } from '../../src/worker/engine';
import { fullSnapshotDueStep } from '../../src/worker/pacing';
import { TrainingLoop, type LoopHost } from '../../src/worker/trainingLoop';

function fakeLoop(readoutMs: number, lean = false) {
  let step = 0;
  const fulls: number[] = [];
  const metrics: number[] = [];
  const run = {
    trainChunk: async (n: number) => {
      step += n;
      await new Promise((r) => setTimeout(r, 1));
      return { loss: 0.5, norm: 1 };
    },
    saveCheckpoint: () => undefined,
    restoreCheckpoint: () => undefined,
  } as unknown as TrainEngine;
  // eslint-disable-next-line prefer-const
  let loop: TrainingLoop;
  const host: LoopHost = {
    trainedRun: run,
    get totalSteps() {
      return step;
    },
    recordMetrics: async () => undefined,
    publishSnapshot: async (kind) => {
      if (kind === 'metrics') return void metrics.push(step);
      fulls.push(step);
      // What the run host writes: every full read-out paces the next, and this one "took" readoutMs.
      loop.clock.lastSnapshotAt = performance.now();
      loop.clock.lastInspectMs = readoutMs;
      loop.clock.lastSnapshotStep = step;
    },
    publishFrame: async () => undefined,
    diverged: async () => undefined,
    publishCheckpoint: async () => undefined,
  };
  loop = new TrainingLoop(host);
  if (lean) loop.stepBoundedFull = false;
  // The built run's first full snapshot, at step 0, as the host publishes it before Play.
  void host.publishSnapshot('full');
  return { loop, fulls, metrics, step: () => step };
}

async function playUntil(loop: TrainingLoop, done: () => boolean): Promise<void> {
  loop.start();
  while (!done()) await new Promise((r) => setTimeout(r, 5));
  await loop.stop();
}

describe('full snapshots while playing, bounded in steps', () => {
  it('with read-outs that look very slow, a new g still comes by every due step, exactly', async () => {
    // 10 s a read-out: the time share alone would wait 250 s between full snapshots.
    const { loop, fulls, step } = fakeLoop(10_000);
    await playUntil(loop, () => step() >= 3000);
    expect(fulls[0]).toBe(0);
    expect(fulls.length).toBeGreaterThan(5);
    let last = 0;
    for (const s of fulls.slice(1)) {
      expect(s).toBe(fullSnapshotDueStep(last));
      last = s;
    }
    expect(step() - last).toBeLessThanOrEqual(fullSnapshotDueStep(last) - last);
  });

  it('a lean run (compare mode) keeps the clock alone', async () => {
    const { loop, fulls, step } = fakeLoop(10_000, true);
    await playUntil(loop, () => step() >= 1000);
    expect(fulls).toEqual([0]);
  });
});
