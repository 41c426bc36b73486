/**
 * Starts the training worker and wires it to the store: ToWorker messages go out through the
 * store's transport, FromWorker messages come back into store.receive.
 *
 * Snapshots can arrive faster than a screen can show them, and every store update wakes its
 * subscribers. So snapshots are coalesced: only the newest one per run is kept and handed to
 * the store at most once per animation frame (and at most ~30 times a second). Timeline
 * frames are never dropped: they wait for the same commit and go in first, in order.
 * Datasets and errors are rare and go straight through.
 */
import type { StoreApi } from 'zustand';
import { mergeSnapshot, type FrameMessage, type FromWorker, type Snapshot, type ToWorker } from '../worker/protocol';
import type { AppState } from './store';

/** Minimum gap between two snapshot commits to the store. */
const COMMIT_INTERVAL_MS = 33;

/** Something that behaves like a Worker; tests pass a fake. */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error' | 'messageerror', fn: (e: Event) => void): void;
  terminate(): void;
}

export function createTrainingWorker(): WorkerLike {
  return new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' });
}

/** Schedules fn on the next frame, or after a short timeout where frames do not run (hidden tab, tests). */
function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
    requestAnimationFrame(() => fn());
  } else {
    setTimeout(fn, 100);
  }
}

/** Connects a worker to the store and sends `init`. Returns a function that stops it. */
export function connectWorker(store: StoreApi<AppState>, worker: WorkerLike = createTrainingWorker()): () => void {
  const pending = new Map<string, Snapshot>();
  let frames: FrameMessage[] = [];
  let scheduled = false;
  let lastCommit = 0;

  const flush = () => {
    scheduled = false;
    lastCommit = performance.now();
    const batch = [...pending.values()];
    const newFrames = frames;
    pending.clear();
    frames = [];
    for (const frame of newFrames) store.getState().receive(frame);
    for (const snapshot of batch) store.getState().receive({ type: 'snapshot', snapshot });
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const wait = Math.max(0, lastCommit + COMMIT_INTERVAL_MS - performance.now());
    if (wait > 0) setTimeout(() => nextFrame(flush), wait);
    else nextFrame(flush);
  };

  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'snapshot') {
      // Coalesce: a metrics-only snapshot must not drop the read-outs of a full one still pending.
      pending.set(msg.snapshot.runId, mergeSnapshot(pending.get(msg.snapshot.runId), msg.snapshot));
      schedule();
    } else if (msg.type === 'frame') {
      frames.push(msg);
      schedule();
    } else {
      store.getState().receive(msg);
    }
  });

  worker.addEventListener('error', (e: Event) => {
    // A worker that fails to load or throws at top level reports here, not via a message.
    const detail = e instanceof ErrorEvent && e.message ? e.message : 'the training worker failed to start';
    e.preventDefault();
    store.getState().receive({ type: 'error', runId: null, message: detail });
  });

  worker.addEventListener('messageerror', () => {
    store.getState().receive({ type: 'error', runId: null, message: 'a message from the training worker could not be read' });
  });

  // Image data lives in the page's data/ folder; the worker's own URL lies under assets/.
  if (typeof document !== 'undefined') worker.postMessage({ type: 'configure', dataBaseUrl: new URL('data/', document.baseURI).href });
  store.getState().connect((msg) => worker.postMessage(msg));

  return () => {
    worker.terminate();
    store.setState({ transport: null });
  };
}
