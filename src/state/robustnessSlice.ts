/**
 * The store's part for robustness tests: the panel's choices (kind, PGD options), the latest
 * test over a list of runs (the single run 'main', or compare mode's runs), its progress, and
 * each run's curve, "diverged" or error. Runs may live in different workers: the caller passes
 * a `send(runId, msg)` that reaches each run's worker (the main run's default is the store's
 * transport). Results stay until the model they were measured on is rebuilt (forgetRobustness).
 */
import type { StateCreator } from 'zustand';
import type { Params } from '../core/params';
import { isImageDataset } from '../core/params';
import type { PerturbationKind, RobustnessCurve } from '../core/robustness/attacks';
import { DEFAULT_ROBUSTNESS_OPTIONS, defaultSizes, sanitizeRobustnessRequest, type RobustnessOptions } from '../core/robustness/settings';
import type { RobustnessProgressMessage, RobustnessResultMessage, ToWorker } from '../worker/protocol';

/** queued: sent, no progress yet; the rest are final except running. */
export type RobustnessRunStatus = 'queued' | 'running' | 'done' | 'diverged' | 'error' | 'cancelled';

export interface RobustnessRunState {
  status: RobustnessRunStatus;
  /** Chunks x sizes attacked, of total (0 of 0 before the first progress message). */
  done: number;
  total: number;
  /** The curve (status done). */
  curve: RobustnessCurve | null;
  /** Why: the divergence reason (diverged) or the error (error). */
  reason: string | null;
  /** The training step of the weights tested (when answered). */
  step: number | null;
}

export interface RobustnessTest {
  requestId: number;
  kind: PerturbationKind;
  options: RobustnessOptions;
  /** Sigma for noise, eps for the attacks. */
  sizes: number[];
  /** Image data: sizes are on the [-1, 1] pixel scale. */
  image: boolean;
  /** By runId, in the order asked. */
  runs: Record<string, RobustnessRunState>;
}

export interface RobustnessState {
  /** What the panel's controls show and the next test uses. */
  options: RobustnessOptions;
  /** The latest test (running or finished); null before the first and once all its runs were rebuilt. */
  test: RobustnessTest | null;
}

/** Posts a message to the worker that hosts `runId`. */
export type RobustnessSend = (runId: string, msg: ToWorker) => void;

export interface RobustnessSlice {
  robustness: RobustnessState;
  setRobustnessOptions(patch: Partial<RobustnessOptions>): void;
  /**
   * Tests these runs with the current options on the default size grid of the data (a test
   * still running is cancelled first). `send` reaches each run's worker; default: the store's
   * transport (the main run's worker).
   */
  startRobustness(runIds: readonly string[], send?: RobustnessSend): void;
  /** Cancels the runs still queued or running (they show "cancelled"; finished ones keep their curves). */
  cancelRobustness(): void;
  /** The worker's robustness messages (any run; messages of an older test are ignored). */
  receiveRobustness(msg: RobustnessProgressMessage | RobustnessResultMessage): void;
  /** These runs' models are rebuilt: their results go, and a test still running on them is cancelled. */
  forgetRobustness(runIds: readonly string[]): void;
  /** These runs' worker is gone: what was still running ends as an error with this reason. */
  failRobustness(runIds: readonly string[], reason: string): void;
}

/** What the slice reads of the rest of the store (src/state/store.ts). */
export interface RobustnessSliceHost {
  params: Params;
  transport: ((msg: ToWorker) => void) | null;
}

export type RobustnessSliceState = RobustnessSlice & RobustnessSliceHost;

export const INITIAL_ROBUSTNESS: RobustnessState = Object.freeze({ options: { ...DEFAULT_ROBUSTNESS_OPTIONS }, test: null });

const FINAL: ReadonlySet<RobustnessRunStatus> = new Set(['done', 'diverged', 'error', 'cancelled']);

export function isFinal(status: RobustnessRunStatus): boolean {
  return FINAL.has(status);
}

/** True while some run of the test is queued or running. */
export function robustnessRunning(test: RobustnessTest | null): boolean {
  return test !== null && Object.values(test.runs).some((r) => !isFinal(r.status));
}

/**
 * Progress over runs: done and total summed over runs that reported, and the fraction as the
 * mean of the runs' own fractions (finished runs count as 1, runs not yet started as 0), so the
 * bar never runs backwards when a run's first report arrives.
 */
export function runsProgress(runs: readonly RobustnessRunState[]): { done: number; total: number; fraction: number } {
  let done = 0;
  let total = 0;
  let sum = 0;
  for (const r of runs) {
    done += r.done;
    total += r.total;
    sum += isFinal(r.status) ? 1 : r.total > 0 ? r.done / r.total : 0;
  }
  return { done, total, fraction: runs.length > 0 ? sum / runs.length : 0 };
}

/** Progress over every run of the test (runsProgress). */
export function robustnessProgress(test: RobustnessTest | null): { done: number; total: number; fraction: number } {
  return runsProgress(test ? Object.values(test.runs) : []);
}

