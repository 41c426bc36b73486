/** Pacing of the training loop and the timeline's frame schedule: pure decisions on measured times and step counts. */
import { describe, expect, it } from 'vitest';
import { divergenceMessage, divergenceReason, EXPLODING_WEIGHT_NORM_SQ } from '../../src/worker/divergence';
import { FRAME_CAPACITY, FRAME_SPACING, frameSpacingAt, nextFrameStep, stepsToFrame } from '../../src/worker/frames';
import {
  CHECKPOINT_INTERVAL_MS,
  CHUNK_MS,
  checkpointDue,
  countSteps,
  DECISION_INTERVAL_MS,
  decisionDue,
  FULL_GAP_FRAMES,
  fullIntervalMs,
  fullSnapshotDueStep,
  INSPECT_SHARE,
  MAX_CHUNK_STEPS,
  nextBeat,
  nextChunkSteps,
  publicationDue,
  scheduleFull,
  SNAPSHOT_INTERVAL_MS,
  startPacingClock,
  startRateWindow,
  TICK_INTERVAL_MS,
  type PacingClock,
} from '../../src/worker/pacing';

describe('chunk sizing', () => {
  it('sizes a chunk to take about CHUNK_MS, within 1..MAX_CHUNK_STEPS', () => {
    expect(nextChunkSteps(10, 10, 10)).toBe(CHUNK_MS); // 1 ms a step
    expect(nextChunkSteps(100, 100, 5)).toBe(MAX_CHUNK_STEPS); // very fast
    expect(nextChunkSteps(5, 5, 1000)).toBe(1); // very slow
  });

  it('keeps the plan after a chunk cut short to land on a frame step', () => {
    expect(nextChunkSteps(200, 3, 30)).toBe(200);
    expect(nextChunkSteps(200, 100, 50)).toBe(50);
  });
});

