/**
 * Loads the image data sets inside the worker, once each: a second run (reset, rebuild,
 * switching back) reuses the decoded data. The page tells the worker where the data folder is
 * (the worker's own URL lies under assets/, where relative URLs would go wrong).
 */
import { loadImageDataset, type DatasetLoadProgress } from './fetchWithProgress';
import type { ImageDataset } from '../core/data/imageAssets';

export type ImageLoader = (id: string, onProgress: (p: DatasetLoadProgress) => void, signal?: AbortSignal) => Promise<ImageDataset>;

let baseUrl: string | null = null;
const cache = new Map<string, Promise<ImageDataset>>();

/** Sets the absolute URL of the folder with manifest.json and the .bin files. */
export function setDataBaseUrl(url: string): void {
  if (url !== baseUrl) cache.clear();
  baseUrl = url;
}

function defaultBaseUrl(): string {
  // Built app: the worker is assets/train.worker-*.js and the data is data/ beside assets/.
  return new URL('../data/', (globalThis as unknown as { location: { href: string } }).location.href).href;
}

export const loadImagesCached: ImageLoader = (id, onProgress, signal) => {
  const cached = cache.get(id);
  if (cached) {
    return cached.then((data) => {
      onProgress({ id, phase: 'done', loaded: 1, total: 1, fraction: 1 });
      return data;
    });
  }
  const loading = loadImageDataset(id, { baseUrl: baseUrl ?? defaultBaseUrl(), onProgress, signal });
  cache.set(id, loading);
  // A failed or cancelled load is not remembered: the next try fetches again.
  loading.catch(() => cache.delete(id));
  return loading;
};
