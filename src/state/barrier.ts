/**
 * The lockstep barrier of compare mode, as pure decisions on what the page knows of each run:
 * the step it last reported, the step it was last sent to, and whether it still trains. Every
 * run trains to the same targets, round by round. A new round is sent once every run that still
 * trains has reached the round before the newest (one round of lookahead): a worker then finds
 * its next round queued when it ends one instead of idling through the round trip to the page
 * (which measured 1-10% of the time with 12 runs on one worker), and no run is ever sent more
 * than one round past the last target every run has reached. Stopping (pause, single steps,
 * reset) lets the rounds sent finish, so every run stops at the same step. Rounds are counted in
 * steps (never in wall-clock snapshots); only their size adapts to the time they take.
 */

/** What the pool knows of one run. */
export interface BarrierRun {
  /** The step of the last snapshot, null before the first (or since a reset). */
  reached: number | null;
  /** The step the run was last sent to (advances are queued in its worker in order). */
  sentTo: number;
  /** Still trains: not failed, diverged or without data. A run not active never holds the others back. */
  active: boolean;
  /** Its worker died and no fresh one has it yet: it holds the others back, and is sent nothing. */
  orphaned?: boolean;
}

/** A round of lockstep takes about this long (short: Pause acts soon; long enough that messages cost little). */
export const TARGET_ROUND_MS = 150;
export const FIRST_ROUND_STEPS = 10;
export const MAX_ROUND_STEPS = 5000;
/**
 * While playing, full read-outs (g, density, analysis: ~5-10 ms a run) at most this often, and
 * evaluations of the metrics (~1-2 ms a run) at most every METRICS_READOUT_INTERVAL_MS; other
 * rounds report the step only. With a dozen runs on one worker these dominate the bookkeeping.
 */
export const FULL_READOUT_INTERVAL_MS = 1000;
export const METRICS_READOUT_INTERVAL_MS = 300;

/** A round the pool sent: its target step, its steps, when it was sent, and whether it counts for the round size (play rounds do). */
export interface SentRound {
  target: number;
  steps: number;
  sentAt: number;
  timed: boolean;
}

/** Rounds sent and not yet reached beyond the one under way: 1, so each worker has the next round queued. */
export const LOOKAHEAD_ROUNDS = 1;

/**
 * Whether a new round may be sent after `rounds` (those not yet reached by every run, oldest
 * first; `target`: the newest target sent): at most LOOKAHEAD_ROUNDS + 1 outstanding, and every
 * active run has reached the step the newest round starts from (with none outstanding, the
 * target): a run whose worker died (reported nothing since) holds everyone until it is back.
 */
export function roundsMayFollow(runs: Iterable<BarrierRun>, rounds: readonly SentRound[], target: number): boolean {
  if (rounds.length > LOOKAHEAD_ROUNDS) return false;
  const newest = rounds.at(-1);
  return barrierMet(runs, newest ? newest.target - newest.steps : target);
}

/** Whether every active run has reported reaching `target`. */
export function barrierMet(runs: Iterable<BarrierRun>, target: number): boolean {
  for (const r of runs) if (r.active && (r.reached === null || r.reached < target)) return false;
  return true;
}

/** The active runs that were not yet sent to `target`, with the steps each still needs. */
export function advancesDue<K>(runs: ReadonlyMap<K, BarrierRun>, target: number): { key: K; steps: number }[] {
  const due: { key: K; steps: number }[] = [];
  for (const [key, r] of runs) if (r.active && !r.orphaned && r.sentTo < target) due.push({ key, steps: target - r.sentTo });
  return due;
}

/**
 * A run whose worker died rejoins the barrier where a fresh worker will take it up: at `from`
 * (its checkpoint's step, 0 when rebuilt from its seed), not yet reported, held until that
 * worker has it. The target stays: the run is then sent the steps up to it (advancesDue) while
 * the others wait there, so no run ever passes another and the lockstep holds without replaying
 * anyone else.
 */
export function rejoinBarrier(run: BarrierRun, from: number, orphaned: boolean): void {
  run.reached = null;
  run.sentTo = Math.max(0, Math.floor(from));
  run.active = true;
  run.orphaned = orphaned;
}

/**
 * The next round's steps from the last round's (`steps` took `roundMs`): aimed at TARGET_ROUND_MS,
 * changed by at most a factor 2 a round (one slow round, e.g. a verdict computed, does not collapse it).
 */
export function nextRoundSteps(steps: number, roundMs: number): number {
  if (!(roundMs > 0) || !Number.isFinite(roundMs)) return Math.min(MAX_ROUND_STEPS, steps * 2);
  const aimed = (steps * TARGET_ROUND_MS) / roundMs;
  const bounded = Math.min(steps * 2, Math.max(steps / 2, aimed));
  return Math.max(1, Math.min(MAX_ROUND_STEPS, Math.round(bounded)));
}

/** Workers in the pool: one per spare core (the page keeps one), at most 4, at least 1, never more than runs. */
export function comparePoolSize(hardwareConcurrency: number | undefined, runs: number): number {
  const cores = Number.isFinite(hardwareConcurrency) && hardwareConcurrency! > 0 ? Math.floor(hardwareConcurrency!) : 2;
  return Math.max(1, Math.min(cores - 1, 4, Math.max(1, runs)));
}
