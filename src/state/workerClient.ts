/**
 * Starts the training worker and wires it to the store: ToWorker messages go out through the
 * store's transport, FromWorker messages come back into store.receive.
 *
 * Snapshots can arrive faster than a screen can show them, and every store update wakes its
 * subscribers. So snapshots are coalesced: only the newest one per run is kept and handed to
 * the store at most once per animation frame (and at most ~30 times a second). Timeline
 * frames are never dropped: they wait for the same commit and go in first, in order.
 * Datasets and errors are rare and go straight through.
 *
 * It also watches the worker: a worker that fails to load, ends (its life lock comes free:
 * lifeLock.ts) or stops answering is replaced by a fresh one that restores the run from the page's last checkpoint
 * (decisions in supervision.ts), at most once a minute by itself, else when the user asks.
 */
import type { StoreApi } from 'zustand';
import { mergeSnapshot, type FrameMessage, type FromWorker, type Snapshot, type ToWorker } from '../worker/protocol';
import { selectCustomPoints } from './dataSlice';
import { MAIN_RUN, type AppState, type WorkerFault } from './store';
import { checkpointFor, HEARTBEAT_INTERVAL_MS, mayRestartAutomatically, silenceLimit, workerSilent } from './supervision';
import { lifeLockName, pageLocks, watchLifeLock, type LockManagerLike } from './lifeLock';
import { watchReadouts } from './readoutWish';

/** Minimum gap between two snapshot commits to the store. */
export const COMMIT_INTERVAL_MS = 33;

/** Something that behaves like a Worker; tests pass a fake. */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error' | 'messageerror', fn: (e: Event) => void): void;
  terminate(): void;
  /** The Web Lock the worker holds while it lives (its name; see lifeLock.ts); without it only silence tells a death. */
  readonly lifeLock?: string;
}

export function createTrainingWorker(role: Parameters<typeof lifeLockName>[0] = 'training'): WorkerLike {
  const name = lifeLockName(role);
  return Object.assign(new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module', name }), { lifeLock: name });
}

/** Schedules fn on the next frame, or after a short timeout where frames do not run (hidden tab, tests). */
export function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
    requestAnimationFrame(() => fn());
  } else {
    setTimeout(fn, 100);
  }
}

/** Options for tests: the clock the watchdog reads, and the lock manager (navigator.locks by default). */
export interface ConnectOptions {
  now?: () => number;
  locks?: LockManagerLike | null;
}

/**
 * Connects a worker to the store and sends `init`; `source` makes the fresh worker after a
 * death (a single worker is reused, for tests). Returns a function that stops it.
 */
