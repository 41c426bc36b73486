/**
 * The store's compare slice (CompareSlice in compareTypes.ts): compare mode's records and
 * intents. Compare mode is a matter of params (`compare`, `seeds`), so the link follows: the
 * slice watches the params and, when they name a comparison, pauses the main run and starts a
 * pool of workers for its runs (ComparePool, through the factory connectComparePool plugs in);
 * when they stop naming one, the pool goes. A change of live settings (learning rate...) goes to
 * the runs as they train; any other change starts the comparison afresh.
 */
import type { StateCreator } from 'zustand';
import { comparePlan, isCompareMode, type CompareRunPlan } from '../core/compare/plan';
import type { Points2D } from '../core/data/points';
import { needsRebuild, sanitizeValue, type Correction, type Params } from '../core/params';
import { comparePoolSize } from './barrier';
import { comparisonBaseParams } from './compareBase';
import { applyCompareFrame, applyCompareSnapshot, failCompareRecord, newCompareRecord } from './compareRecords';
import type { CompareRunView, CompareSlice, CompareState, PoolFault } from './compareTypes';
import { selectCustomPoints, type DataSliceState } from './dataSlice';
import type { FrameMessage, RobustnessProgressMessage, RobustnessResultMessage, Snapshot, ToWorker } from '../worker/protocol';

/** What the pool hands the slice at each commit (ComparePool coalesces per animation frame). */
export interface CompareBatch {
  /** The newest snapshot per run since the last commit (metrics-only ones merged onto full ones). */
  snapshots: Snapshot[];
  /** Every timeline frame since the last commit, in order (a compare run sends only its step-0 frame). */
  frames: FrameMessage[];
  /** Session I progress of runs that are building. */
  progress: { runId: string; done: number; total: number }[];
  /** Runs that failed (their worker died, or an operation on them failed): status error with this message. */
  failures: { runId: string; message: string }[];
  /** Robustness tests' progress and results from the pool's workers, every one in order. */
  robustness: (RobustnessProgressMessage | RobustnessResultMessage)[];
  /** Lockstep speed: steps per second of each run over the last round (0 while not playing). */
  stepsPerSecond: number;
  /** A pool worker died since the last commit: what became of its runs (absent: nothing new). */
  fault?: PoolFault;
}

/** What the slice drives (ComparePool). */
export interface ComparePoolControl {
  readonly size: number;
  play(): void;
  pause(): void;
  step(steps: number): void;
  reset(): void;
  updatePlans(plans: readonly CompareRunPlan[]): void;
  /** Fresh workers for dead ones that wait for the user (PoolFault 'stopped'). */
  restart(): void;
  /** Posts a message to the worker hosting the run (robustness tests). */
  send(runId: string, msg: ToWorker): void;
  dispose(): void;
}

export type ComparePoolFactory = (
  plans: CompareRunPlan[],
  onBatch: (batch: CompareBatch) => void,
  points: Points2D | null,
) => ComparePoolControl;

/** The slice's plumbing besides the contract (not data). */
export interface CompareSliceExtras {
  /** Starts the workers of a comparison; plugged in by connectComparePool (compareClient.ts). Without it, records but no runs. */
  comparePoolFactory: ComparePoolFactory | null;
  setComparePoolFactory(factory: ComparePoolFactory | null): void;
  /** Reaches a compare run's worker (for the robustness panel); does nothing without a pool. */
  compareSend(runId: string, msg: ToWorker): void;
  /**
   * Shows a comparison read from a file, not training: any pool stops and the page's params
   * stay (changing them to the file's would retrain the same plan over the imported runs).
   * "Train again" is applying the comparison's base params.
   */
  showComparison(state: CompareState): void;
}

/** What the slice reads and calls on the rest of the store (src/state/store.ts). */
export interface CompareSliceHost extends DataSliceState {
  corrections: Correction[];
  playing: boolean;
  playIntent: boolean;
  pause(): void;
  applyParams(params: Params, corrections?: Correction[]): void;
  receiveRobustness(msg: RobustnessProgressMessage | RobustnessResultMessage): void;
  forgetRobustness(runIds: readonly string[]): void;
  failRobustness(runIds: readonly string[], reason: string): void;
}

export type CompareSliceState = CompareSlice & CompareSliceExtras & CompareSliceHost;

/** The same runs, each buildable from the other's params without a rebuild (live settings only differ). */
function sameRuns(a: readonly CompareRunPlan[], b: readonly CompareRunPlan[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (p, i) =>
        p.runId === b[i].runId &&
        p.dataSeed === b[i].dataSeed &&
        p.params.backend === b[i].params.backend &&
        !needsRebuild(p.params, b[i].params),
    )
  );
}

function hardwareConcurrency(): number | undefined {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
}

