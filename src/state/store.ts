/**
 * The app's one store (zustand). Over 300 lines: the run's intents (play, step, import, restore)
 * and the worker message reducer share the run state; the data and view state are slices.
 * Data flows one way: the worker's messages land here as plain,
 * serialisable snapshots; React components and the drawing code read narrow slices of it;
 * user actions are intents on the store, which update the params and tell the worker.
 *
 * The store never imports the worker: a transport (a function that posts ToWorker messages)
 * is plugged in by src/state/workerClient.ts, so the store can be tested with a fake one.
 * It is built from zustand slices: the data (dataSlice.ts), the view (uiSlice.ts), and here
 * the params, the runs and the worker's messages. Slices import nothing from this file.
 */
import { createStore, useStore, type StoreApi } from 'zustand';
import { PARAM_SPECS, needsRebuild, sanitizeValue, type Correction, type Params, defaultParams } from '../core/params';
import {
  mergeSnapshot,
  type DatasetMessage,
  type FromWorker,
  type RunCheckpoint,
  type RunExport,
  type Snapshot,
  type ToWorker,
} from '../worker/protocol';
import type { RunFile } from './runFile';
import { emptyTimeline, frameOf, nearestFrameIndex, pushFrame, type Timeline, type TimelineFrame } from './timeline';
import { createDataSlice, type DataSlice } from './dataSlice';
import { followVerdicts, type VerdictHistory } from './compareRecords';
import { createUiSlice, type UiSlice } from './uiSlice';
import { createRobustnessSlice, type RobustnessSlice } from './robustnessSlice';
import { createCompareSlice, type CompareSliceExtras } from './compareSlice';
import type { CompareSlice } from './compareTypes';

/** The run the single-model UI shows; the record of runs leaves room for side-by-side runs. */
export const MAIN_RUN = 'main';

/** How far the worker has got building a run (Session I), as the store keeps it. */
export interface BuildProgressState {
  stage: 'sessionOne';
  done: number;
  total: number;
}

export interface RunView {
  snapshot: Snapshot | null;
  dataset: DatasetMessage | null;
  /** Set while the worker builds the run (Session I); cleared by the next snapshot. */
  progress: BuildProgressState | null;
  /** The run's bootstrap verdicts so far, oldest first (the verdict history strip); optional for older records. */
  verdictHistory?: VerdictHistory;
}

export interface WorkerError {
  id: number;
  runId: string | null;
  message: string;
}

export type Transport = (msg: ToWorker) => void;

/**
 * The training worker died (closed, crashed at load, ran out of memory). restarted: a fresh
 * one took over, from the checkpoint at `step` or (null) rebuilt from the link; stopped: it
 * died again within a minute, and the user restarts it (AppState.restartWorker).
 */
export interface WorkerFault {
  kind: 'restarted' | 'stopped';
  reason: string;
  step: number | null;
}

export interface AppState extends DataSlice, UiSlice, RobustnessSlice, CompareSlice, CompareSliceExtras {
  params: Params;
  /** What the link got wrong, shown once so a broken link is never silently "fixed". */
  corrections: Correction[];
  runs: Record<string, RunView>;
  /** Whether the worker is training: its own state, from its snapshots (what the Play button shows). */
  playing: boolean;
  /** The user's intent: the run should train (kept across rebuilds and worker restarts). */
  playIntent: boolean;
  /** The main run's latest checkpoint from the worker, to restore the run if the worker dies. */
  checkpoint: RunCheckpoint | null;
  workerFault: WorkerFault | null;
  /** A run file being applied and the params before it (see DataSliceHost.importing). */
  importing: { file: RunFile; before: Params } | null;
  /** Not data: starts a fresh worker and restores the run (set by the worker client). */
  restarter: (() => void) | null;
  errors: WorkerError[];
  /** Frames of g kept while training (bounded), for the timeline and the animation export. */
  timeline: Timeline;
  /** Not data: the plug to the worker, set once by the worker client. */
  transport: Transport | null;