export function createRobustnessSlice(): StateCreator<RobustnessSliceState, [], [], RobustnessSlice> {
  return (set, get) => {
    let nextRequestId = 1;
    /** How the current test reaches its runs (not data: kept out of the store's state). */
    let sendOf: RobustnessSend = (_runId, msg) => get().transport?.(msg);

    /** Applies `change` to one run of the current test when the message belongs to it. */
    const updateRun = (runId: string, requestId: number, change: (r: RobustnessRunState) => RobustnessRunState | null) => {
      const test = get().robustness.test;
      const run = test?.runs[runId];
      if (!test || !run || test.requestId !== requestId) return;
      const next = change(run);
      if (!next) return;
      set((st) => ({ robustness: { ...st.robustness, test: { ...test, runs: { ...test.runs, [runId]: next } } } }));
    };

    /** Sends a cancel to the runs of the test still queued or running, and marks them with `status`. */
    const stopOpen = (runIds: readonly string[], mark: (r: RobustnessRunState) => RobustnessRunState) => {
      const test = get().robustness.test;
      if (!test) return;
      const runs = { ...test.runs };
      for (const id of runIds) {
        const r = runs[id];
        if (!r || isFinal(r.status)) continue;
        sendOf(id, { type: 'cancelRobustness', runId: id });
        runs[id] = mark(r);
      }
      set((st) => ({ robustness: { ...st.robustness, test: { ...test, runs } } }));
    };

    return {
      robustness: INITIAL_ROBUSTNESS,

      setRobustnessOptions(patch) {
        const merged = { ...get().robustness.options, ...patch };
        let options: RobustnessOptions;
        try {
          // Out-of-range numbers are clamped; an unknown kind leaves the options as they were.
          const clean = sanitizeRobustnessRequest({ ...merged, sizes: [0] });
          options = { kind: clean.kind, pgdSteps: clean.pgdSteps, pgdStepFraction: clean.pgdStepFraction, randomStart: clean.randomStart };
        } catch {
          return;
        }
        set((st) => ({ robustness: { ...st.robustness, options } }));
      },

      startRobustness(runIds, send) {
        const ids = [...new Set(runIds)];
        if (ids.length === 0) return;
        const current = get().robustness.test;
        if (current && robustnessRunning(current)) get().cancelRobustness();
        const image = isImageDataset(get().params.dataset);
        // Clamped here as in the worker, so the test records what actually runs.
        const spec = sanitizeRobustnessRequest({ ...get().robustness.options, sizes: defaultSizes(get().robustness.options.kind, image) });
        const { sizes, ...options } = spec;
        const requestId = nextRequestId++;
        sendOf = send ?? ((_runId, msg) => get().transport?.(msg));
        const runs: Record<string, RobustnessRunState> = {};
        for (const id of ids) runs[id] = { status: 'queued', done: 0, total: 0, curve: null, reason: null, step: null };
        set((st) => ({ robustness: { ...st.robustness, test: { requestId, kind: spec.kind, options, sizes, image, runs } } }));
        for (const id of ids) sendOf(id, { type: 'robustness', runId: id, requestId, ...spec });
      },

      cancelRobustness() {
        const test = get().robustness.test;
        if (!test) return;
        stopOpen(Object.keys(test.runs), (r) => ({ ...r, status: 'cancelled' }));
      },

      receiveRobustness(msg) {
        if (msg.type === 'robustnessProgress') {
          updateRun(msg.runId, msg.requestId, (r) =>
            isFinal(r.status) ? null : { ...r, status: 'running', done: msg.done, total: msg.total },
          );
          return;
        }
        updateRun(msg.runId, msg.requestId, (r) => {
          // Cancelled on the page: the worker's late answer changes nothing.
          if (r.status === 'cancelled') return null;
          const base = { ...r, step: msg.step };
          if (msg.cancelled) return { ...base, status: 'cancelled' };
          if (msg.result && msg.result.diverged) return { ...base, status: 'diverged', reason: msg.result.reason };
          if (msg.result) return { ...base, status: 'done', curve: msg.result.curve, done: Math.max(r.done, r.total) };
          return { ...base, status: 'error', reason: msg.error ?? 'the robustness test failed' };
        });
      },

      forgetRobustness(runIds) {
        const test = get().robustness.test;
        if (!test || !runIds.some((id) => id in test.runs)) return;
        stopOpen(runIds, (r) => r);
        const runs = { ...get().robustness.test!.runs };
        for (const id of runIds) delete runs[id];
        const left = Object.keys(runs).length > 0;
        set((st) => ({ robustness: { ...st.robustness, test: left ? { ...test, runs } : null } }));
      },

      failRobustness(runIds, reason) {
        const test = get().robustness.test;
        if (!test) return;
        const runs = { ...test.runs };
        let changed = false;
        for (const id of runIds) {
          const r = runs[id];
          if (!r || isFinal(r.status)) continue;
          runs[id] = { ...r, status: 'error', reason };
          changed = true;
        }
        if (changed) set((st) => ({ robustness: { ...st.robustness, test: { ...test, runs } } }));
      },
    };
  };
}
