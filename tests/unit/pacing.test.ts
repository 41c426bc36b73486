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
  fullSnapshotDueStep,
  INSPECT_SHARE,
  MAX_CHUNK_STEPS,
  MIN_SNAPSHOT_INTERVAL_MS,
  nextChunkSteps,
  publicationDue,
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

  it('a full snapshot at most every MIN_SNAPSHOT_INTERVAL_MS, metrics and ticks in between', () => {
    const c = clock({ lastSnapshotAt: 1000, lastMetricsAt: 1000, lastPublishedAt: 1000, lastInspectMs: 1, lastMetricsMs: 1 });
    expect(publicationDue(1050, c)).toBeNull();
    expect(publicationDue(1000 + MIN_SNAPSHOT_INTERVAL_MS, c)).toBe('full');
    const afterFull = clock({ lastSnapshotAt: 1000, lastMetricsAt: 900, lastPublishedAt: 1000, lastInspectMs: 1, lastMetricsMs: 1 });
    expect(publicationDue(1060, afterFull)).toBe('metrics');
  });

  it('costly read-outs come less often (their share of the time), ticks keep the counter alive', () => {
    // A 40 ms inspection + 10 ms evaluation: a full snapshot at most every 50 / INSPECT_SHARE ms (625 at 8%).
    const c = clock({ lastSnapshotAt: 0, lastMetricsAt: 0, lastPublishedAt: 0, lastInspectMs: 40, lastMetricsMs: 10 });
    const every = 50 / INSPECT_SHARE;
    expect(publicationDue(every - 50, c)).toBe('metrics');
    expect(publicationDue(every, c)).toBe('full');
    const slowMetrics = clock({ lastSnapshotAt: 0, lastMetricsAt: 0, lastPublishedAt: 0, lastInspectMs: 40, lastMetricsMs: 10 });
    expect(publicationDue(TICK_INTERVAL_MS, slowMetrics)).toBe('tick'); // metrics wait 10 / 0.02 = 500 ms
    expect(publicationDue(TICK_INTERVAL_MS - 1, slowMetrics)).toBeNull();
  });

  it('while playing, the decision surface is recomputed as often as it is drawn; stopped, always', () => {
    expect(decisionDue(true, 1000, 1000 - DECISION_INTERVAL_MS + 1)).toBe(false);
    expect(decisionDue(true, 1000, 1000 - DECISION_INTERVAL_MS)).toBe(true);
    expect(decisionDue(true, 0, -Infinity)).toBe(true);
    expect(decisionDue(false, 1000, 999)).toBe(true);
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
    expect(publicationDue(1000, c, MIN_SNAPSHOT_INTERVAL_MS, 199)).toBe('metrics');
    expect(publicationDue(1000, c, MIN_SNAPSHOT_INTERVAL_MS, 200)).toBe('full');
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