  connect(transport: Transport): void;
  receive(msg: FromWorker): void;
  /** Replaces all params at once (from a decoded link); the worker is told if anything changed. */
  applyParams(params: Params, corrections?: Correction[]): void;
  setParam<K extends keyof Params>(key: K, value: Params[K]): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  step(steps?: number): void;
  reset(): void;
  /** The paper's Session III: freeze the learned g, re-initialise the outer network, retrain. */
  startSessionThree(): void;
  newSeed(): void;
  setBackend(backend: Params['backend']): void;
  dismissCorrection(index: number): void;
  dismissAllCorrections(): void;
  dismissError(id: number): void;
  /** The "Restart" button after a worker died twice within a minute. */
  restartWorker(): void;
  dismissWorkerFault(): void;
  /** Asks the worker for the run as it is now (for the run file). */
  requestRunExport(timeoutMs?: number): Promise<RunExport>;
  /** Applies a validated run file: its configuration (the page's view settings stay) and g. */
  importRun(file: RunFile): void;
}

/** Snapshot statuses after which the worker is no longer training on its own. */
const STOPPED = new Set(['diverged', 'error']);

/** Worker errors kept on screen; older ones are dropped so a failing loop cannot flood the page. */
const MAX_ERRORS = 5;

function randomSeed(): number {
  // A UI choice, not model randomness: the chosen seed is what makes the run reproducible.
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0] % (PARAM_SPECS.seed.max + 1);
}

