/**
 * Pacing of the training loop, as pure decisions on times the host measures: how many steps
 * the next chunk takes, when a full snapshot, a metrics snapshot or a tick is due, when to
 * save a checkpoint, and the steps-per-second window. No tensors, no clock of its own.
 */
import { frameSpacingAt } from './frames';

/** Target wall time of one chunk of training steps between two looks at the loss. */
export const CHUNK_MS = 25;
export const MAX_CHUNK_STEPS = 500;
/**
 * Snapshots while playing, in three tiers: full ones (g, density, analysis, decision surface:
 * the costly read-outs) about every SNAPSHOT_INTERVAL_MS on average, metrics ones (one
 * evaluation of the losses) at most every 150 ms, each within its share of the time, so on a
 * slow backend they come less often and their bookkeeping stays within INSPECT_SHARE +
 * METRICS_SHARE of the time (5.8-8.4% of a bare loop measured on the fused engine; the bootstrap
 * verdict has its own share, verdict.ts; issue 9 asks for under 10% in all);
 * and in between, ticks (step, epoch, speed: no tensor work) every 250 ms, so the counter never
 * looks frozen.
 */
// An average, kept by a schedule (nextBeat), not a minimum gap: a full snapshot only comes at the
// end of a chunk (~25 ms) and a due one waits for the next timeline frame step (at most one chunk)
// so one read-out serves both, and as a minimum gap of 90 ms those waits made the intervals
// 105-130 ms (7.5-9 a second in `npm run bench`). On the schedule a late one makes the next one
// earlier, so the heatmap gets about 1000 / 85 = 11.8 a second (issue 9 asks for >= 10).
export const SNAPSHOT_INTERVAL_MS = 85;
/** A lean run (compare mode: a dozen small read-outs on screen) gets full snapshots about this often. */
export const LEAN_SNAPSHOT_INTERVAL_MS = 500;
export const MIN_METRICS_INTERVAL_MS = 150;
export const TICK_INTERVAL_MS = 250;
/**
 * 8%: on the fused engine a full snapshot with its evaluation costs ~3-5 ms on a 2-core machine
 * (the decision surface in about every other one), 3-6% of the time at SNAPSHOT_INTERVAL_MS; on
 * a crowded machine the same read-outs take 2-3x as long and this share, not the interval, sets
 * the pace. At 5% they came every ~133 ms (7.5 a second), short of the 10 a second the heatmap is
 * to get. 8% still bounds slow backends, whose read-outs then come less often.
 */
export const INSPECT_SHARE = 0.08;
export const METRICS_SHARE = 0.02;
export const CHECKPOINT_INTERVAL_MS = 1000;
/**
 * The decision surface is the costliest part of a full snapshot (every point of the input grid
 * through the whole network: about half of it on the fused engine), and its picture redraws
 * at most every 200 ms (viz/DecisionPlane.tsx). So while playing, a full snapshot recomputes it
 * only when it is due on its own schedule (nextBeat: every 200 ms on average, whatever the
 * snapshots' interval) and the page keeps the last one in between: g and the density come ~12
 * times a second, the decision surface as often as it is drawn. Stopped (a pause, single steps,
 * a build), every full snapshot has a fresh one.
 */
export const DECISION_INTERVAL_MS = 200;

/** Whether a full snapshot at `now` recomputes the decision surface; `dueAt`: its schedule (nextBeat). */
export function decisionDue(playing: boolean, now: number, dueAt: number): boolean {
  return !playing || now >= dueAt;
}

/**
 * The next beat of a schedule that keeps an average interval: a beat taken `at` (late or early)
 * after one due at `dueAt` puts the next one `interval` after the due time, not after `at`, so a
 * late one is made up by an earlier next one. Made up by at most half an interval: after a long
 * stall (a pause, the bootstrap verdict) the next beat is at least half an interval away, so the
 * schedule never bursts to catch up.
 */
export function nextBeat(dueAt: number, at: number, interval: number): number {
  return Math.max(dueAt, at - interval / 2) + interval;
}

/**
 * Whatever the clock says, a playing run publishes a new g at least every FULL_GAP_FRAMES
 * timeline frame spacings of training: 200 steps until step 2,380, 400 until 4,760, and so on
 * (about a sixth to a twelfth of the steps so far; see frames.ts). Why a bound in steps: the
 * time share above prices a full read-out by the wall time of the last one, and on a crowded
 * machine (three embeds' workers on 2 cores, the first read-out after a build still warming up)
 * one read-out can take 300-500 ms, which put the next full snapshot 8-12 s away while the
 * metrics snapshots (cheaper, so paced more often) kept the loss curve moving: the embed showed
 * its initial g for seconds. Why this size: 200 steps is 10 frames, where g still changes
 * visibly early in training; growing with the frame spacing keeps the cost small on fast
 * engines (the fused engine passes step 2,380 in under half a second, and from ~step 5,000 its
 * time-paced full snapshots, every ~800 steps, come first), while a full read-out costs about
 * as much as 10-30 steps of a slow or crowded backend: a few percent to ~15% at one per 200 steps.
 */
export const FULL_GAP_FRAMES = 10;

