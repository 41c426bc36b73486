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

/** Trains for about `ms` with nothing between chunks but reading the loss; steps per second. */
async function bareLoop(host: Benchmarkable, ms: number): Promise<number> {
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms && host.built) steps += await host.bareChunk();
  return (steps * 1000) / (performance.now() - t0);
}
