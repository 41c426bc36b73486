/**
 * The store's compare slice with a fake pool: entering and leaving compare mode follows the
 * params (so the link), the main run pauses, records keep the last full read-outs, gather the
 * null from the step-0 frame and a bounded verdict history, failures show, live settings reach
 * the runs without a rebuild, and opening a run returns to the single view with its model and seed.
 */
import { describe, expect, it } from 'vitest';
import type { CompareRunPlan } from '../../src/core/compare/plan';
import { defaultParams, type Params } from '../../src/core/params';
import type { ShapeAnalysis } from '../../src/core/analysis/shape';
import { MAX_VERDICT_HISTORY, pushVerdict } from '../../src/state/compareRecords';
import type { CompareBatch, ComparePoolControl, ComparePoolFactory } from '../../src/state/compareSlice';
import { decodeLink, encodeLink } from '../../src/state/link';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import type { Snapshot, SnapshotBootstrap, ToWorker } from '../../src/worker/protocol';
import { snapshotFixture } from './snapshotFixture';

class FakePool implements ComparePoolControl {
  readonly calls: string[] = [];
  disposed = false;
  constructor(
    readonly plans: CompareRunPlan[],
    readonly deliver: (b: CompareBatch) => void,
  ) {}
  readonly sentToRuns: { runId: string; msg: ToWorker }[] = [];
  send = (runId: string, msg: ToWorker) => {
    this.sentToRuns.push({ runId, msg });
  };
  get size() {
    return 2;
  }
  play = () => this.calls.push('play');
  pause = () => this.calls.push('pause');
  step = (n: number) => this.calls.push(`step ${n}`);
  reset = () => this.calls.push('reset');
  restart = () => this.calls.push('restart');
  updatePlans = (plans: readonly CompareRunPlan[]) => this.calls.push(`update ${plans[0].params.lr}`);
  dispose = () => {
    this.disposed = true;
  };
}

function setup(initial: Params = defaultParams()) {
  const sent: ToWorker[] = [];
  const pools: FakePool[] = [];
  const store = createAppStore(initial);
  store.getState().connect((m) => sent.push(m));
  const factory: ComparePoolFactory = (plans, onBatch) => {
    const p = new FakePool(plans, onBatch);
    pools.push(p);
    return p;
  };
  store.getState().setComparePoolFactory(factory);
  return { store, sent, pools, pool: () => pools[pools.length - 1] };
}

const batch = (over: Partial<CompareBatch>): CompareBatch => ({
  snapshots: [],
  frames: [],
  progress: [],
  failures: [],
  robustness: [],
  stepsPerSecond: 0,
  ...over,
});
const analysis = (verdict: ShapeAnalysis['verdict']) => ({ verdict, spectrum: [1, 1, 2, 0] }) as unknown as ShapeAnalysis;
const g = (v: number) => ({ grid: { min: -4, max: 4, size: 2 }, values: new Float32Array(4).fill(v) });
const verdict = (step: number): SnapshotBootstrap => ({
  step,
  verdict: 'undecided',
  relativeDet: { lo: -0.1, hi: 0.1 },
  hessianDet: { lo: -1, hi: 1 },
  resamples: 50,
});
const snap = (runId: string, over: Partial<Snapshot>): Snapshot => snapshotFixture({ runId, status: 'running', ...over });

