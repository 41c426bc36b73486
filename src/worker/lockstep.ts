/**
 * Lockstep training of several runs of one worker (compare mode): the page asks every run to
 * advance by the same number of steps, and they train in turns of one adaptive chunk each (about
 * 25 ms), so no run races ahead while another waits and the worker answers pings between turns.
 * Each run then publishes one snapshot; the page sends the next advance once every run has
 * reported the step (src/state/comparePool.ts), so all runs stay at the same step count.
 */
import { yieldToEventLoop } from './eventLoop';
import type { AdvanceReadout } from './protocol';

/** What an advance needs of a run host (RunHost implements it; tests pass fakes). */
export interface LockstepRun {
  /** Prepares the run; false when it cannot train (it is then left out). */
  beginAdvance(playing: boolean): Promise<boolean>;
  /** One turn of at most `max` steps; the steps trained, 0 when the run stopped (diverged). */
  advanceChunk(max: number): Promise<number>;
  endAdvance(readout: AdvanceReadout, playing: boolean): Promise<void>;
}

export async function advanceInLockstep(
  runs: readonly LockstepRun[],
  steps: number,
  readout: AdvanceReadout,
  playing: boolean,
): Promise<void> {
  const total = Math.max(0, Math.min(Math.floor(steps), 100_000));
  const taking: LockstepRun[] = [];
  for (const run of runs) if (await run.beginAdvance(playing)) taking.push(run);
  const left = new Map(taking.map((run) => [run, total]));
  while (left.size > 0) {
    for (const [run, n] of left) {
      const trained = await run.advanceChunk(n);
      if (trained <= 0 || trained >= n) left.delete(run);
      else left.set(run, n - trained);
    }
    if (left.size > 0) await yieldToEventLoop();
  }
  for (const run of taking) await run.endAdvance(readout, playing);
}
