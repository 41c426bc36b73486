/**
 * The bootstrap verdict in the worker (core/analysis/bootstrap.ts): when one is due and how it
 * is computed from a run's engine. It costs about 100-200 ms (50 resamples of the density, the
 * 90% mask and the fit) against a few ms for a full read-out, so it is paced by the run's own
 * training time, not by snapshots: at most every BOOTSTRAP_INTERVAL_MS of training and within
 * BOOTSTRAP_SHARE of it. Counting the run's own training time keeps a worker hosting six
 * compare runs at the same share as one hosting a single run. A run that stops (pause, single
 * steps) gets a verdict for the step it stands at, the user is looking closely; but single steps
 * clicked in a row get one at most every SETTLED_GAP_MS, so stepping stays quick.
 */
import { bootstrapVerdict, MIN_RESAMPLES } from '../core/analysis/bootstrap';
import { ARGUMENT_GRID, DENSITY_SIGMA_CELLS } from '../core/liveView';
import type { TrainEngine } from './engine';
import type { SnapshotBootstrap } from './protocol';

export const BOOTSTRAP_INTERVAL_MS = 2000;
export const BOOTSTRAP_SHARE = 0.05;
export const BOOTSTRAP_RESAMPLES = MIN_RESAMPLES;
export const SETTLED_GAP_MS = 1000;

/** What the pacing of the verdict knows (host clock, ms of training counted by the loop). */
export interface VerdictClock {
  /** The run's training time when the last verdict was computed (or the run was built). */
  trainedMsAtLast: number;
  /** What the last verdict cost. */
  costMs: number;
  /** When it was computed (host clock). */
  computedAt: number;
}

export function startVerdictClock(trainedMs: number): VerdictClock {
  return { trainedMsAtLast: trainedMs, costMs: 0, computedAt: -Infinity };
}

/**
 * Whether a full snapshot at `step` computes a new verdict. `last`: the step of the last verdict
 * (null: none yet); `settled`: the run stopped here (pause, single steps) at `now`.
 */
export function verdictDue(
  step: number,
  last: number | null,
  trainedMs: number,
  clock: VerdictClock,
  settled: boolean,
  now: number,
): boolean {
  if (last === step) return false;
  if (settled && now - clock.computedAt >= SETTLED_GAP_MS) return true;
  return trainedMs - clock.trainedMsAtLast >= Math.max(BOOTSTRAP_INTERVAL_MS, clock.costMs / BOOTSTRAP_SHARE);
}

/** The resampling seed: the same run at the same step always gets the same verdict. */
export function verdictSeed(runSeed: number, step: number): number {
  return (Math.imul(runSeed + 1, 0x9e3779b1) ^ step) >>> 0;
}

/** The verdict on g (on ARGUMENT_GRID) from the engine's density arguments; null without a two-argument g. */
export async function computeVerdict(run: TrainEngine, g: Float32Array, step: number, runSeed: number): Promise<SnapshotBootstrap | null> {
  const args = await run.densityArguments();
  if (!args || args.examples === 0) return null;
  const verdict = bootstrapVerdict(g, ARGUMENT_GRID, args.perLayer, args.examples, {
    resamples: BOOTSTRAP_RESAMPLES,
    sigmaCells: DENSITY_SIGMA_CELLS,
    seed: verdictSeed(runSeed, step),
  });
  return { ...verdict, step };
}
