/** The timeline of g: bounded, evenly thinned, restarted by a new run, replay follows the step. */
import { describe, expect, it } from 'vitest';
import { emptyTimeline, nearestFrameIndex, pushFrame, TIMELINE_CAPACITY, type TimelineFrame } from '../../src/state/timeline';

function frame(step: number): TimelineFrame {
  return { step, g: { grid: { min: -4, max: 4, size: 2 }, values: new Float32Array(4).fill(step) }, density: null, analysis: null };
}

describe('timeline', () => {
  it('keeps at most the capacity, evenly spread over the whole run, first frame kept', () => {
    let t = emptyTimeline();
    for (let step = 0; step < 10_000; step++) t = pushFrame(t, frame(step));
    expect(t.frames.length).toBeLessThan(TIMELINE_CAPACITY);
    expect(t.frames.length).toBeGreaterThan(TIMELINE_CAPACITY / 2 - 2);
    expect(t.frames[0].step).toBe(0);
    const gaps = t.frames.slice(1).map((f, i) => f.step - t.frames[i].step);
    expect(Math.max(...gaps)).toBe(Math.min(...gaps)); // even spacing
    expect(t.frames.at(-1)!.step).toBeGreaterThan(9_000);
  });

  it('a step before the newest frame starts over; the same step replaces it; the same g adds nothing', () => {
    let t = emptyTimeline();
    for (const s of [0, 10, 20]) t = pushFrame(t, frame(s));
    const replaced = pushFrame(t, frame(20));
    expect(replaced.frames.map((f) => f.step)).toEqual([0, 10, 20]);
    expect(replaced.frames[2]).not.toBe(t.frames[2]);
    const again = pushFrame(t, { ...frame(25), g: t.frames[2].g });
    expect(again).toBe(t);
    const reset = pushFrame(t, frame(0));
    expect(reset.frames.map((f) => f.step)).toEqual([0]);
  });

  it('nearestFrameIndex finds the closest step', () => {
    const frames = [0, 100, 200, 400].map(frame);
    expect(nearestFrameIndex(frames, 0)).toBe(0);
    expect(nearestFrameIndex(frames, 149)).toBe(1);
    expect(nearestFrameIndex(frames, 350)).toBe(3);
    expect(nearestFrameIndex([], 5)).toBe(-1);
  });
});
