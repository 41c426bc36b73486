/**
 * Compare mode's seeds on one WebGPU dispatch, through the worker's own run hosts and lockstep
 * (what a pool worker does for `init` and `advance`), against each run trained alone on the CPU
 * fused engine. For gpu-check.html: `window.gpuGroupCheck(models, seeds, steps)` builds the
 * comparison's runs in one host set on the WebGPU fused step (the seeds of a model share one GPU
 * group), advances them in two lockstep rounds, and reports, per run, how far its weights are
 * from the same run's alone on `fused` and how its steps were dispatched (Snapshot.gpuGroup).
 * For the bench, `window.gpuGroupSpeed(models, seeds, steps)` times the lockstep rounds alone.
 */
import { comparePlan, type CompareModel } from '../core/compare/plan';
import { defaultParams, type Params } from '../core/params';
import { loadFusedKernels } from '../worker/fusedLoader';
import { fusedGpu, startFusedGpu } from '../worker/gpu/fusedGpuBackend';
import type { GpuGroupStats } from '../worker/gpu/gpuGrouping';
import { advanceInLockstep } from '../worker/lockstep';
import type { ActiveBackend } from '../worker/backends';
import { RunHost, type HostOutput } from '../worker/runHost';
import type { Snapshot } from '../worker/protocol';
import { relDiff } from './relDiff';

export interface GroupCheckRun {
  runId: string;
  step: number;
  cpuStep: number;
  /** Largest relative weight difference over the network's tensors (GPU group vs CPU alone). */
  weights: number;
  /** How far the weights moved from the build (a check that cannot pass by standing still). */
  moved: number;
  gpuGroup: GpuGroupStats | null;
  backend: string;
}

export interface GroupCheckResult {
  adapter: string;
  runs: GroupCheckRun[];
  /** Milliseconds of the GPU hosts' lockstep rounds. */
  gpuMs: number;
}

/** Hosts that keep their last snapshot, as a pool worker's would send it. */
function hosts(params: Params, backend: ActiveBackend, models: CompareModel[], seeds: number, only?: string) {
  const last = new Map<string, Snapshot>();
  const out: HostOutput = {
    snapshot: (s) => last.set(s.runId, s),
    dataset: () => undefined,
    progress: () => undefined,
  };
  const plans = comparePlan({ ...params, compare: models, seeds }).filter((p) => !only || p.runId === only);
  const list = plans.map((p) => new RunHost(p.runId, p.params, backend, out, {}, { dataSeed: p.dataSeed, lean: true }));
  return { list, last };
}

async function gpuBackend(): Promise<ActiveBackend & { adapter: string }> {
  const gpu = fusedGpu() ?? (await startFusedGpu(() => undefined));
  if (!gpu) throw new Error('no WebGPU device');
  await loadFusedKernels();
  return { name: 'webgpu-fused', reason: 'gpu-check', adapter: gpu.description };
}

/** The comparison's base params: the default preset, `steps` split in two advances (a read-out between). */
function baseParams(): Params {
  return { ...defaultParams(), seed: 5 };
}

async function trainGpu(models: CompareModel[], seeds: number, steps: number) {
  const backend = await gpuBackend();
  const gpu = hosts(baseParams(), backend, models, seeds);
  for (const h of gpu.list) await h.build();
  const built = new Map<string, Float32Array[]>();
  for (const h of gpu.list) built.set(h.runId, await h.trainedRun!.exportWeights());
  const t0 = performance.now();
  const half = Math.floor(steps / 2);
  await advanceInLockstep(gpu.list, half, 'full', false);
  await advanceInLockstep(gpu.list, steps - half, 'metrics', false);
  return { backend, gpu, built, gpuMs: performance.now() - t0 };
}

async function groupCheck(models: CompareModel[], seeds: number, steps: number): Promise<GroupCheckResult> {
  const { backend, gpu, built, gpuMs } = await trainGpu(models, seeds, steps);
  const runs: GroupCheckRun[] = [];
  try {
    const fused: ActiveBackend = { name: 'fused', reason: 'gpu-check' };
    for (const h of gpu.list) {
      // The same run alone on the CPU fused engine, advanced the same way.
      const alone = hosts(baseParams(), fused, models, seeds, h.runId);
      const cpu = alone.list[0];
      await cpu.build();
      const half = Math.floor(steps / 2);
      await advanceInLockstep([cpu], half, 'full', false);
      await advanceInLockstep([cpu], steps - half, 'metrics', false);
      const [a, b, start] = [await h.trainedRun!.exportWeights(), await cpu.trainedRun!.exportWeights(), built.get(h.runId)!];
      runs.push({
        runId: h.runId,
        step: h.totalSteps,
        cpuStep: cpu.totalSteps,
        weights: Math.max(...b.map((w, i) => relDiff(w, a[i]))),
        moved: Math.max(...b.map((w, i) => relDiff(w, start[i]))),
        gpuGroup: gpu.last.get(h.runId)?.gpuGroup ?? null,
        backend: gpu.last.get(h.runId)?.backend ?? '',
      });
      await cpu.dispose();
    }
    return { adapter: backend.adapter, runs, gpuMs };
  } finally {
    for (const h of gpu.list) await h.dispose();
  }
}

/** Steps per second of each run over the lockstep rounds of the comparison on the WebGPU fused step. */
async function groupSpeed(
  models: CompareModel[],
  seeds: number,
  steps: number,
): Promise<{ adapter: string; stepsPerSecondPerRun: number }> {
  const { backend, gpu, gpuMs } = await trainGpu(models, seeds, steps);
  for (const h of gpu.list) await h.dispose();
  return { adapter: backend.adapter, stepsPerSecondPerRun: (steps * 1000) / gpuMs };
}

declare global {
  interface Window {
    gpuGroupCheck?: (models: CompareModel[], seeds: number, steps: number) => Promise<GroupCheckResult>;
    gpuGroupSpeed?: (models: CompareModel[], seeds: number, steps: number) => Promise<{ adapter: string; stepsPerSecondPerRun: number }>;
  }
}

window.gpuGroupCheck = groupCheck;
window.gpuGroupSpeed = groupSpeed;
