/**
 * Never lose a run when the worker dies: the watchdog's and the restart budget's decisions, the
 * worker client replacing a dead worker and restoring from the page's checkpoint, and a fresh
 * run host taking over a run from a checkpoint (weights, optimizer state, step count, Session III).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultParams, type Params } from '../../src/core/params';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import {
  AUTO_RESTART_WINDOW_MS,
  checkpointFor,
  GPU_SILENCE_LIMIT_MS,
  HEARTBEAT_INTERVAL_MS,
  mayRestartAutomatically,
  silenceLimit,
  SILENCE_LIMIT_MS,
  workerSilent,
} from '../../src/state/supervision';
import { connectWorker, type WorkerLike } from '../../src/state/workerClient';
import { LIFE_LOCK_POLL_MS, watchLifeLock } from '../../src/state/lifeLock';
import { fakeLocks } from './fakeLocks';
import type { BackendName, CheckpointMessage, FromWorker, RunCheckpoint, Snapshot, ToWorker } from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import { useCpuBackend } from './tfSetup';
import { snapshotFixture } from './snapshotFixture';

beforeAll(useCpuBackend);

describe('the watchdog', () => {
  it('calls a worker dead only after it has spoken once and then been silent past the limit', () => {
    expect(workerSilent(10_000, { lastHeardAt: null, lastCheckAt: 9_600 })).toBe(false); // still loading
    expect(workerSilent(10_000, { lastHeardAt: 10_000 - SILENCE_LIMIT_MS, lastCheckAt: 9_600 })).toBe(false);
    expect(workerSilent(10_000, { lastHeardAt: 10_000 - SILENCE_LIMIT_MS - 1, lastCheckAt: 9_600 })).toBe(true);
  });

  it('notices a death within 3 s: the limit plus one check interval', () => {
    expect(SILENCE_LIMIT_MS + HEARTBEAT_INTERVAL_MS).toBeLessThan(3000);
  });

  it('decides nothing on a late check (the page itself was blocked, the worker’s messages may be queued)', () => {
    expect(workerSilent(10_000, { lastHeardAt: 5_000, lastCheckAt: 10_000 - 2 * HEARTBEAT_INTERVAL_MS - 1 })).toBe(false);
  });

  it('gives a worker on a GPU backend (or one not yet known) longer: its shader compiles block it for seconds', () => {
    expect(silenceLimit('wasm')).toBe(SILENCE_LIMIT_MS);
    expect(silenceLimit('cpu')).toBe(SILENCE_LIMIT_MS);
    expect(silenceLimit('webgl')).toBe(GPU_SILENCE_LIMIT_MS);
    expect(silenceLimit(null)).toBe(GPU_SILENCE_LIMIT_MS);
    expect(workerSilent(10_000, { lastHeardAt: 5_000, lastCheckAt: 9_600, limitMs: GPU_SILENCE_LIMIT_MS })).toBe(false);
  });

  it('allows one automatic restart per minute', () => {
    expect(mayRestartAutomatically(5_000, null)).toBe(true);
    expect(mayRestartAutomatically(5_000 + AUTO_RESTART_WINDOW_MS - 1, 5_000)).toBe(false);
    expect(mayRestartAutomatically(5_000 + AUTO_RESTART_WINDOW_MS, 5_000)).toBe(true);
  });

  it('restores only a checkpoint of the run the page describes (live settings may differ)', () => {
    const p = defaultParams();
    const cp = { params: p } as RunCheckpoint;
    expect(checkpointFor({ ...p, lr: 0.01 }, cp)).toBe(cp);
    expect(checkpointFor({ ...p, seed: 7 }, cp)).toBeNull();
    expect(checkpointFor(p, null)).toBeNull();
  });
});

describe('the life lock', () => {
  afterEach(() => vi.useRealTimers());

  it('tells once that the worker holding it has gone, never while it lives, and waits until it holds it', async () => {
    vi.useFakeTimers();
    const { locks, hold, release } = fakeLocks();
    const gone = vi.fn();
    const stop = watchLifeLock(locks, 'w1', gone);
    await vi.advanceTimersByTimeAsync(5 * LIFE_LOCK_POLL_MS); // the worker has not taken it yet: only looking
    expect(gone).not.toHaveBeenCalled();
    hold('w1');
    await vi.advanceTimersByTimeAsync(60_000); // alive (however busy) for a minute
    expect(gone).not.toHaveBeenCalled();
    release('w1');
    await vi.advanceTimersByTimeAsync(0);
    expect(gone).toHaveBeenCalledTimes(1);
    stop();
  });

  it('says nothing once stopped (the page terminating its worker on purpose)', async () => {
    vi.useFakeTimers();
    const { locks, hold, release } = fakeLocks();
    const gone = vi.fn();
    hold('w2');
    const stop = watchLifeLock(locks, 'w2', gone);
    await vi.advanceTimersByTimeAsync(LIFE_LOCK_POLL_MS);
    stop();
    release('w2');
    await vi.advanceTimersByTimeAsync(LIFE_LOCK_POLL_MS);
    expect(gone).not.toHaveBeenCalled();
  });
});

function fakeWorkers() {
  const made: { sent: ToWorker[]; emit: (m: FromWorker) => void; fail: (message: string) => void; terminated: boolean }[] = [];
  const factory = (): WorkerLike => {
    const listeners: Record<string, ((e: never) => void)[]> = {};
    const w = {
      sent: [] as ToWorker[],
      terminated: false,
      emit: (m: FromWorker) => listeners.message?.forEach((f) => f({ data: m } as never)),
      fail: (message: string) => listeners.error?.forEach((f) => f(Object.assign(new Event('error'), { message }) as never)),
    };
    made.push(w);
    return {
      postMessage: (m: ToWorker) => w.sent.push(m),
      addEventListener: (type: string, fn: (e: never) => void) => (listeners[type] ??= []).push(fn),
      terminate: () => (w.terminated = true),
    };
  };
  return { made, factory };
}

const snapshot = (step: number, status: Snapshot['status']): Snapshot => snapshotFixture({ step, status, hidden: [8], partial: true });

describe('the worker client', () => {
  afterEach(() => vi.useRealTimers());

  it('replaces a worker that stops answering, restores the checkpoint and plays on; a second death within a minute waits for Restart', () => {
    vi.useFakeTimers();
    const store = createAppStore();
    const { made, factory } = fakeWorkers();
    const stop = connectWorker(store, factory, { now: () => Date.now() });
    store.getState().play();
    made[0].emit({ type: 'snapshot', snapshot: snapshot(100, 'running') }); // on the cpu backend
    const checkpoint = {
      params: store.getState().params,
      step: 120,
      epoch: 3,
      session: 2,
      weights: [],
      optimizer: { name: 'adam', t: 120, slots: [] },
      streams: {
        batches: { n: 250, shuffledFrom: { words: [1, 2, 3, 4], spareNormal: null }, cursor: 96 },
        dropout: { words: [5, 6, 7, 8], spareNormal: null },
      },
      gInit: null,
      history: [],
    } satisfies RunCheckpoint;
    made[0].emit({ type: 'checkpoint', runId: MAIN_RUN, checkpoint } satisfies CheckpointMessage);
    vi.advanceTimersByTime(200); // the snapshot reaches the store
    vi.advanceTimersByTime(SILENCE_LIMIT_MS - HEARTBEAT_INTERVAL_MS - 200);
    expect(made).toHaveLength(1); // silent, but not long enough
    vi.advanceTimersByTime(2 * HEARTBEAT_INTERVAL_MS + 1);
    expect(made).toHaveLength(2);
    expect(made[0].terminated).toBe(true);
    const restore = made[1].sent.find((m) => m.type === 'restoreRun');
    expect(restore && restore.type === 'restoreRun' && restore.checkpoint.step).toBe(120);
    expect(made[1].sent.some((m) => m.type === 'play')).toBe(true);
    expect(store.getState().workerFault).toMatchObject({ kind: 'restarted', step: 120 });
    // Its script fails to start: within the minute, no automatic restart; the user restarts.
    made[1].fail('boom');
    expect(made).toHaveLength(2);
    expect(store.getState().workerFault).toMatchObject({ kind: 'stopped' });
    store.getState().restartWorker();
    expect(made).toHaveLength(3);
    expect(made[2].sent.some((m) => m.type === 'restoreRun')).toBe(true);
    stop();
  });

  it('replaces a worker whose life lock comes free at once, on a GPU backend too (no waiting out the silence limit)', async () => {
    vi.useFakeTimers();
    const store = createAppStore();
    const { locks, hold, release } = fakeLocks();
    const { made, factory } = fakeWorkers();
    let n = 0;
    const withLock = (): WorkerLike => ({ ...factory(), lifeLock: `worker-${++n}` });
    const stop = connectWorker(store, withLock, { now: () => Date.now(), locks });
    hold('worker-1'); // its script has started
    made[0].emit({ type: 'snapshot', snapshot: { ...snapshot(100, 'running'), backend: 'webgl' } });
    await vi.advanceTimersByTimeAsync(GPU_SILENCE_LIMIT_MS / 2); // busy compiling shaders: silent, alive
    expect(made).toHaveLength(1);
    release('worker-1'); // it closed itself
    await vi.advanceTimersByTimeAsync(0);
    expect(made).toHaveLength(2);
    expect(store.getState().workerFault).toMatchObject({ kind: 'restarted', reason: 'it ended unexpectedly' });
    stop();
  });

  it('an error event from a worker that has spoken is reported, and the Play button keeps the worker’s own state', () => {
    vi.useFakeTimers();
    const store = createAppStore();
    const { made, factory } = fakeWorkers();
    const stop = connectWorker(store, factory, { now: () => Date.now() });
    made[0].emit({ type: 'snapshot', snapshot: snapshot(5, 'running') });
    vi.advanceTimersByTime(200);
    expect(store.getState().playing).toBe(true);
    made[0].fail('oops');
    expect(
      store
        .getState()
        .errors.map((e) => e.message)
        .join(),
    ).toMatch(/oops/);
    expect(store.getState().playing).toBe(true);
    expect(made).toHaveLength(1);
    stop();
  });
});

function hostWith(params: Partial<Params>, backend: BackendName = 'cpu') {
  const checkpoints: RunCheckpoint[] = [];
  const snapshots: Snapshot[] = [];
  const h = new RunHost(
    'main',
    { ...defaultParams(), pretrain: 20, ...params },
    { name: backend, reason: 'test' },
    {
      snapshot: (s) => snapshots.push(s),
      dataset: () => undefined,
      progress: () => undefined,
      checkpoint: (m) => checkpoints.push(m.checkpoint),
    },
  );
  return { h, checkpoints, snapshots };
}

describe('a fresh host taking over a run', () => {
  it('restores weights, optimizer state, step count and history, and trains on from there', async () => {
    const a = hostWith({});
    await a.h.build();
    await a.h.step(40);
    const cp = a.checkpoints[a.checkpoints.length - 1];
    expect(cp.step).toBe(40);
    expect(cp.optimizer.t).toBe(40);
    const b = hostWith({});
    await b.h.restore(structuredClone(cp), null);
    const again = b.checkpoints[b.checkpoints.length - 1];
    expect(again.step).toBe(40);
    expect(again.weights).toEqual(cp.weights);
    expect(again.optimizer).toEqual(cp.optimizer);
    expect(again.history).toEqual(cp.history);
    expect(b.snapshots[b.snapshots.length - 1].status).toBe('ready');
    await b.h.step(3);
    expect(b.snapshots[b.snapshots.length - 1].step).toBe(43);
    await a.h.dispose();
    await b.h.dispose();
  });

  it('keeps Session III (g frozen) across the restore', async () => {
    const a = hostWith({ hidden: [4] });
    await a.h.build();
    await a.h.step(5);
    await a.h.startSessionThree();
    await a.h.step(5);
    const cp = a.checkpoints[a.checkpoints.length - 1];
    expect(cp.session).toBe(3);
    const b = hostWith({ hidden: [4] });
    await b.h.restore(structuredClone(cp), null);
    const again = b.checkpoints[b.checkpoints.length - 1];
    expect(again.session).toBe(3);
    expect(again.weights).toEqual(cp.weights);
    expect(again.optimizer).toEqual(cp.optimizer);
    await a.h.dispose();
    await b.h.dispose();
  });

  // 250 training examples in batches of 32: 7 batches an epoch, so the run crosses epochs (new
  // shuffles) after the restore; dropout draws its masks from its own stream.
  for (const backend of ['cpu', 'fused'] as const) {
    it(`continues with the batches and dropout masks the run would have drawn (${backend === 'cpu' ? 'tfjs' : 'fused'} engine)`, async () => {
      const params = { dropout: 0.2, pretrain: 0 };
      const a = hostWith(params, backend);
      await a.h.build();
      await a.h.step(17); // mid-epoch
      const cp = a.checkpoints[a.checkpoints.length - 1];
      expect(cp.step).toBe(17);
      expect(cp.streams.batches.cursor).toBe((17 % 7) * 32);
      await a.h.step(25);
      const uninterrupted = a.checkpoints[a.checkpoints.length - 1];
      const b = hostWith(params, backend);
      await b.h.restore(structuredClone(cp), null);
      await b.h.step(25);
      const restored = b.checkpoints[b.checkpoints.length - 1];
      expect(restored.step).toBe(42);
      expect(restored.epoch).toBe(uninterrupted.epoch);
      expect(restored.streams).toEqual(uninterrupted.streams);
      let diff = 0;
      restored.weights.forEach((w, i) => w.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - uninterrupted.weights[i][j])))));
      expect(diff).toBeLessThan(1e-6);
      // Without the streams (a fresh shuffle from the start) the same restore lands elsewhere: the test can fail.
      const c = hostWith(params, backend);
      const fresh = hostWith(params, backend);
      await fresh.h.build();
      await c.h.restore({ ...structuredClone(cp), streams: fresh.checkpoints[fresh.checkpoints.length - 1].streams }, null);
      await c.h.step(25);
      const reshuffled = c.checkpoints[c.checkpoints.length - 1];
      let apart = 0;
      reshuffled.weights.forEach((w, i) => w.forEach((v, j) => (apart = Math.max(apart, Math.abs(v - uninterrupted.weights[i][j])))));
      expect(apart).toBeGreaterThan(1e-4);
      for (const x of [a, b, c, fresh]) await x.h.dispose();
    });
  }
});
