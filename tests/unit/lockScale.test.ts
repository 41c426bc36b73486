/** Video export locks the colour scale by default (issue 12 item 5): one range for every frame. */
import { describe, expect, it } from 'vitest';
import { animationRanges } from '../../src/viz/animation';
import { scaleLocked } from '../../src/viz/figures/gFigure';
import type { TimelineFrame } from '../../src/state/timeline';

const grid = { min: -4, max: 4, size: 9 };

/** A frame whose g is `scale` * a * b (no density: the range comes from the whole grid). */
function frame(step: number, scale: number): TimelineFrame {
  const values = new Float32Array(grid.size * grid.size);
  for (let r = 0; r < grid.size; r++) for (let c = 0; c < grid.size; c++) values[r * grid.size + c] = scale * (-4 + c) * (-4 + r) * 0.25;
  return { step, g: { grid, values }, density: null, analysis: null };
}

describe('the colour range of a video', () => {
  const frames = [frame(0, 0.1), frame(20, 1), frame(40, 3)];

  it('locked (the default): every frame gets the largest of the frames’ own ranges', () => {
    const ranges = animationRanges(frames, 'all', true);
    expect(new Set(ranges).size).toBe(1);
    expect(ranges[0]).toBeCloseTo(3 * 16 * 0.25, 5);
  });

  it('unlocked: each frame its own, so a g growing tenfold looks the same at every step', () => {
    const ranges = animationRanges(frames, 'all', false);
    expect(ranges.map((r) => Number(r.toFixed(4)))).toEqual([0.4, 4, 12]);
  });

  it('the live heatmap locks by default while replaying or recording, never when switched off', () => {
    expect(scaleLocked('auto', false)).toBe(false);
    expect(scaleLocked('auto', true)).toBe(true);
    expect(scaleLocked('off', true)).toBe(false);
    expect(scaleLocked('on', false)).toBe(true);
  });
});