describe('compare slice', () => {
  it('setCompare enters compare mode: the link names it, the main run pauses, a pool starts with every run', () => {
    const { store, sent, pools } = setup();
    store.getState().play();
    store.getState().setCompare(['twoArg', 'relu', 'bogus'], 3);
    const s = store.getState();
    expect(s.params.compare).toEqual(['twoArg', 'relu']);
    expect(decodeLink(encodeLink(s.params)).params.compare).toEqual(['twoArg', 'relu']);
    expect(s.playIntent).toBe(false);
    expect(sent.some((m) => m.type === 'pause' && m.runId === MAIN_RUN)).toBe(true);
    expect(pools).toHaveLength(1);
    expect(Object.keys(s.compare!.runs)).toEqual(['twoArg-s1', 'twoArg-s2', 'twoArg-s3', 'relu-s1', 'relu-s2', 'relu-s3']);
    expect(s.compare).toMatchObject({ playing: false, poolSize: 2, stepsPerSecond: 0 });
    expect(s.compare!.runs['relu-s2']).toMatchObject({ model: 'relu', seed: 2, seedIndex: 1, status: 'building', step: 0 });
  });

  it('a compare link opens straight into compare mode; the pool starts once it is plugged in', () => {
    const store = createAppStore();
    const { params, corrections } = decodeLink('#compare=twoArg,oneArg&seeds=2');
    store.getState().applyParams(params, corrections);
    expect(store.getState().compare?.plans).toHaveLength(4);
    const pools: FakePool[] = [];
    store.getState().setComparePoolFactory((plans, onBatch) => {
      const p = new FakePool(plans, onBatch);
      pools.push(p);
      return p;
    });
    expect(pools).toHaveLength(1);
    expect(pools[0].plans.map((p) => p.runId)).toEqual(['twoArg-s1', 'twoArg-s2', 'oneArg-s1', 'oneArg-s2']);
    expect(store.getState().compare?.runs['oneArg-s2'].status).toBe('building');
  });

  it('records follow snapshots: metrics-only ones keep the read-outs, the step-0 frame is the null, verdicts make a history', () => {
    const { store, pool } = setup();
    store.getState().setCompare(['twoArg'], 2);
    const send = pool().deliver;
    send(
      batch({
        frames: [{ type: 'frame', runId: 'twoArg-s1', step: 0, g: g(0), density: null, analysis: analysis('soft-xor') }],
        snapshots: [snap('twoArg-s1', { step: 0, status: 'ready', g: g(0), analysis: analysis('soft-xor'), bootstrap: null })],
        progress: [{ runId: 'twoArg-s2', done: 3, total: 10 }],
      }),
    );
    let runs = store.getState().compare!.runs;
    expect(runs['twoArg-s1'].analysisInit?.verdict).toBe('soft-xor');
    expect(runs['twoArg-s2'].progress).toEqual({ done: 3, total: 10 });
    send(
      batch({
        snapshots: [snap('twoArg-s1', { step: 40, g: g(4), analysis: analysis('not-saddle'), bootstrap: verdict(40) })],
        stepsPerSecond: 900,
      }),
    );
    send(batch({ snapshots: [snap('twoArg-s1', { step: 60, partial: true, bootstrap: null })] }));
    runs = store.getState().compare!.runs;
    const r = runs['twoArg-s1'];
    expect(r.step).toBe(60);
    expect(r.g?.values[0]).toBe(4);
    expect(r.analysis?.verdict).toBe('not-saddle');
    expect(r.analysisInit?.verdict).toBe('soft-xor');
    expect(r.bootstrap?.step).toBe(40);
    expect(r.paramTotal).toBe(2);
    expect(store.getState().compare!.stepsPerSecond).toBe(0);
    send(batch({ snapshots: [snap('twoArg-s1', { step: 80, g: g(8), bootstrap: verdict(40) })] }));
    send(batch({ snapshots: [snap('twoArg-s1', { step: 100, g: g(8), bootstrap: verdict(100) })] }));
    expect(store.getState().compare!.runs['twoArg-s1'].verdictHistory).toEqual([
      { step: 40, verdict: 'undecided' },
      { step: 100, verdict: 'undecided' },
    ]);
    send(batch({ failures: [{ runId: 'twoArg-s2', message: 'its training worker failed (boom)' }] }));
    expect(store.getState().compare!.runs['twoArg-s2']).toMatchObject({ status: 'error', message: 'its training worker failed (boom)' });
  });

  it('the verdict history stays bounded and evenly spread, keeping the first and the newest', () => {
    let h: { step: number; verdict: 'undecided' }[] = [];
    for (let s = 1; s <= 1000; s++) {
      h = pushVerdict(h, { ...verdict(s * 10), verdict: 'undecided' }) as typeof h;
      expect(h.length).toBeLessThanOrEqual(MAX_VERDICT_HISTORY);
      expect(h.at(-1).step).toBe(s * 10);
      expect(h[0].step).toBe(10);
    }
    expect(h.length).toBeGreaterThan(MAX_VERDICT_HISTORY / 4);
    // Each tenth of the run holds about a tenth of the entries.
    for (let d = 0; d < 10; d++) {
      const share = h.filter((e) => e.step > d * 1000 && e.step <= (d + 1) * 1000).length / h.length;
      expect(share).toBeGreaterThan(0.07);
      expect(share).toBeLessThan(0.13);
    }
    expect(pushVerdict(h, verdict(50))).toBe(h);
  });

  it('intents reach the pool; reset clears the records', () => {
    const { store, pool } = setup();
    store.getState().setCompare(['relu'], 1);
    store.getState().comparePlay();
    expect(store.getState().compare!.playing).toBe(true);
    store.getState().compareTogglePlay();
    store.getState().compareStep(5);
    pool().deliver(batch({ snapshots: [snap('relu-s1', { step: 5 })] }));
    store.getState().compareReset();
    expect(pool().calls).toEqual(['play', 'pause', 'step 5', 'reset']);
    expect(store.getState().compare!.runs['relu-s1']).toMatchObject({ step: 0, status: 'building', history: [] });
  });

  it('a dead pool worker: the fault shows until dismissed, its runs keep their records, robustness on them fails, Restart reaches the pool', () => {
    const { store, pool } = setup();
    store.getState().setCompare(['twoArg'], 2);
    pool().deliver(batch({ snapshots: [snap('twoArg-s1', { step: 40 }), snap('twoArg-s2', { step: 40 })] }));
    const state = store.getState();
    state.startRobustness(['twoArg-s1', 'twoArg-s2'], (runId, msg) => state.compareSend(runId, msg));
    const fault = { kind: 'stopped' as const, reason: 'it ended unexpectedly', runIds: ['twoArg-s2'], from: 20, rebuilt: 0, target: 40 };
    pool().deliver(batch({ fault }));
    expect(store.getState().compare!.fault).toEqual(fault);
    // Not failed: a fresh worker takes the run over.
    expect(store.getState().compare!.runs['twoArg-s2']).toMatchObject({ step: 40, status: 'running' });
    // Its robustness test gets no answer from the dead worker: it says why; the other run's goes on.
    const tested = store.getState().robustness.test!.runs;
    expect(tested['twoArg-s2']).toMatchObject({ status: 'error', reason: 'the training worker stopped (it ended unexpectedly)' });
    expect(tested['twoArg-s1'].status).not.toBe('error');
    // A later batch without a fault keeps the notice.
    pool().deliver(batch({ snapshots: [snap('twoArg-s1', { step: 40 })] }));
    expect(store.getState().compare!.fault).toEqual(fault);
    store.getState().compareRestartWorkers();
    expect(pool().calls).toEqual(['restart']);
    store.getState().compareDismissFault();
    expect(store.getState().compare!.fault).toBeNull();
  });

  it('live settings go to the runs; anything else (the seed) starts the comparison afresh', () => {
    const { store, pools } = setup();
    store.getState().setCompare(['twoArg'], 2);
    store.getState().setParam('lr', 0.01);
    expect(pools).toHaveLength(1);
    expect(pools[0].calls).toEqual(['update 0.01']);
    expect(store.getState().compare!.plans[0].params.lr).toBe(0.01);
    store.getState().setParam('seed', 9);
    expect(pools).toHaveLength(2);
    expect(pools[0].disposed).toBe(true);
    expect(Object.keys(store.getState().compare!.runs)).toEqual(['twoArg-s9', 'twoArg-s10']);
  });

  it('openCompareRun leaves compare mode for that run in the single view (model, seed, link) and disposes the pool', () => {
    const { store, sent, pool } = setup();
    store.getState().setCompare(['twoArg', 'relu'], 2);
    store.getState().openCompareRun('relu-s2');
    const s = store.getState();
    expect(s.compare).toBeNull();
    expect(pool().disposed).toBe(true);
    expect(s.params).toMatchObject({ model: 'relu', seed: 2, match: true, compare: [] });
    expect(sent.at(-1)).toMatchObject({ type: 'setParams', runId: MAIN_RUN, params: { model: 'relu', seed: 2 } });
    expect(encodeLink(s.params)).not.toMatch(/compare=/);
    store.getState().openCompareRun('nope');
    expect(store.getState().params.model).toBe('relu');
  });

  it('setCompare([]) leaves compare mode; a store without a pool factory keeps records only', () => {
    const { store, pool } = setup();
    store.getState().setCompare(['oneArg'], 1);
    store.getState().setCompare([], 1);
    expect(store.getState().compare).toBeNull();
    expect(pool().disposed).toBe(true);
    const bare = createAppStore();
    bare.getState().setCompare(['relu'], 2);
    expect(Object.keys(bare.getState().compare!.runs)).toHaveLength(2);
    bare.getState().comparePlay();
    expect(bare.getState().compare!.playing).toBe(true);
  });

  it("robustness on compare runs: requests reach the runs' workers, progress and results from the pool reach the panel", () => {
    const { store, pool } = setup();
    store.getState().setCompare(['twoArg', 'relu'], 2);
    const state = store.getState();
    state.startRobustness(['twoArg-s1', 'relu-s1'], (runId, msg) => state.compareSend(runId, msg));
    const asked = pool().sentToRuns.filter((m) => m.msg.type === 'robustness');
    expect(asked.map((m) => m.runId)).toEqual(['twoArg-s1', 'relu-s1']);
    const requestId = (asked[0].msg as Extract<ToWorker, { type: 'robustness' }>).requestId;
    pool().deliver(
      batch({
        robustness: [
          { type: 'robustnessProgress', runId: 'twoArg-s1', requestId, done: 1, total: 4 },
          {
            type: 'robustnessResult',
            runId: 'relu-s1',
            requestId,
            step: 7,
            result: { diverged: true, reason: 'loss is NaN' },
            error: null,
            cancelled: false,
          },
        ],
      }),
    );
    const runs = store.getState().robustness.test!.runs;
    expect(runs['twoArg-s1']).toMatchObject({ status: 'running', done: 1, total: 4 });
    expect(runs['relu-s1'].status).toBe('diverged');
    // Rebuilt runs forget their curves.
    store.getState().compareReset();
    expect(store.getState().robustness.test).toBeNull();
  });

  it('an imported comparison is shown without training; Play trains its plan again from step 0', () => {
    const { store, pools } = setup();
    store.getState().setCompare(['twoArg', 'relu'], 2);
    const shown = store.getState().compare!;
    const done = {
      ...shown,
      runs: Object.fromEntries(Object.entries(shown.runs).map(([id, r]) => [id, { ...r, step: 500, status: 'paused' as const }])),
    };
    store.getState().showComparison(done);
    expect(pools[0].disposed).toBe(true);
    expect(store.getState().compare).toMatchObject({ imported: true, playing: false });
    expect(store.getState().compare!.runs['relu-s2'].step).toBe(500);
    store.getState().comparePlay();
    expect(pools).toHaveLength(2);
    expect(pools[1].calls).toContain('play');
    expect(store.getState().compare!.imported).toBeUndefined();
    expect(store.getState().compare!.runs['relu-s2'].step).toBe(0);
  });

  it('the single run keeps a verdict history too: new verdicts join it, a reset starts it afresh', () => {
    const store = createAppStore();
    const receive = (step: number, bootstrap: SnapshotBootstrap | null, partial = false) =>
      store.getState().receive({ type: 'snapshot', snapshot: snap(MAIN_RUN, { step, bootstrap, partial }) });
    receive(0, null);
    receive(100, verdict(100));
    receive(150, null, true); // metrics only: the last verdict is kept, not counted twice
    receive(300, { ...verdict(300), verdict: 'soft-xor' });
    expect(store.getState().runs[MAIN_RUN].verdictHistory).toEqual([
      { step: 100, verdict: 'undecided' },
      { step: 300, verdict: 'soft-xor' },
    ]);
    // Reset: the run is back at step 0; the old run's verdict (kept by a partial snapshot) is not its own.
    receive(0, null);
    receive(5, null, true);
    expect(store.getState().runs[MAIN_RUN].verdictHistory).toEqual([]);
  });
});
