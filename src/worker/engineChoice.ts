/**
 * Builds a run on the active engine: the fused engine when it is chosen (falling back to tfjs for
 * a model it cannot take, e.g. one whose buffers exceed its memory), else the tfjs Run; and the
 * backend the badge shows for it (the tfjs backend that actually trains, when the fused one could not).
 */
import { FusedUnsupportedError } from '../core/fused';
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
): Promise<{ engine: TrainEngine; shown: ActiveBackend }> {
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
