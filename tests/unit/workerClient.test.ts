/** The page's side of the worker: snapshots are coalesced per commit, but no timeline frame is ever dropped. */
import { describe, expect, it } from 'vitest';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import { connectWorker, type WorkerLike } from '../../src/state/workerClient';
import type { FromWorker, Snapshot } from '../../src/worker/protocol';

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

function snapshot(step: number, frame: boolean, partial = false): Snapshot {
  const g = partial ? null : { grid: { min: -4, max: 4, size: 2 }, values: new Float32Array(4).fill(step) };
  return {
    runId: MAIN_RUN, status: 'running', message: null, step, epoch: 0, session: 2, stepsPerSecond: 0, backend: 'cpu', backendReason: '',
    model: 'twoArg', hidden: [8], paramCount: { outer: 1, inner: 1, total: 2 }, partial, frame, history: [],
    g, gInit: null, density: null, analysis: null, g1d: null, decision: null,
  };
}

describe('connectWorker', () => {
  it('hands the newest snapshot to the store, and every frame in between, in order', async () => {
    const store = createAppStore();
    const { worker, emit } = fakeWorker();
    const stop = connectWorker(store, worker);
    for (const s of [snapshot(0, true), snapshot(10, false), snapshot(20, true), snapshot(25, false, true), snapshot(40, true), snapshot(41, false)]) {
      emit({ type: 'snapshot', snapshot: s });
    }
    await expect.poll(() => store.getState().runs[MAIN_RUN]?.snapshot?.step).toBe(41);
    expect(store.getState().timeline.frames.map((f) => f.step)).toEqual([0, 20, 40]);
    stop();
  });
});
