/** The page's side of the worker: snapshots are coalesced per commit, but no timeline frame is ever dropped. */
import { describe, expect, it } from 'vitest';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import { connectWorker, type WorkerLike } from '../../src/state/workerClient';
import type { FromWorker, Snapshot } from '../../src/worker/protocol';
import { snapshotFixture } from './snapshotFixture';

function fakeWorker() {
  let onMessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  const worker: WorkerLike = {
    postMessage: () => undefined,
    addEventListener: (type: string, fn: (e: never) => void) => {
      if (type === 'message') onMessage = fn as (e: MessageEvent<FromWorker>) => void;
    },
    terminate: () => undefined,
  };
  return { worker, emit: (msg: FromWorker) => onMessage!({ data: msg } as MessageEvent<FromWorker>) };
}

const g = (step: number) => ({ grid: { min: -4, max: 4, size: 2 }, values: new Float32Array(4).fill(step) });

const snapshot = (step: number, partial = false): Snapshot =>
  snapshotFixture({ step, partial, status: 'running', hidden: [8], g: partial ? null : g(step) });

describe('connectWorker', () => {
  it('hands the newest snapshot to the store, and every frame that came before it, in order', async () => {
    const store = createAppStore();
    const { worker, emit } = fakeWorker();
    const stop = connectWorker(store, worker);
    const frame = (step: number): FromWorker => ({ type: 'frame', runId: MAIN_RUN, step, g: g(step), density: null, analysis: null });
    for (const m of [
      frame(0),
      { type: 'snapshot', snapshot: snapshot(0) },
      frame(20),
      { type: 'snapshot', snapshot: snapshot(25, true) },
      frame(40),
      { type: 'snapshot', snapshot: snapshot(41, true) },
    ] as FromWorker[]) {
      emit(m);
    }
    await expect.poll(() => store.getState().runs[MAIN_RUN]?.snapshot?.step).toBe(41);
    expect(store.getState().timeline.frames.map((f) => f.step)).toEqual([0, 20, 40]);
    expect(store.getState().runs[MAIN_RUN]?.snapshot?.g?.values[0]).toBe(0); // the full snapshot's read-outs kept
    stop();
  });
});
