/**
 * The timeline of g: frames of the learned activation kept while training, so a slider can
 * replay how the shape emerged and "export animation" can record it.
 *
 * Frames come by training progress, never by wall-clock: the worker captures one when
 * training reaches a frame step (step 0, then evenly spaced steps: src/worker/frames.ts) and
 * sends it as a 'frame' message; the page only stores them. At most `capacity` - 1 frames: when
 * full, every other frame is dropped, so they stay evenly spread over the whole run at a fixed
 * memory cost (about 36 KB a frame); the worker's schedule doubles its spacing at the same
 * moment. A frame holds references to a snapshot's arrays (never mutated after they arrive),
 * so keeping one costs no copy on the page's thread.
 *
 * Pure and immutable: every operation returns a new Timeline (the store holds it).
 */
import type { ShapeAnalysis } from '../core/analysis/shape';
import { FRAME_CAPACITY } from '../worker/frames';
import type { FrameMessage, Snapshot } from '../worker/protocol';

export const TIMELINE_CAPACITY = FRAME_CAPACITY;

export interface TimelineFrame {
  step: number;
  g: NonNullable<Snapshot['g']>;
  /** The pooled argument density and its 90% mask at that step (per-layer densities dropped). */
  density: Snapshot['density'];
  analysis: ShapeAnalysis | null;
}

export interface Timeline {
  readonly frames: readonly TimelineFrame[];
}

export function emptyTimeline(): Timeline {
  return { frames: [] };
}

/** The frame a 'frame' message carries (its arrays are kept as they are, not copied). */
export function frameOf(m: FrameMessage): TimelineFrame {
  return { step: m.step, g: m.g, density: m.density, analysis: m.analysis };
}

/**
 * Adds a frame the worker captured.
 * - A step before the newest frame means a new run (reset, rebuild, import): start over.
 * - The same step replaces the newest frame (a rebuild at step 0).
 * - A later step is appended; a full list keeps every other frame (the first one included).
 */
export function pushFrame(t: Timeline, frame: TimelineFrame, capacity = TIMELINE_CAPACITY): Timeline {
  if (capacity < 2) throw new Error('capacity must be at least 2');
  const last = t.frames[t.frames.length - 1];
  if (last && frame.step < last.step) return pushFrame(emptyTimeline(), frame, capacity);
  if (last && frame.step === last.step) return { frames: [...t.frames.slice(0, -1), frame] };
  const frames = [...t.frames, frame];
  return { frames: frames.length >= capacity ? frames.filter((_, i) => i % 2 === 0) : frames };
}

/** Index of the frame whose step is nearest to `step` (the first of two equally near); -1 if none. */
export function nearestFrameIndex(frames: readonly TimelineFrame[], step: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let i = 0; i < frames.length; i++) {
    const d = Math.abs(frames[i].step - step);
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  return best;
}
