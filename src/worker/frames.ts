/**
 * Which training steps the timeline of g keeps a frame at: by training progress, never by
 * wall-clock, so a slow machine gets the same history as a fast one. A frame at step 0, then
 * one every FRAME_SPACING steps; the page keeps at most FRAME_CAPACITY - 1 frames and, when
 * full, drops every other one (src/state/timeline.ts), so the spacing doubles there. This
 * schedule follows the same rule, so every frame the worker captures is one the page keeps.
 */

export const FRAME_CAPACITY = 120;
/**
 * 20 steps: frames are counted in steps so every machine keeps the same history, and 300 steps
 * give 16 frames. Each frame costs one full read-out (g on its grid, the argument density, the
 * shape analysis; measured in Node on the slow tfjs cpu backend: 107 ms a read-out against
 * 162 ms for the 20 steps before it), so a smaller spacing would make early training visibly
 * slower. That cost is transient: it replaces the time-paced full snapshots (every full
 * read-out paces the next, see pacing.ts), and the spacing doubles each time the timeline
 * fills (after 2,380 steps, then 4,760, ...), so a run of N steps takes about
 * 120 + 60 log2(N / 2400) read-outs for its frames: bookkeeping grows with log N, not N.
 */
export const FRAME_SPACING = 20;

/** The spacing of frames once the frames up to `step` are kept. */
export function frameSpacingAt(step: number, base = FRAME_SPACING, capacity = FRAME_CAPACITY): number {
  let spacing = base;
  // Frames 0, s, 2s, ... up to `step`: when they would fill the page's list, it halves them.
  while (Math.floor(step / spacing) + 1 >= capacity) spacing *= 2;
  return spacing;
}

/** The first frame step after `step` (the step itself, when a frame is kept, already counted). */
export function nextFrameStep(step: number, base = FRAME_SPACING, capacity = FRAME_CAPACITY): number {
  if (step < 0) return 0;
  const spacing = frameSpacingAt(step, base, capacity);
  return (Math.floor(step / spacing) + 1) * spacing;
}

/** Steps of the next chunk: at most `planned`, cut so training lands exactly on the frame step `frameAt`. */
export function stepsToFrame(planned: number, step: number, frameAt: number): number {
  return frameAt > step ? Math.max(1, Math.min(planned, frameAt - step)) : Math.max(1, planned);
}
