/** The timeline of g: stores the worker's frames, bounded and evenly thinned in step with the worker's schedule. */
import { describe, expect, it } from 'vitest';
import { emptyTimeline, frameOf, nearestFrameIndex, pushFrame, TIMELINE_CAPACITY, type TimelineFrame } from '../../src/state/timeline';
import { FRAME_SPACING, nextFrameStep } from '../../src/worker/frames';
import type { FrameMessage } from '../../src/worker/protocol';

function frame(step: number): TimelineFrame {
  return { step, g: { grid: { min: -4, max: 4, size: 2 }, values: new Float32Array(4).fill(step) }, density: null, analysis: null };
}

/** The frames of a run of `steps` steps, as the worker sends them (its schedule). */
function framesOfRun(steps: number): TimelineFrame[] {
  const out: TimelineFrame[] = [];
  for (let s = 0; s <= steps; s = nextFrameStep(s)) out.push(frame(s));
  return out;
}

describe('timeline', () => {
  it('stores every frame of a short run: step 0 and every FRAME_SPACING steps', () => {
    let t = emptyTimeline();
    for (const f of framesOfRun(300)) t = pushFrame(t, f);
    expect(t.frames.map((f) => f.step)).toEqual(Array.from({ length: 300 / FRAME_SPACING + 1 }, (_, i) => i * FRAME_SPACING));
  });

  it('keeps a long run bounded and evenly spread, its first frame kept, and agrees with the worker on what stays', () => {
    let t = emptyTimeline();
    for (const f of framesOfRun(200_000)) {
      t = pushFrame(t, f);
      expect(t.frames.length).toBeLessThan(TIMELINE_CAPACITY);
      // Whatever the page keeps is evenly spaced: the worker never sends a frame the page would drop unevenly.
      const gaps = new Set(t.frames.slice(1).map((x, i) => x.step - t.frames[i].step));
      expect(gaps.size).toBeLessThanOrEqual(1);
    }
    expect(t.frames.length).toBeGreaterThan(TIMELINE_CAPACITY / 2 - 2);
    expect(t.frames[0].step).toBe(0);
    expect(t.frames.at(-1)!.step).toBeGreaterThan(190_000);
  });

  it('a step before the newest frame starts over; the same step replaces it', () => {
    let t = emptyTimeline();
    for (const s of [0, 20, 40]) t = pushFrame(t, frame(s));
    const replaced = pushFrame(t, frame(40));
    expect(replaced.frames.map((f) => f.step)).toEqual([0, 20, 40]);
    expect(replaced.frames[2]).not.toBe(t.frames[2]);
    const reset = pushFrame(t, frame(0));
    expect(reset.frames.map((f) => f.step)).toEqual([0]);
    expect(t.frames).toHaveLength(3); // immutable
  });

  it('frameOf keeps the step, g, density and analysis of the message without copying', () => {
    const g = frame(5).g;
    const density = { grid: g.grid, all: new Float32Array(4), perLayer: [], mask: new Uint8Array(4) };
    const m: FrameMessage = { type: 'frame', runId: 'main', step: 5, g, density, analysis: null };
    expect(frameOf(m)).toEqual({ step: 5, g, density, analysis: null });
    expect(frameOf(m).g).toBe(g);
  });

  it('nearestFrameIndex finds the closest step', () => {
    const frames = [0, 100, 200, 400].map(frame);
    expect(nearestFrameIndex(frames, 0)).toBe(0);
    expect(nearestFrameIndex(frames, 149)).toBe(1);
    expect(nearestFrameIndex(frames, 350)).toBe(3);
    expect(nearestFrameIndex([], 5)).toBe(-1);
  });
});
