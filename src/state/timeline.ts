/**
 * The timeline of g: frames of the learned activation kept while training, so a slider can
 * replay how the shape emerged and "export animation" can record it.
 *
 * Bounded like the worker's metric history (src/worker/history.ts): at most `capacity` frames;
 * when full, every other frame is dropped and only every `stride`-th new one is kept, so the
 * frames stay evenly spread over the whole run at a fixed memory cost (about 36 KB a frame).
 * A frame holds references to a snapshot's arrays (never mutated after they arrive), so
 * keeping one costs no copy on the page's thread.
 *
 * Pure and immutable: every operation returns a new Timeline (the store holds it).
 */
import type { ShapeAnalysis } from '../core/analysis/shape';
import type { Snapshot } from '../worker/protocol';

export const TIMELINE_CAPACITY = 120;

export interface TimelineFrame {
  step: number;
  g: NonNullable<Snapshot['g']>;
  /** The pooled argument density and its 90% mask at that step (per-layer densities dropped). */
  density: Snapshot['density'];
  analysis: ShapeAnalysis | null;
}

export interface Timeline {
  readonly frames: readonly TimelineFrame[];
  readonly stride: number;
  readonly offered: number;
}

export function emptyTimeline(): Timeline {
  return { frames: [], stride: 1, offered: 0 };
}

/** The frame of a snapshot, or null when the snapshot has no g(a, b) (baselines, one-argument models). */
export function frameOf(s: Snapshot): TimelineFrame | null {
  if (!s.g) return null;
  const density = s.density ? { grid: s.density.grid, all: s.density.all, perLayer: [], mask: s.density.mask } : null;
  return { step: s.step, g: s.g, density, analysis: s.analysis };
}

/**
 * Adds the frame of a new snapshot.
 * - A step before the newest frame means a new run (reset, rebuild, import): start over.
 * - The same step replaces the newest frame (a rebuild at step 0, a backend switch, Session III).
 * - A later step is offered to the bounded, evenly thinned list.
 */
export function pushFrame(t: Timeline, frame: TimelineFrame, capacity = TIMELINE_CAPACITY): Timeline {
  if (capacity < 2) throw new Error('capacity must be at least 2');
  const last = t.frames[t.frames.length - 1];
  // The same g again (a metrics-only snapshot merged into the last full one): nothing new to keep.
  if (last && frame.g === last.g && frame.step >= last.step) return t;
  if (last && frame.step < last.step) return pushFrame(emptyTimeline(), frame, capacity);
  if (last && frame.step === last.step) return { ...t, frames: [...t.frames.slice(0, -1), frame] };
  const offered = t.offered + 1;
  if ((offered - 1) % t.stride !== 0) return { ...t, offered };
  let frames = [...t.frames, frame];
  let stride = t.stride;
  if (frames.length >= capacity) {
    frames = frames.filter((_, i) => i % 2 === 0);
    stride *= 2;
  }
  return { frames, stride, offered };
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
