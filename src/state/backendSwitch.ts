/**
 * A backend switch as the page shows it (issue 12 item 7). Between picking a backend and the new
 * one training (or standing ready) the worker sends nothing for seconds: it stops, builds on the
 * new backend, and a GPU backend then compiles its shaders during the first steps. Without this
 * the page would show the old state meanwhile ("training", Pause, 0 steps/s) and then "ready"
 * with Play while the run is in fact about to resume. The decisions are pure (nextSwitch); the
 * watcher only feeds it the store's changes.
 */
import type { BackendChoice } from '../core/params';
import type { Snapshot } from '../worker/protocol';

export interface BackendSwitch {
  to: BackendChoice;
  /** The backend and its reason before the switch: a snapshot with both unchanged is still the old backend's. */
  from: { backend: string; reason: string } | null;
  /** building: the old backend still reported; starting: built on the new one, its first steps not yet seen. */
  stage: 'building' | 'starting';
  /** The run trains on once switched (the user's Play); false when it was paused or is paused meanwhile. */
  resume: boolean;
  /** The step the new backend was built at (stage starting). */
  startStep: number;
}

/** The switch just asked for, from what the page shows now. */
export function beginSwitch(to: BackendChoice, snap: Snapshot | null, playIntent: boolean): BackendSwitch {
  return {
    to,
    from: snap ? { backend: snap.backend, reason: snap.backendReason } : null,
    stage: 'building',
    resume: playIntent,
    startStep: snap?.step ?? 0,
  };
}

const FINAL = new Set(['diverged', 'error', 'nodata']);

/** The same switch object when nothing changed (the watcher stores only real changes). */
function withResume(sw: BackendSwitch, resume: boolean): BackendSwitch {
  return resume === sw.resume ? sw : { ...sw, resume };
}

/** The switch after a new snapshot or play intent, or null once the new backend runs (or the run stopped). */
export function nextSwitch(sw: BackendSwitch, snap: Snapshot | null, playIntent: boolean): BackendSwitch | null {
  const resume = sw.resume && playIntent;
  if (!snap) return withResume(sw, resume);
  const fromNew = !sw.from || snap.backend !== sw.from.backend || snap.backendReason !== sw.from.reason;
  if (!fromNew) return withResume(sw, resume);
  if (FINAL.has(snap.status)) return null;
  if (snap.status === 'building') return withResume(sw, resume);
  if (sw.stage === 'building') {
    // Built on the new backend: done unless training resumes, whose first steps compile shaders.
    if (!resume) return null;
    return { ...sw, stage: 'starting', resume, startStep: snap.step };
  }
  if (!resume) return null;
  // Running on the new backend with a measured speed: the page can show it as it is.
  return snap.status === 'running' && snap.step > sw.startStep && snap.stepsPerSecond > 0 ? null : sw;
}

/** Words for the switch in progress. */
export function switchLabel(sw: BackendSwitch): string {
  return sw.stage === 'building' ? `switching to ${sw.to}…` : `switching to ${sw.to}… first steps`;
}

/** What the watcher reads and writes of the store. */
interface SwitchState {
  params: { backend: BackendChoice };
  playIntent: boolean;
  ui: { backendSwitch: BackendSwitch | null };
  setUi(patch: { backendSwitch: BackendSwitch | null }): void;
}

/**
 * Keeps ui.backendSwitch up to date: begun when the backend param changes (picker or link),
 * advanced by every snapshot, ended when the new backend runs. `snapshot` reads the main run's.
 */
export function watchBackendSwitch<S extends SwitchState>(
  store: { subscribe(listener: (state: S, prev: S) => void): () => void },
  snapshot: (s: S) => Snapshot | null,
): () => void {
  return store.subscribe((state, prev) => {
    let next = state.ui.backendSwitch;
    if (state.params.backend !== prev.params.backend) next = beginSwitch(state.params.backend, snapshot(prev), state.playIntent);
    else if (next) next = nextSwitch(next, snapshot(state), state.playIntent);
    if (next !== state.ui.backendSwitch) state.setUi({ backendSwitch: next });
  });
}