export const createCompareSlice: StateCreator<CompareSliceState, [], [], CompareSlice & CompareSliceExtras> = (set, get, api) => {
  let pool: ComparePoolControl | null = null;

  const updateCompare = (patch: (c: CompareState) => Partial<CompareState>) =>
    set((st) => (st.compare ? { compare: { ...st.compare, ...patch(st.compare) } } : {}));

  /** A batch of the current pool's messages into the records. */
  const receive = (from: ComparePoolControl, batch: CompareBatch) => {
    if (from !== pool) return;
    updateCompare((c) => {
      const runs: Record<string, CompareRunView> = { ...c.runs };
      for (const f of batch.frames) if (runs[f.runId]) runs[f.runId] = applyCompareFrame(runs[f.runId], f);
      for (const s of batch.snapshots) if (runs[s.runId]) runs[s.runId] = applyCompareSnapshot(runs[s.runId], s);
      for (const p of batch.progress) if (runs[p.runId]) runs[p.runId] = { ...runs[p.runId], progress: { done: p.done, total: p.total } };
      for (const f of batch.failures) if (runs[f.runId]) runs[f.runId] = failCompareRecord(runs[f.runId], f.message);
      return { runs, stepsPerSecond: batch.stepsPerSecond, ...(batch.fault ? { fault: batch.fault } : {}) };
    });
    // Robustness tests on the dead worker's runs get no answer from it.
    if (batch.fault) get().failRobustness(batch.fault.runIds, `the training worker stopped (${batch.fault.reason})`);
    if (batch.failures.length > 0)
      get().failRobustness(
        batch.failures.map((f) => f.runId),
        batch.failures[0].message,
      );
    for (const m of batch.robustness) get().receiveRobustness(m);
  };

  const stopPool = () => {
    pool?.dispose();
    pool = null;
    // Curves measured on runs that are gone (or rebuilt) no longer describe anything shown.
    const ids = get().compare?.plans.map((p) => p.runId) ?? [];
    if (ids.length > 0) get().forgetRobustness(ids);
  };

  /** A new comparison: fresh records, the main run paused, a new pool (when one can be made). */
  const start = (plans: CompareRunPlan[]) => {
    stopPool();
    const s = get();
    if (s.playing || s.playIntent) s.pause();
    const runs = Object.fromEntries(plans.map((p) => [p.runId, newCompareRecord(p)]));
    set({ compare: { plans, runs, playing: false, poolSize: comparePoolSize(hardwareConcurrency(), plans.length), stepsPerSecond: 0 } });
    const factory = s.comparePoolFactory;
    if (!factory) return;
    const points = s.params.dataset === 'custom' ? selectCustomPoints(s) : null;
    const created: ComparePoolControl = factory(plans, (batch) => receive(created, batch), points);
    pool = created;
    updateCompare(() => ({ poolSize: created.size }));
  };

  /** Brings the pool in line with the params. */
  const sync = () => {
    const s = get();
    const plans = isCompareMode(s.params) ? comparePlan(s.params) : [];
    if (plans.length === 0) {
      stopPool();
      if (s.compare) set({ compare: null });
      return;
    }
    const current = s.compare;
    if (current && sameRuns(current.plans, plans) && (pool !== null || s.comparePoolFactory === null)) {
      if (JSON.stringify(current.plans) !== JSON.stringify(plans)) {
        pool?.updatePlans(plans);
        updateCompare(() => ({ plans }));
      }
      return;
    }
    start(plans);
  };

  /**
   * An imported comparison trains again from step 0: its plan from the page's params when they
   * name it, else the params rebuilt from the plan (the link then follows). True when it did.
   */
  const trainImportedAgain = (): boolean => {
    const s = get();
    if (!s.compare?.imported) return false;
    const base = comparisonBaseParams(s.compare, s.params);
    if (base === s.params) start(comparePlan(s.params));
    else s.applyParams(base, s.corrections);
    return true;
  };

  api.subscribe((st, prev) => {
    if (st.params !== prev.params) sync();
  });

  return {
    compare: null,
    comparePoolFactory: null,

    setComparePoolFactory(factory) {
      stopPool();
      set({ comparePoolFactory: factory, compare: null });
      sync();
    },

    setCompare(models, seeds) {
      const prev = get().params;
      const next: Params = { ...prev, compare: sanitizeValue('compare', models).value, seeds: sanitizeValue('seeds', seeds).value };
      if (JSON.stringify(next.compare) === JSON.stringify(prev.compare) && next.seeds === prev.seeds) return;
      get().applyParams(next, get().corrections);
    },

    comparePlay() {
      if (!get().compare) return;
      trainImportedAgain();
      const s = get();
      if (s.playing || s.playIntent) s.pause();
      updateCompare(() => ({ playing: true }));
      pool?.play();
    },

    comparePause() {
      updateCompare(() => ({ playing: false, stepsPerSecond: 0 }));
      pool?.pause();
    },

    compareTogglePlay() {
      if (get().compare?.playing) get().comparePause();
      else get().comparePlay();
    },

    compareStep(steps = 1) {
      if (!get().compare) return;
      trainImportedAgain();
      updateCompare(() => ({ playing: false, stepsPerSecond: 0 }));
      pool?.step(steps);
    },

    compareSend(runId, msg) {
      pool?.send(runId, msg);
    },

    showComparison(state) {
      stopPool();
      set({ compare: { ...state, playing: false, stepsPerSecond: 0, imported: true } });
    },

    compareReset() {
      if (trainImportedAgain()) return;
      get().forgetRobustness(get().compare?.plans.map((p) => p.runId) ?? []);
      updateCompare((c) => ({ runs: Object.fromEntries(c.plans.map((p) => [p.runId, newCompareRecord(p)])) }));
      pool?.reset();
    },

    compareRestartWorkers() {
      pool?.restart();
    },

    compareDismissFault() {
      updateCompare(() => ({ fault: null }));
    },

    openCompareRun(runId) {
      const s = get();
      const plan = s.compare?.plans.find((p) => p.runId === runId);
      if (!plan) return;
      // The run's model and seed (matched like in the comparison); leaving compare mode disposes the pool.
      get().applyParams({ ...s.params, model: plan.model, seed: plan.seed, match: plan.params.match, compare: [] }, s.corrections);
    },
  };
};