export function connectWorker(
  store: StoreApi<AppState>,
  source: WorkerLike | (() => WorkerLike) = createTrainingWorker,
  options: ConnectOptions = {},
): () => void {
  const create = typeof source === 'function' ? source : () => source;
  const now = options.now ?? (() => performance.now());
  const locks = options.locks === undefined ? pageLocks() : options.locks;
  let stopLifeWatch: (() => void) | null = null;
  const pending = new Map<string, Snapshot>();
  let frames: FrameMessage[] = [];
  let scheduled = false;
  let lastCommit = 0;
  let current: WorkerLike | null = null;
  let lastHeardAt: number | null = null;
  let lastCheckAt = now();
  let lastAutoRestartAt: number | null = null;

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

  /** Starts a worker and wires it; messages and events of a replaced worker are ignored. */
  const start = (): WorkerLike => {
    const worker = create();
    current = worker;
    lastHeardAt = null;
    stopLifeWatch?.();
    // Its end is known at once, however busy it was (a shader compile blocks a live worker for seconds).
    stopLifeWatch =
      worker.lifeLock && locks
        ? watchLifeLock(locks, worker.lifeLock, () => {
            if (worker === current) died('it ended unexpectedly');
          })
        : null;
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      if (worker !== current) return;
      lastHeardAt = now();
      const msg = e.data;
      if (!msg || typeof msg !== 'object' || msg.type === 'pong') return;
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
      if (worker !== current) return;
      e.preventDefault();
      const message = (e as Partial<ErrorEvent>).message;
      const detail = typeof message === 'string' && message ? message : 'an unknown error';
      // Before its first message the script itself failed (it throws at top level, or did not load).
      if (lastHeardAt === null) died(`its script failed to start (${detail})`);
      else store.getState().receive({ type: 'error', runId: null, message: `The training worker reported an error: ${detail}` });
    });
    worker.addEventListener('messageerror', () => {
      if (worker !== current) return;
      store.getState().receive({ type: 'error', runId: null, message: 'a message from the training worker could not be read' });
    });
    // Image data lives in the page's data/ folder; the worker's own URL lies under assets/.
    if (typeof document !== 'undefined') worker.postMessage({ type: 'configure', dataBaseUrl: new URL('data/', document.baseURI).href });
    return worker;
  };

  /** A fresh worker takes over the page's run: from its checkpoint, else rebuilt from the params. */
  const restart = (fault: WorkerFault['kind'], reason: string) => {
    const worker = start();
    const post = (msg: ToWorker) => worker.postMessage(msg);
    // Before the run: the fresh worker builds it with the page's wish.
    readouts.resend();
    const s = store.getState();
    const checkpoint = checkpointFor(s.params, s.checkpoint);
    const own = s.params.dataset === 'custom' ? selectCustomPoints(s) : null;
    const points = own ? { x: own.x.slice(), y: own.y.slice() } : null;
    // The checkpoint is copied, not transferred: the page keeps it in case this worker dies too.
    if (checkpoint) post({ type: 'restoreRun', runId: MAIN_RUN, params: s.params, checkpoint, points });
    else {
      post({ type: 'init', runId: MAIN_RUN, params: s.params });
      if (points) post({ type: 'setPoints', runId: MAIN_RUN, ...points, params: s.params });
    }
    if (s.playIntent) post({ type: 'play', runId: MAIN_RUN });
    store.setState({
      transport: (msg) => current?.postMessage(msg),
      playing: false,
      workerFault: { kind: fault, reason, step: checkpoint?.step ?? null },
    });
  };

  /** The worker is gone: a fresh one at once when none was started by itself within the window, else a notice. */
  const died = (reason: string) => {
    // Terminating it releases its life lock: that is no news.
    stopLifeWatch?.();
    stopLifeWatch = null;
    store.getState().failRobustness([MAIN_RUN], `the training worker stopped (${reason})`);
    current?.terminate();
    current = null;
    pending.clear();
    frames = [];
    const t = now();
    if (mayRestartAutomatically(t, lastAutoRestartAt)) {
      lastAutoRestartAt = t;
      restart('restarted', reason);
    } else {
      store.setState({
        transport: null,
        playing: false,
        workerFault: { kind: 'stopped', reason, step: store.getState().checkpoint?.step ?? null },
      });
    }
  };

  const watchdog = setInterval(() => {
    const t = now();
    const hidden = typeof document !== 'undefined' && document.hidden;
    const backend = store.getState().runs[MAIN_RUN]?.snapshot?.backend ?? null;
    if (current && !hidden && workerSilent(t, { lastHeardAt, lastCheckAt, limitMs: silenceLimit(backend) })) died('it stopped answering');
    else current?.postMessage({ type: 'ping' });
    lastCheckAt = t;
  }, HEARTBEAT_INTERVAL_MS);

  start();
  // Before init, so the run is built knowing whether its network view is shown.
  const readouts = watchReadouts(store, (msg) => current?.postMessage(msg));
  // The Restart button: only while no worker runs (after a second death within the window).
  store.setState({ restarter: () => (current ? undefined : restart('restarted', store.getState().workerFault?.reason ?? 'it stopped')) });
  store.getState().connect((msg) => current?.postMessage(msg));

  return () => {
    clearInterval(watchdog);
    readouts.stop();
    stopLifeWatch?.();
    current?.terminate();
    current = null;
    store.setState({ transport: null, restarter: null });
  };
}