describe('what to publish while playing', () => {
  const clock = (over: Partial<PacingClock>): PacingClock => ({ ...startPacingClock(), ...over });

  it('a full snapshot when its schedule says, metrics and ticks in between', () => {
    const c = clock({ lastSnapshotAt: 1000, fullDueAt: 1000 + SNAPSHOT_INTERVAL_MS, lastMetricsAt: 1000, lastPublishedAt: 1000 });
    expect(publicationDue(1050, c)).toBeNull();
    expect(publicationDue(1000 + SNAPSHOT_INTERVAL_MS - 1, c)).toBeNull();
    expect(publicationDue(1000 + SNAPSHOT_INTERVAL_MS, c)).toBe('full');
    const afterFull = clock({ ...c, lastMetricsAt: 850 });
    expect(publicationDue(1060, afterFull)).toBe('metrics');
    // Due long ago (a schedule from before a pause), but a full snapshot just came: half an interval after it.
    const stale = clock({ ...c, fullDueAt: 0 });
    expect(publicationDue(1000 + SNAPSHOT_INTERVAL_MS / 2 - 1, stale)).not.toBe('full');
    expect(publicationDue(1000 + SNAPSHOT_INTERVAL_MS / 2, stale)).toBe('full');
  });

  it('keeps an average interval: one that waited (for a chunk, a frame step) brings the next one forward', () => {
    const T = SNAPSHOT_INTERVAL_MS;
    // Taken 20 ms late: the next is due one interval after the due time, not after the late one.
    expect(nextBeat(1000, 1020, T)).toBe(1000 + T);
    // Taken early (at a frame step just before it was due): the schedule holds too.
    expect(nextBeat(1000, 990, T)).toBe(1000 + T);
    // A long stall is made up by half an interval at most: no burst of read-outs after it.
    expect(nextBeat(1000, 1500, T)).toBe(1500 + T / 2);
    expect(nextBeat(-Infinity, 1500, T)).toBe(1500 + T / 2);
    // Snapshots that each come 0-25 ms late (at the end of a chunk) still average the interval.
    const c = clock({ lastSnapshotAt: 0, fullDueAt: T });
    let now = 0;
    let count = 0;
    for (let chunk = 0; chunk < 4000; chunk++) {
      now += 7 + (chunk % 5) * 4; // chunks of 7-23 ms
      if (publicationDue(now, c) !== 'full') continue;
      count++;
      c.lastSnapshotAt = now + 3; // a read-out of 3 ms
      scheduleFull(c, now);
    }
    const average = now / count;
    expect(average).toBeGreaterThan(T - 1);
    expect(average).toBeLessThan(T + 1);
  });

  it('costly read-outs come less often (their share of the time), ticks keep the counter alive', () => {
    // A 40 ms inspection + 10 ms evaluation: a full snapshot every 50 / INSPECT_SHARE ms on average (625 at 8%).
    const every = 50 / INSPECT_SHARE;
    const c = clock({ lastSnapshotAt: 0, lastMetricsAt: 0, lastPublishedAt: 0, lastInspectMs: 40, lastMetricsMs: 10 });
    expect(fullIntervalMs(c)).toBe(every);
    scheduleFull(c, 0);
    expect(c.fullDueAt).toBe(every / 2); // after no schedule: half an interval, as after a stall
    scheduleFull(c, every / 2);
    expect(c.fullDueAt).toBe(every * 1.5);
    c.lastSnapshotAt = every / 2;
    expect(publicationDue(every * 1.5 - 50, c)).toBe('metrics');
    expect(publicationDue(every * 1.5, c)).toBe('full');
    const slowMetrics = clock({
      lastSnapshotAt: 0,
      fullDueAt: every,
      lastMetricsAt: 0,
      lastPublishedAt: 0,
      lastInspectMs: 40,
      lastMetricsMs: 10,
    });
    expect(publicationDue(TICK_INTERVAL_MS, slowMetrics)).toBe('tick'); // metrics wait 10 / 0.02 = 500 ms
    expect(publicationDue(TICK_INTERVAL_MS - 1, slowMetrics)).toBeNull();
    // A cheap read-out keeps the target interval (a lean run's is longer).
    expect(fullIntervalMs(clock({ lastInspectMs: 1, lastMetricsMs: 1 }))).toBe(SNAPSHOT_INTERVAL_MS);
    expect(fullIntervalMs(clock({ lastInspectMs: 1, lastMetricsMs: 1 }), 500)).toBe(500);
  });

  it('while playing, the decision surface is recomputed on its own schedule, as often as it is drawn; stopped, always', () => {
    expect(decisionDue(true, 1000, 1001)).toBe(false);
    expect(decisionDue(true, 1000, 1000)).toBe(true);
    expect(decisionDue(true, 0, -Infinity)).toBe(true);
    expect(decisionDue(false, 1000, 5000)).toBe(true);
    // Full snapshots every SNAPSHOT_INTERVAL_MS: the decision surface every DECISION_INTERVAL_MS on average.
    let dueAt = -Infinity;
    let computed = 0;
    const snapshots = 1200;
    for (let i = 1; i <= snapshots; i++) {
      const now = i * SNAPSHOT_INTERVAL_MS;
      if (!decisionDue(true, now, dueAt)) continue;
      computed++;
      dueAt = nextBeat(dueAt, now, DECISION_INTERVAL_MS);
    }
    const average = (snapshots * SNAPSHOT_INTERVAL_MS) / computed;
    expect(average).toBeGreaterThan(DECISION_INTERVAL_MS - 5);
    expect(average).toBeLessThan(DECISION_INTERVAL_MS + 5);
  });

  it('a full snapshot is due after a bound in steps whatever the clock says (one slow read-out cannot starve g)', () => {
    // A read-out that took 5 s (a crowded machine): the time share alone would wait 125 s.
    const c = clock({
      lastSnapshotAt: 0,
      lastSnapshotStep: 0,
      lastMetricsAt: 0,
      lastPublishedAt: 0,
      lastInspectMs: 5000,
      lastMetricsMs: 1,
    });
    expect(publicationDue(1000, c, SNAPSHOT_INTERVAL_MS, 199)).toBe('metrics');
    expect(publicationDue(1000, c, SNAPSHOT_INTERVAL_MS, 200)).toBe('full');
    // No step given (a lean run): the clock alone decides.
    expect(publicationDue(1000, c)).toBe('metrics');
    // The bound is FULL_GAP_FRAMES frame spacings, growing with the spacing as the timeline fills.
    expect(fullSnapshotDueStep(0)).toBe(FULL_GAP_FRAMES * FRAME_SPACING);
    expect(fullSnapshotDueStep(1000)).toBe(1000 + FULL_GAP_FRAMES * FRAME_SPACING);
    expect(fullSnapshotDueStep(5000)).toBe(5000 + FULL_GAP_FRAMES * frameSpacingAt(5000));
    expect(frameSpacingAt(5000)).toBe(4 * FRAME_SPACING);
  });

  it('checkpoints every CHECKPOINT_INTERVAL_MS', () => {
    expect(checkpointDue(CHECKPOINT_INTERVAL_MS - 1, 0)).toBe(false);
    expect(checkpointDue(CHECKPOINT_INTERVAL_MS, 0)).toBe(true);
  });

  it('steps per second over windows of about a second', () => {
    let w = startRateWindow(0);
    w = countSteps(w, 100, 400);
    expect(w.rate).toBe(0);
    w = countSteps(w, 100, 800);
    w = countSteps(w, 300, 1000);
    expect(w.rate).toBe(500);
    expect(w.steps).toBe(0);
    w = countSteps(w, 10, 1100);
    expect(w.rate).toBe(500); // kept until the next window closes
  });
});

