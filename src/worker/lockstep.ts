/**
 * Lockstep training of several runs of one worker (compare mode): the page asks every run to
 * advance by the same number of steps, and they train in turns of one adaptive chunk each (about
 * 25 ms), so no run races ahead while another waits and the worker answers pings between turns.
 * Runs that share a GPU group (the seeds of one model on the WebGPU fused step) take their turn
 * together with one chunk size, so the group trains them all in one dispatch (gpu/sharedGroup.ts).
 * Each run then publishes one snapshot; the page keeps the next advance queued behind this one
 * (one round of lookahead, src/state/barrier.ts) and sends a further one once every run has
 * reached the step the queued one starts from, so all runs train to the same targets.
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
  /** Runs with the same (non-null) group take their turns together; null or absent: a turn of its own. */
  readonly turnGroup?: object | null;
  /** The steps its next turn would train, at most `max` (a shared turn takes the smallest of its runs'). */
  plannedChunk?(max: number): number;
}

/** The runs in turns: runs of one group together, in the order of their first run; the others one by one. */
export function lockstepTurns<T extends Pick<LockstepRun, 'turnGroup'>>(runs: Iterable<T>): T[][] {
  const turns: T[][] = [];
  const byGroup = new Map<object, T[]>();
  for (const run of runs) {
    const group = run.turnGroup ?? null;
    const turn = group === null ? undefined : byGroup.get(group);
    if (turn) {
      turn.push(run);
      continue;
    }
    const fresh = [run];
    turns.push(fresh);
    if (group !== null) byGroup.set(group, fresh);
  }
  return turns;
}

/** One turn of runs that train together: the same number of steps each. */
async function sharedTurn(turn: LockstepRun[], left: Map<LockstepRun, number>): Promise<void> {
  const max = Math.min(...turn.map((run) => left.get(run)!));
  const steps = Math.min(...turn.map((run) => run.plannedChunk?.(max) ?? max));
  const trained = await Promise.all(turn.map((run) => run.advanceChunk(steps)));
  turn.forEach((run, i) => {
    const n = left.get(run)!;
    if (trained[i] <= 0 || trained[i] >= n) left.delete(run);
    else left.set(run, n - trained[i]);
  });
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
    // Regrouped every round: a run may have left its group (a setting the GPU step does not cover).
    for (const turn of lockstepTurns(left.keys())) await sharedTurn(turn, left);
    if (left.size > 0) await yieldToEventLoop();
  }
  for (const run of taking) await run.endAdvance(readout, playing);
}
