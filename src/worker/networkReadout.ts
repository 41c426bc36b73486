/**
 * The network view's read-out for a full snapshot (core/networkView.ts), from the engine's
 * exported weights, so tfjs and the fused engine give the same one. Only 2D data sets have it.
 */
import { networkView, type NetworkView } from '../core/networkView';
import type { Params } from '../core/params';
import { INPUT_GRID } from '../core/liveView';
import { specFromParams } from '../core/spec';
import type { TrainEngine } from './engine';
import type { HostData } from './hostData';

export async function readNetworkView(run: TrainEngine, params: Params, source: HostData | null): Promise<NetworkView | null> {
  const points = source?.dataset2d;
  if (!points || !source.training) return null;
  // The configuration the run was built with: the model and widths it reports (after matching).
  const spec = specFromParams(params, 2, source.outputSize, source.head);
  const config = { ...spec.model, kind: run.modelKind, hidden: run.hiddenUnits };
  try {
    return networkView(config, await run.exportWeights(), points.trainX, INPUT_GRID);
  } catch {
    // The view is an extra: a failed read-out leaves it out and never costs the snapshot its g.
    return null;
  }
}