describe('frame schedule of the timeline', () => {
  it('step 0, then every FRAME_SPACING steps: 300 steps give 16 frames on any machine', () => {
    const steps: number[] = [];
    for (let s = 0; s <= 300; s = nextFrameStep(s)) steps.push(s);
    expect(steps[0]).toBe(0);
    expect(steps[1]).toBe(FRAME_SPACING);
    expect(steps).toHaveLength(300 / FRAME_SPACING + 1);
    expect(nextFrameStep(-1)).toBe(0);
  });

  it('doubles the spacing when the page would have filled its list, landing on kept multiples', () => {
    const full = (FRAME_CAPACITY - 1) * FRAME_SPACING; // the frame that fills the page's list
    expect(frameSpacingAt(full - FRAME_SPACING)).toBe(FRAME_SPACING);
    expect(frameSpacingAt(full)).toBe(2 * FRAME_SPACING);
    expect(nextFrameStep(full)).toBe(FRAME_CAPACITY * FRAME_SPACING);
    expect(nextFrameStep(full + 1)).toBe(FRAME_CAPACITY * FRAME_SPACING);
    // Frames stay logarithmic in the run's length: a million steps take well under a thousand.
    let count = 0;
    for (let s = 0; s <= 1_000_000; s = nextFrameStep(s)) count++;
    expect(count).toBeLessThan(FRAME_CAPACITY + (FRAME_CAPACITY / 2) * 10);
  });

  it('chunks are cut to land exactly on the next frame step', () => {
    expect(stepsToFrame(100, 0, 20)).toBe(20);
    expect(stepsToFrame(5, 0, 20)).toBe(5);
    expect(stepsToFrame(100, 19, 20)).toBe(1);
    expect(stepsToFrame(100, 20, 20)).toBe(100); // on the frame step itself: it has been taken
  });
});

describe('divergence check', () => {
  it('names NaN or infinite losses and exploding (or NaN) weights; healthy numbers pass', () => {
    expect(divergenceReason(0.7, 10)).toBeNull();
    expect(divergenceReason(NaN, 10)).toBe('the loss became NaN');
    expect(divergenceReason(Infinity, 10)).toBe('the loss became Infinity');
    expect(divergenceReason(0.7, EXPLODING_WEIGHT_NORM_SQ)).toBe('the weights exploded');
    expect(divergenceReason(0.7, NaN)).toBe('the weights exploded');
  });

  it('tells the user where it stopped and what to try', () => {
    expect(divergenceMessage('the loss became NaN', 120, 3)).toBe(
      'Training stopped by itself: the loss became NaN around step 120. The last good weights are restored. Try a lower learning rate (now 3).',
    );
  });
});
