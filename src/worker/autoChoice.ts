/**
 * "auto" picks the engine by measurement: on load, a short timed run of each available engine
 * on the current preset, and the fastest wins. The choice itself is a pure function of the
 * measured figures (pickFastest), tested without any engine; measureEngine does the timing.
 */
import type { BackendName } from './protocol';
import type { TrainEngine } from './engine';

/** One engine's measured speed: steps per second, or why it was not measured. */
export interface EngineMeasurement {
  name: BackendName;
  stepsPerSecond: number | null;
  /** Why there is no figure ("software adapter", "failed to start"). */
  why?: string;
}

/** The time each engine is timed for: together at most 300 ms (issue 9); the two WebGPU engines are timed on hardware adapters only. */
export const MEASURE_MS: Partial<Record<BackendName, number>> = { fused: 60, wasm: 120, webgpu: 60, 'webgpu-fused': 60 };

function figure(m: EngineMeasurement): string {
  if (m.stepsPerSecond === null) return `${m.name} n/a`;
  return `${m.name} ${Math.round(m.stepsPerSecond).toLocaleString('en-US')}`;
}

/**
 * The fastest measured engine (the first listed on a tie) and the badge's words, e.g.
 * "auto: fused 9,800 steps/s, wasm 260, webgpu n/a". Null when nothing was measured.
 */
export function pickFastest(measurements: EngineMeasurement[]): { name: BackendName; reason: string } | null {
  let best: EngineMeasurement | null = null;
  for (const m of measurements) {
    if (m.stepsPerSecond !== null && Number.isFinite(m.stepsPerSecond) && (best === null || m.stepsPerSecond > best.stepsPerSecond!))
      best = m;
  }
  if (!best) return null;
  // The winner, then the others fastest first, those without a figure last.
  const others = measurements.filter((m) => m !== best).sort((a, b) => (b.stepsPerSecond ?? -1) - (a.stepsPerSecond ?? -1));
  const ordered = [best, ...others];
  const [first, ...rest] = ordered.map(figure);
  return { name: best.name, reason: `auto: ${first} steps/s${rest.length ? `, ${rest.join(', ')}` : ''}` };
}

/**
 * Steps per second of an engine over about `ms` (after one untimed warm-up step, which on the
 * GPU backends compiles the shaders): chunks double while they are short, so the per-chunk
 * read of the loss does not dominate a fast engine's figure.
 */
export async function measureEngine(engine: TrainEngine, ms: number): Promise<number> {
  await engine.trainBare(1);
  let steps = 0;
  let chunk = 1;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    await engine.trainBare(chunk);
    steps += chunk;
    elapsed = performance.now() - t0;
    if (elapsed < ms / 8) chunk *= 2;
  }
  return (steps * 1000) / elapsed;
}
