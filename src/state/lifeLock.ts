/**
 * Knowing at once that the training worker has gone, whatever it was doing: the worker holds a
 * Web Lock named after itself for as long as it lives (src/worker/lifeLock.ts), and the page
 * queues for the same lock. The browser grants it to the page the moment the worker's context
 * ends (it closed itself, it was terminated, it crashed), also while the worker was busy, and
 * never while it lives, however long a shader compile blocks it. Silence (supervision.ts) is
 * then only needed for a worker that lives but hangs.
 */

/** What the page uses of navigator.locks (tests pass a fake). */
export interface LockManagerLike {
  request(name: string, options: { signal: AbortSignal }, callback: () => unknown): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/**
 * A fresh name for a worker's life lock (each worker its own, so a replaced worker's lock says
 * nothing of the next). `role` tells the main run's worker from compare mode's pool workers
 * (the name is also the worker's name, shown in the browser's tools).
 */
export function lifeLockName(role: 'training' | 'compare' = 'training'): string {
  const bytes = new Uint32Array(2);
  globalThis.crypto.getRandomValues(bytes);
  return `soft-xor-${role}-worker-${bytes[0].toString(36)}${bytes[1].toString(36)}`;
}

/** The page's lock manager, or null where there is none (Node, an insecure origin). */
export function pageLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}

/** How often the page looks whether the worker holds its lock yet (it takes it as its script starts). */
export const LIFE_LOCK_POLL_MS = 100;

/**
 * Calls `onGone` once when the worker holding the lock `name` has gone. Until the worker has
 * taken its lock the page only looks (queueing earlier would take the lock first). Returns a
 * function that stops watching: call it before terminating the worker on purpose.
 */
export function watchLifeLock(locks: LockManagerLike, name: string, onGone: () => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const abort = new AbortController();
  const look = async () => {
    timer = null;
    const state = await locks.query();
    if (stopped) return;
    if (!state.held?.some((lock) => lock.name === name)) {
      timer = setTimeout(() => void look().catch(() => undefined), LIFE_LOCK_POLL_MS);
      return;
    }
    // Granted only once the worker's context has ended; released again as the callback returns.
    await locks.request(name, { signal: abort.signal }, () => {
      if (!stopped) onGone();
    });
  };
  // Aborting the queued request rejects it: that is how watching stops, not a failure.
  void look().catch(() => undefined);
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    abort.abort();
  };
}
