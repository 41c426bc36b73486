/**
 * Builds a run on the active engine: the fused engine when it is chosen (falling back to tfjs for
 * a model it cannot take, e.g. one whose buffers exceed its memory), the fused GPU step when it is
 * chosen (falling back to the fused CPU engine for a model it does not cover), else the tfjs Run;
 * and the backend the badge shows for it (the engine that actually trains).
 */
import { errorMessage } from '../core/errorMessage';
import { FusedUnsupportedError } from '../core/fused';
import { gpuUnsupportedReason } from '../core/fused/gpu/gpuPlan';
import { gpuFusedEngine } from './gpu/gpuEngine';
import { fusedGpu, fusedGpuUnavailableReason } from './gpu/fusedGpuBackend';
import type { BuildProgress, RunSpec } from '../core/run';
import type { TrainingData } from '../core/train/trainer';
import { ensureTfjsBackend, type ActiveBackend } from './backends';
import { fusedEngine, tfjsEngine, type TrainEngine } from './engine';
import { loadFusedKernels } from './fusedLoader';

export async function buildEngine(
  backend: ActiveBackend,
  spec: RunSpec,
  data: TrainingData,
  onProgress?: BuildProgress,
  /** Runs with the same tag may share one GPU dispatch (gpu/gpuGrouping.ts); only the WebGPU fused step reads it. */
  shareTag: string | null = null,
): Promise<{ engine: TrainEngine; shown: ActiveBackend }> {
  if (backend.name === 'webgpu-fused') {
    const gpu = fusedGpu();
    let declined = gpu ? gpuUnsupportedReason(spec.model, spec.train) : fusedGpuUnavailableReason();
    if (gpu && !declined) {
      try {
        return { engine: await gpuFusedEngine(spec, data, gpu, (await loadFusedKernels()).factory, onProgress, shareTag), shown: backend };
      } catch (e) {
        // The device refused the step (out of memory, a limit): the CPU engine takes the run.
        declined = errorMessage(e);
      }
    }
    const fused = {
      name: 'fused' as const,
      reason: `${backend.reason}; the WebGPU fused step cannot take this run (${declined}), using fused`,
    };
    return buildEngine(fused, spec, data, onProgress);
  }
  if (backend.name === 'fused') {
    try {
      return { engine: await fusedEngine(spec, data, (await loadFusedKernels()).factory, onProgress), shown: backend };
    } catch (e) {
      if (!(e instanceof FusedUnsupportedError)) throw e;
      const name = await ensureTfjsBackend();
      const shown = { name, reason: `${backend.reason}; the fused engine cannot take this model (${e.message}), using ${name}` };
      return { engine: await tfjsEngine(spec, data, onProgress), shown };
    }
  }
  return { engine: await tfjsEngine(spec, data, onProgress), shown: backend };
}
