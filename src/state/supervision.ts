/**
 * When the page decides that its training worker has died, and whether it may start a fresh
 * one by itself: pure decisions on times the worker client measures (tested without a worker).
 */
import { needsRebuild, type Params } from '../core/params';
import type { BackendName, RunCheckpoint } from '../worker/protocol';

/** The page pings the worker this often; the worker answers at once, outside its queue of operations. */
export const HEARTBEAT_INTERVAL_MS = 500;
/**
 * A worker that has said nothing (no pong, no snapshot, no tick) for this long is dead. Ticks
 * come every 250 ms while playing and pongs every 500 ms always, so with checks every
 * HEARTBEAT_INTERVAL_MS a death is noticed within SILENCE_LIMIT_MS + 500 ms < 3 s.
 */
export const SILENCE_LIMIT_MS = 2000;
/**
 * On the GPU backends a worker can be busy without answering for seconds, alive: WebGL and
 * WebGPU compile their shaders synchronously on first use (1-3 s a step here, more on a busy
 * machine; measured in shared/browser.md). There, and before the worker has said which backend
 * it runs, silence counts as death only after this long. A worker that ends (closes, crashes,
 * is terminated) is known at once on every backend by its life lock (lifeLock.ts): this limit
 * is only for one that lives but hangs.
 */
export const GPU_SILENCE_LIMIT_MS = 10_000;

/** How long a worker on `backend` (null: not known yet) may be silent and still be alive. */
export function silenceLimit(backend: BackendName | null): number {
  return backend === 'wasm' || backend === 'cpu' ? SILENCE_LIMIT_MS : GPU_SILENCE_LIMIT_MS;
}
/** At most one automatic restart in this window; after that the user restarts by hand. */
export const AUTO_RESTART_WINDOW_MS = 60_000;

/** What the watchdog knows at a check. */
export interface Liveness {
  /** When the worker last sent anything; null before its first message (still loading its script). */
  lastHeardAt: number | null;
  /** When the previous check ran (a check running much later than planned means the page itself was stalled). */
  lastCheckAt: number;
  /** The longest silence of a live worker (silenceLimit of its backend); SILENCE_LIMIT_MS when left out. */
  limitMs?: number;
}

/**
 * Whether the worker is dead at `now`. Before its first message a worker is still loading (its
 * load failing shows as an `error` event instead). A check that comes late (the page's own
 * thread was blocked) decides nothing: the worker's messages may be waiting behind it.
 */
export function workerSilent(now: number, l: Liveness): boolean {
  if (l.lastHeardAt === null) return false;
  if (now - l.lastCheckAt > 2 * HEARTBEAT_INTERVAL_MS) return false;
  return now - l.lastHeardAt > (l.limitMs ?? SILENCE_LIMIT_MS);
}

/** Whether a fresh worker may be started without asking: none started automatically within the window. */
export function mayRestartAutomatically(now: number, lastAutoRestartAt: number | null): boolean {
  return lastAutoRestartAt === null || now - lastAutoRestartAt >= AUTO_RESTART_WINDOW_MS;
}

/**
 * The checkpoint to restore the page's run from, or null to rebuild from the params (the link):
 * only a checkpoint of the run the page describes now (same data, model and seed) fits it.
 */
export function checkpointFor(params: Params, checkpoint: RunCheckpoint | null): RunCheckpoint | null {
  if (!checkpoint) return null;
  return needsRebuild(checkpoint.params, params) ? null : checkpoint;
}
