/**
 * Which worker of compare mode's pool hosts each run. Dealt round-robin, so every worker gets a
 * share of each model (the CPU engines cost about the same per run). On the WebGPU fused step the
 * seeds of a model train in one dispatch only when they share a worker (worker/gpu/gpuGrouping.ts),
 * so there the plan (model-major) is cut into contiguous blocks: each model's seeds stay together.
 */
import type { CompareRunPlan } from '../core/compare/plan';

/** The worker (0 .. size - 1) of each plan, in plan order. */
export function assignWorkers(plans: readonly Pick<CompareRunPlan, 'params'>[], size: number): number[] {
  const n = plans.length;
  const workers = Math.max(1, Math.floor(size));
  const gpu = n > 0 && plans.every((p) => p.params.backend === 'webgpu-fused');
  return plans.map((_, i) => (gpu ? Math.min(workers - 1, Math.floor((i * workers) / n)) : i % workers));
}
