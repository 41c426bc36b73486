/**
 * Loading the image data set a run's params name, for the run host: progress to the page, one
 * user-facing message on failure, and the rollback decision (keep the run that stands, or fail).
 */
import { IMAGE_DATASET_INFO, type ImageDataset } from '../core/data/imageAssets';
import { IMAGE_ASSET_IDS, type ImageDataName, type Params } from '../core/params';
import type { ImageLoader } from './imageLoader';
import type { DatasetProgressMessage } from './protocol';

export interface LoadedImages {
  name: ImageDataName;
  data: ImageDataset;
}

/**
 * Loads the image data set `name`, reporting progress. Throws an Error fit for the user when
 * it cannot be loaded (including when no loader exists here, as in unit tests).
 */
export async function loadImageSet(
  name: ImageDataName,
  runId: string,
  loadImages: ImageLoader | undefined,
  onProgress: ((m: DatasetProgressMessage) => void) | undefined,
  signal?: AbortSignal,
): Promise<LoadedImages> {
  const id = IMAGE_ASSET_IDS[name];
  if (!loadImages) throw new Error(`could not load ${name} (image data cannot be loaded here)`);
  const data = await loadImages(
    id,
    (p) =>
      onProgress?.({
        type: 'datasetProgress',
        runId,
        dataset: name,
        name: IMAGE_DATASET_INFO[id].name,
        phase: p.phase,
        fraction: p.fraction,
        loaded: p.loaded,
        total: p.total,
      }),
    signal,
  );
  return { name, data };
}

/** The data set's name for the user ("Fashion-MNIST"). */
export function imageSetLabel(name: ImageDataName): string {
  return IMAGE_DATASET_INFO[IMAGE_ASSET_IDS[name]].name;
}

/**
 * The rollback after a failed load: a built run and the params it was built from are kept as
 * they were (returned); with no run standing there is nothing to keep (null: the run fails).
 */
export function paramsToKeep(builtParams: Params | null, hasRun: boolean): Params | null {
  return hasRun ? builtParams : null;
}
