/**
 * Which runs of a worker train together on the WebGPU fused step (one dispatch, one workgroup per
 * run): the seeds of one model in compare mode, i.e. runs whose params are equal but for the seed
 * and that are drawn on the same data (the same data seed). Runs of different models, a single run
 * (no data seed: its data follows its own seed) and anything else train in a group of their own.
 * Pure: the engine (gpuEngine.ts) adds the device-side condition (the same compiled step and the
 * same training set) when a run joins.
 */
import type { Params } from '../../core/params';

/** What the snapshot says about a run's GPU group (Snapshot.gpuGroup): how its steps were dispatched. */
export interface GpuGroupStats {
  /** Runs in the run's group now (1: it trains alone). */
  runs: number;
  /** Chunks this run trained on the device. */
  chunks: number;
  /** Rounds the group trained: one per chunk, every run that asked in it together. */
  rounds: number;
  /** Chunks the group trained over all its runs (runs x rounds when every run takes part in every round). */
  runChunks: number;
  /** Queue submissions (one per round; a round over 64 steps takes several). */
  submissions: number;
  /** Compute dispatches (8 steps of every run of the group each). */
  dispatches: number;
}

/** Object keys sorted at every level, so equal params give equal text whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * The tag shared by the runs that may train in one group, or null for a run that trains alone:
 * the params without the seed, and the data seed. Without a data seed the data follows the run's
 * own seed, so no two runs share it.
 */
export function gpuShareTag(params: Params, dataSeed: number | undefined): string | null {
  if (dataSeed === undefined || !Number.isFinite(dataSeed)) return null;
  const rest: Partial<Params> = { ...params };
  delete rest.seed;
  return JSON.stringify({ dataSeed, params: canonical(rest) });
}
