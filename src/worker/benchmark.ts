/**
 * The benchmark operation: steps per second of a bare loop (train, read the loss, nothing
 * else) and of the normal playing loop over the same duration, on a run host. The difference
 * is what the bookkeeping (snapshots, metrics, checks, checkpoints) costs.
 */
import type { BenchmarkResult } from './protocol';

/** The little the benchmark needs from a run host. */
export interface Benchmarkable {
  readonly built: boolean;
  readonly totalSteps: number;
  readonly snapshotsPublished: number;
  readonly fullSnapshotsPublished: number;
  /** Stops the training loop (status unchanged). */
  stop(): Promise<void>;
  play(): void;
  /** Stops, marks the run paused and publishes a full snapshot. */
  pause(): Promise<void>;
  /** Trains one adaptive chunk with nothing around it but reading the loss; the steps trained. */
  bareChunk(): Promise<number>;
}

export type HostBenchmark = Omit<BenchmarkResult, 'backend'>;

export async function runBenchmark(host: Benchmarkable, durationMs: number): Promise<HostBenchmark> {
  await host.stop();
  if (!host.built) throw new Error('nothing to benchmark: the run is not built');
  // Warm up (shader compilation, JIT, chunk size) before timing anything.
  await bareLoop(host, Math.min(1000, durationMs / 4));
  const bare = await bareLoop(host, durationMs);
  const startStep = host.totalSteps;
  const startSnapshots = host.snapshotsPublished;
  const startFull = host.fullSnapshotsPublished;
  const t1 = performance.now();
  host.play();
  await new Promise((r) => setTimeout(r, durationMs));
  await host.stop();
  const playing = ((host.totalSteps - startStep) * 1000) / (performance.now() - t1);
  const snapshots = host.snapshotsPublished - startSnapshots;
  const full = host.fullSnapshotsPublished - startFull;
  await host.pause();
  return { bareStepsPerSecond: bare, playingStepsPerSecond: playing, snapshotsWhilePlaying: snapshots, fullSnapshotsWhilePlaying: full };
}

/**
 * The bare loop's steps per second over the training steps `from` to `to` of a fresh run (timed
 * from the first chunk boundary at or past `from` to the first at or past `to`); the playing
 * figures are not measured (0). Why by steps: on the fused engine a step of a learned-activation
 * model costs ~1.5x as much early in training (steps 0-4,000) as from step ~10,000 on, and compare
 * mode's runs are early in training while measured, while runBenchmark times a single run after
 * seconds of bare training. So compare mode's figure is also set against every run alone over the
 * same steps. Bare, not playing: a short playing window is dominated by its first read-outs.
 */
export async function runBenchmarkOverSteps(host: Benchmarkable, from: number, to: number): Promise<HostBenchmark> {
  await host.stop();
  if (!host.built) throw new Error('nothing to benchmark: the run is not built');
  while (host.totalSteps < from && host.built) await host.bareChunk();
  const startStep = host.totalSteps;
  const t0 = performance.now();
  while (host.totalSteps < to && host.built) await host.bareChunk();
  const bare = ((host.totalSteps - startStep) * 1000) / Math.max(1e-3, performance.now() - t0);
  return { bareStepsPerSecond: bare, playingStepsPerSecond: 0, snapshotsWhilePlaying: 0, fullSnapshotsWhilePlaying: 0 };
}

/** Trains for about `ms` with nothing between chunks but reading the loss; steps per second. */
async function bareLoop(host: Benchmarkable, ms: number): Promise<number> {
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms && host.built) steps += await host.bareChunk();
  return (steps * 1000) / (performance.now() - t0);
}