/** The step by which the next full snapshot is due, after one at `lastFullStep`. */
export function fullSnapshotDueStep(lastFullStep: number): number {
  return lastFullStep + FULL_GAP_FRAMES * frameSpacingAt(Math.max(0, lastFullStep));
}

/** The steps-per-second figure covers about this much wall time. */
export const RATE_WINDOW_MS = 1000;

/**
 * Sizes the next chunk so one chunk takes about CHUNK_MS: responsive and low overhead.
 * `trained` steps took `elapsedMs`. A chunk cut short (to land on a timeline frame's step) to
 * under half the planned size keeps the plan: its time is mostly the fixed cost of reading the
 * loss back, and would shrink the chunks for no reason.
 */
export function nextChunkSteps(planned: number, trained: number, elapsedMs: number): number {
  if (trained < planned / 2) return planned;
  const perStep = elapsedMs / trained;
  return Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.round(CHUNK_MS / Math.max(perStep, 1e-3))));
}

/** When each kind of publication last happened and what the costly ones cost (ms, host clock). */
export interface PacingClock {
  lastSnapshotAt: number;
  /** When the next full snapshot is due (scheduleFull; -Infinity: at the next look). */
  fullDueAt: number;
  /** The training step of the last full snapshot (the step bound counts from it). */
  lastSnapshotStep: number;
  lastInspectMs: number;
  lastMetricsAt: number;
  lastMetricsMs: number;
  lastPublishedAt: number;
}

export function startPacingClock(): PacingClock {
  return {
    lastSnapshotAt: 0,
    fullDueAt: -Infinity,
    lastSnapshotStep: 0,
    lastInspectMs: 0,
    lastMetricsAt: 0,
    lastMetricsMs: 0,
    lastPublishedAt: 0,
  };
}

/**
 * The average interval of full snapshots: `target` (SNAPSHOT_INTERVAL_MS; a lean run's is
 * longer), or longer where the last read-out with its evaluation would take more than
 * INSPECT_SHARE of the time. A full snapshot evaluates the metrics too: both costs count against
 * its share (the evaluation dominates on image data, where it covers thousands of images).
 */
export function fullIntervalMs(c: PacingClock, target = SNAPSHOT_INTERVAL_MS): number {
  return Math.max(target, (c.lastInspectMs + c.lastMetricsMs) / INSPECT_SHARE);
}

/** After a full snapshot the playing loop decided on at `at`: when the next one is due. */
export function scheduleFull(c: PacingClock, at: number, target = SNAPSHOT_INTERVAL_MS): void {
  c.fullDueAt = nextBeat(c.fullDueAt, at, fullIntervalMs(c, target));
}

/**
 * What to publish after a chunk while playing: a full snapshot, a metrics one, a tick (a
 * metrics snapshot without a new evaluation) or nothing. A full one is due on its schedule
 * (scheduleFull), and at least half an interval after the last one (a full snapshot published
 * outside the loop, by a pause or a step, counts too). `step`: the run's step now; a full
 * snapshot is due at fullSnapshotDueStep whatever the time (null: no step bound, for lean runs).
 */
export function publicationDue(
  now: number,
  c: PacingClock,
  targetFullMs = SNAPSHOT_INTERVAL_MS,
  step: number | null = null,
): 'full' | 'metrics' | 'tick' | null {
  if (step !== null && step >= fullSnapshotDueStep(c.lastSnapshotStep)) return 'full';
  if (now >= c.fullDueAt && now - c.lastSnapshotAt >= fullIntervalMs(c, targetFullMs) / 2) return 'full';
  if (now - c.lastMetricsAt >= Math.max(MIN_METRICS_INTERVAL_MS, c.lastMetricsMs / METRICS_SHARE)) return 'metrics';
  if (now - c.lastPublishedAt >= TICK_INTERVAL_MS) return 'tick';
  return null;
}

export function checkpointDue(now: number, lastCheckpointAt: number): boolean {
  return now - lastCheckpointAt >= CHECKPOINT_INTERVAL_MS;
}

/**
 * While playing, the page gets a checkpoint (weights and optimizer state, read back and sent)
 * this often, to restore the run from if the worker dies: a dead worker costs at most this
 * much training, and the read-back stays rare (every stop sends one too).
 */
export const PAGE_CHECKPOINT_INTERVAL_MS = 2000;

export function pageCheckpointDue(now: number, lastAt: number): boolean {
  return now - lastAt >= PAGE_CHECKPOINT_INTERVAL_MS;
}

/** Steps counted since `start`; `rate` is the figure of the last full window (0 before one). */
export interface RateWindow {
  start: number;
  steps: number;
  rate: number;
}

export function startRateWindow(now: number): RateWindow {
  return { start: now, steps: 0, rate: 0 };
}

/** Counts `steps` more; once the window spans RATE_WINDOW_MS its rate is taken and a new one starts. */
export function countSteps(w: RateWindow, steps: number, now: number): RateWindow {
  const total = w.steps + steps;
  if (now - w.start < RATE_WINDOW_MS) return { ...w, steps: total };
  return { start: now, steps: 0, rate: (total * 1000) / (now - w.start) };
}
