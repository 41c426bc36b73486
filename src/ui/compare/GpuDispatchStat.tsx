/**
 * Compare mode on the WebGPU fused step: how many runs each GPU dispatch trains (the seeds of a
 * model in one worker share one: worker/gpu/gpuGrouping.ts). Shown only when a run trains on it.
 * The per-run counts are in data-values for exact reading.
 */
import { useApp, type AppState } from '../../state/store';
import type { GpuGroupStats } from '../../worker/gpu/gpuGrouping';

/** Per run with a GPU group, its dispatch counts, as JSON text ('' when none): a string, so the bar re-renders only when it changes. */
export function selectGpuDispatch(s: AppState): string {
  const out: Record<string, GpuGroupStats> = {};
  for (const [id, run] of Object.entries(s.compare?.runs ?? {})) if (run.gpuGroup) out[id] = run.gpuGroup;
  return Object.keys(out).length ? JSON.stringify(out) : '';
}

/** Runs trained per round (one round: one chunk of every run of a group, dispatched together), averaged over the runs. */
export function runsPerDispatch(stats: readonly GpuGroupStats[]): number {
  let runChunks = 0;
  let rounds = 0;
  for (const s of stats) {
    runChunks += s.runChunks;
    rounds += s.rounds;
  }
  return rounds > 0 ? runChunks / rounds : Math.max(0, ...stats.map((s) => s.runs));
}

export function GpuDispatchStat() {
  const text = useApp(selectGpuDispatch);
  if (!text) return null;
  const stats = JSON.parse(text) as Record<string, GpuGroupStats>;
  const perDispatch = runsPerDispatch(Object.values(stats));
  const shown = Number.isInteger(perDispatch) ? String(perDispatch) : perDispatch.toFixed(1);
  return (
    <span
      className="stat"
      data-testid="gpu-dispatch"
      data-values={text}
      title="WebGPU fused step: the seeds of a model that share a worker train in one GPU dispatch (one workgroup per run)"
    >
      <span className="stat-label">runs per GPU dispatch</span>
      <span className="stat-value">{shown}</span>
    </span>
  );
}
