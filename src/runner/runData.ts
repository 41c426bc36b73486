/**
 * Data for a headless run in Node: generated 2D sets from the params, image sets from the files
 * the app ships (public/data), checked against the manifest's sha256 before use. The Node
 * counterpart of the worker's data loading: same core decoders, files instead of fetch.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImageAsset, IMAGE_DATASET_INFO } from '../core/data/imageAssets';
import { imageTrainingData } from '../core/data/imageEval';
import { IMAGE_ASSET_IDS, isImageDataset, type Params } from '../core/params';
import { datasetFromParams, trainingDataFrom2D } from '../core/run';
import type { RunData } from '../core/experiment/runPlan';

/** Decoded image sets by file, so a sweep decodes each set once. */
const cache = new Map<string, RunData>();

function manifestSha(dataDir: string, id: string): string {
  const manifest = JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8')) as { datasets?: { id?: unknown; sha256?: unknown }[] };
  const entry = manifest.datasets?.find((d) => d.id === id);
  if (!entry || typeof entry.sha256 !== 'string') throw new Error(`${join(dataDir, 'manifest.json')} lists no checksum for ${id}`);
  return entry.sha256;
}

export function loadRunData(params: Params, dataDir: string): RunData {
  if (!isImageDataset(params.dataset)) {
    if (params.dataset === 'custom') throw new Error('custom points cannot run headless');
    return { training: trainingDataFrom2D(datasetFromParams(params)), outputSize: 1, head: 'binary', clip: null };
  }
  const id = IMAGE_ASSET_IDS[params.dataset];
  const file = join(dataDir, IMAGE_DATASET_INFO[id].file);
  const cached = cache.get(file);
  if (cached) return cached;
  const bytes = readFileSync(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== manifestSha(dataDir, id)) throw new Error(`${file} does not match its checksum in manifest.json (run \`npm run datasets\`)`);
  const images = decodeImageAsset(bytes);
  const data: RunData = { training: imageTrainingData(images), outputSize: images.classes, head: 'multiclass', clip: [-1, 1] };
  cache.set(file, data);
  return data;
}
