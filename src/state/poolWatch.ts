/**
 * Compare mode's watch over its pool of workers, the same as the main run's (workerClient.ts):
 * each pool worker holds its Web Lock while it lives (the name it was started with), and the
 * page learns of its end at once through lifeLock.ts, however busy the worker was. The pool
 * may start a fresh worker by itself at most once in AUTO_RESTART_WINDOW_MS (supervision.ts),
 * counted over the whole pool; after that the user restarts it.
 */
import { pageLocks, watchLifeLock, type LockManagerLike } from './lifeLock';
import { mayRestartAutomatically } from './supervision';
import type { WorkerLike } from './workerClient';

export class PoolWatch {
  private readonly stops = new Map<number, () => void>();
  private lastAutoRestartAt: number | null = null;
  private readonly locks: LockManagerLike | null;

  constructor(
    locks: LockManagerLike | null | undefined,
    private readonly now: () => number,
  ) {
    this.locks = locks === undefined ? pageLocks() : locks;
  }

  /** Calls `onGone` once when the worker at `index` ends (not when it is replaced or unwatched first). */
  watch(index: number, worker: WorkerLike, onGone: () => void): void {
    this.unwatch(index);
    if (!worker.lifeLock || !this.locks) return;
    this.stops.set(index, watchLifeLock(this.locks, worker.lifeLock, onGone));
  }

  /** Stops watching the worker at `index`: call it before terminating that worker on purpose. */
  unwatch(index: number): void {
    this.stops.get(index)?.();
    this.stops.delete(index);
  }

  /** Whether a fresh worker may be started without asking now; if so, that restart is counted. */
  takeAutomaticRestart(): boolean {
    const t = this.now();
    if (!mayRestartAutomatically(t, this.lastAutoRestartAt)) return false;
    this.lastAutoRestartAt = t;
    return true;
  }

  dispose(): void {
    for (const index of [...this.stops.keys()]) this.unwatch(index);
  }
}