export function createAppStore(initialParams: Params = defaultParams()): StoreApi<AppState> {
  return createStore<AppState>()((set, get, api) => {
    let nextErrorId = 1;
    let nextRequestId = 1;
    const pendingExports = new Map<number, { resolve: (r: RunExport) => void; reject: (e: Error) => void }>();
    const send = (msg: ToWorker) => get().transport?.(msg);

    /** Sends new params and keeps an intended run going across a rebuild. */
    const pushParams = (prev: Params, next: Params) => {
      // A rebuilt model's robustness results belong to the old one.
      if (needsRebuild(prev, next)) get().forgetRobustness([MAIN_RUN]);
      send({ type: 'setParams', runId: MAIN_RUN, params: next });
      if (needsRebuild(prev, next) && get().playIntent) send({ type: 'play', runId: MAIN_RUN });
    };

    return {
      ...createDataSlice(MAIN_RUN)(set, get, api),
      ...createUiSlice(set, get, api),
      ...createRobustnessSlice()(set, get, api),
      ...createCompareSlice(set, get, api),
      params: initialParams,
      corrections: [],
      runs: {},
      playing: false,
      playIntent: false,
      checkpoint: null,
      workerFault: null,
      restarter: null,
      importing: null,
      errors: [],
      timeline: emptyTimeline(),
      transport: null,

      connect(transport) {
        set({ transport });
        transport({ type: 'init', runId: MAIN_RUN, params: get().params });
      },

      receive(msg) {
        switch (msg.type) {
          case 'snapshot': {
            const prev = get().runs[msg.snapshot.runId];
            // A metrics-only snapshot keeps the last full one's g, density, analysis...
            const s = mergeSnapshot(prev?.snapshot, msg.snapshot);
            const full = !msg.snapshot.partial;
            // Frames come as 'frame' messages; a run without g(a, b) has none to show.
            const current = get().timeline;
            const timeline = s.runId === MAIN_RUN && full && !s.g && current.frames.length > 0 ? emptyTimeline() : current;
            // A new run (fewer frames than before, or none) leaves any replay: the old frames are gone.
            const leaveReplay = timeline.frames.length === 0 || timeline.frames[0] !== current.frames[0];
            set((st) => ({
              runs: {
                ...st.runs,
                [s.runId]: {
                  dataset: prev?.dataset ?? null,
                  snapshot: s,
                  progress: null,
                  verdictHistory: followVerdicts(prev?.verdictHistory ?? [], s),
                },
              },
              ...(timeline !== st.timeline ? { timeline } : {}),
              ...(leaveReplay && st.ui.timelineStep !== null ? { ui: { ...st.ui, timelineStep: null } } : {}),
              // The Play button shows the worker's own state; a run that stopped by itself ends the intent too.
              ...(s.runId === MAIN_RUN ? { playing: s.status === 'running' } : {}),
              ...(s.runId === MAIN_RUN && STOPPED.has(s.status) ? { playIntent: false } : {}),
              // A run file's build has finished: it applied.
              ...(s.runId === MAIN_RUN && st.importing && full && s.status === 'ready' ? { importing: null } : {}),
            }));
            break;
          }
          case 'frame': {
            // Timeline frames, captured in the worker by training progress.
            if (msg.runId !== MAIN_RUN) break;
            const current = get().timeline;
            const timeline = pushFrame(current, frameOf(msg));
            // A new run (its step-0 frame) leaves any replay: the old frames are gone.
            const leaveReplay = timeline.frames[0] !== current.frames[0];
            set((st) => ({ timeline, ...(leaveReplay && st.ui.timelineStep !== null ? { ui: { ...st.ui, timelineStep: null } } : {}) }));
            break;
          }
          case 'dataset': {
            const prev = get().runs[msg.runId];
            set((st) => ({
              runs: { ...st.runs, [msg.runId]: { snapshot: prev?.snapshot ?? null, dataset: msg, progress: prev?.progress ?? null } },
            }));
            break;
          }
          case 'progress': {
            const prev = get().runs[msg.runId];
            const progress = { stage: msg.stage, done: msg.done, total: msg.total };
            set((st) => ({
              runs: { ...st.runs, [msg.runId]: { ...prev, snapshot: prev?.snapshot ?? null, dataset: prev?.dataset ?? null, progress } },
            }));
            break;
          }
          case 'runExport': {
            const pending = pendingExports.get(msg.requestId);
            if (!pending) break;
            pendingExports.delete(msg.requestId);
            if (msg.run) pending.resolve(msg.run);
            else pending.reject(new Error(msg.error ?? 'the worker could not export the run'));
            break;
          }
          case 'datasetProgress':
          case 'imageData':
          case 'datasetError':
            get().receiveData(msg);
            break;
          case 'error': {
            // Only the worker's snapshots say whether it still trains: an error does not stop it by itself.
            const err = { id: nextErrorId++, runId: msg.runId, message: String(msg.message) };
            set((st) => ({ errors: [...st.errors, err].slice(-MAX_ERRORS) }));
            break;
          }
          case 'checkpoint':
            if (msg.runId === MAIN_RUN) set({ checkpoint: msg.checkpoint });
            break;
          case 'robustnessProgress':
          case 'robustnessResult':
            get().receiveRobustness(msg);
            break;
          case 'pong':
            // Liveness only (the worker client's watchdog).
            break;
          case 'benchmark':
            // Only the benchmark page (src/bench) asks for these; the app never does.
            break;
        }
      },

      applyParams(params, corrections = []) {
        const prev = get().params;
        set({ params, corrections });
        get().linkApplied(params);
        if (JSON.stringify(prev) === JSON.stringify(params)) return;
        if (prev.backend !== params.backend) send({ type: 'setBackend', backend: params.backend });
        pushParams(prev, params);
      },

      setParam(key, value) {
        const { value: clean } = sanitizeValue(key, value);
        const prev = get().params;
        if (JSON.stringify(prev[key]) === JSON.stringify(clean)) return;
        const next = { ...prev, [key]: clean };
        set({ params: next });
        if (key === 'backend') send({ type: 'setBackend', backend: next.backend });
        pushParams(prev, next);
      },

      play() {
        set({ playIntent: true });
        send({ type: 'play', runId: MAIN_RUN });
      },

      pause() {
        set({ playIntent: false });
        send({ type: 'pause', runId: MAIN_RUN });
      },

      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },

      step(steps = 1) {
        // Stepping is for looking closely: stop the continuous run first.
        if (get().playing || get().playIntent) get().pause();
        send({ type: 'step', runId: MAIN_RUN, steps });
      },

      reset() {
        get().forgetRobustness([MAIN_RUN]);
        send({ type: 'reset', runId: MAIN_RUN });
        if (get().playIntent) send({ type: 'play', runId: MAIN_RUN });
      },

      startSessionThree() {
        // Session III re-initialises the outer network: a new model to test.
        get().forgetRobustness([MAIN_RUN]);
        send({ type: 'sessionThree', runId: MAIN_RUN });
      },

      newSeed() {
        get().setParam('seed', randomSeed());
      },

      setBackend(backend) {
        get().setParam('backend', backend);
      },

      dismissCorrection(index) {
        set((st) => ({ corrections: st.corrections.filter((_, i) => i !== index) }));
      },

      dismissAllCorrections() {
        set({ corrections: [] });
      },

      dismissError(id) {
        set((st) => ({ errors: st.errors.filter((e) => e.id !== id) }));
      },

      restartWorker() {
        get().restarter?.();
      },

      dismissWorkerFault() {
        set({ workerFault: null });
      },

      requestRunExport(timeoutMs = 30_000) {
        const transport = get().transport;
        if (!transport) return Promise.reject(new Error('the training worker is not running'));
        const requestId = nextRequestId++;
        return new Promise<RunExport>((resolve, reject) => {
          const timer = setTimeout(() => {
            pendingExports.delete(requestId);
            reject(new Error('the training worker did not answer in time'));
          }, timeoutMs);
          pendingExports.set(requestId, {
            resolve: (r) => {
              clearTimeout(timer);
              resolve(r);
            },
            reject: (e) => {
              clearTimeout(timer);
              reject(e);
            },
          });
          transport({ type: 'exportRun', runId: MAIN_RUN, requestId });
        });
      },

      importRun(file) {
        const prev = get().params;
        // How this page is viewed (embed, hidden panels, autoplay) stays; the backend follows the file.
        const next = structuredClone(file.params);
        for (const key of Object.keys(PARAM_SPECS) as (keyof Params)[]) {
          if (PARAM_SPECS[key].group === 'view' && key !== 'backend')
            (next as unknown as Record<string, unknown>)[key] = structuredClone(prev[key]);
        }
        if (get().playing || get().playIntent) get().pause();
        get().forgetRobustness([MAIN_RUN]);
        set((st) => ({
          params: next,
          importing: { file, before: prev },
          corrections: [],
          timeline: emptyTimeline(),
          ui: { ...st.ui, timelineStep: null },
        }));
        if (prev.backend !== next.backend) send({ type: 'setBackend', backend: next.backend });
        send({ type: 'importRun', runId: MAIN_RUN, params: next, gWeights: file.g ? file.g.weights : null });
      },
    };
  });
}

/** The page's store. Tests create their own with createAppStore(). */
export const appStore = createAppStore();

/** React hook: subscribe a component to one narrow slice of the page's store. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}

/** The main run's latest snapshot (null before the worker's first one). */
export const selectMainSnapshot = (s: AppState): Snapshot | null => s.runs[MAIN_RUN]?.snapshot ?? null;
export const selectMainProgress = (s: AppState): BuildProgressState | null => s.runs[MAIN_RUN]?.progress ?? null;
export const selectMainDataset = (s: AppState): DatasetMessage | null => s.runs[MAIN_RUN]?.dataset ?? null;

/** The timeline frame shown instead of the live g, or null when the view is live. */
export const selectReplayFrame = (s: AppState): TimelineFrame | null => {
  if (s.ui.timelineStep === null) return null;
  const i = nearestFrameIndex(s.timeline.frames, s.ui.timelineStep);
  return i < 0 ? null : s.timeline.frames[i];
};
