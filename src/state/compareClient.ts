/**
 * Plugs compare mode's worker pool into the store (called where the main run's worker is
 * connected, src/main.tsx): the store's compare slice then starts a pool whenever the params
 * name a comparison, at once when the page was opened from a compare link.
 */
import type { StoreApi } from 'zustand';
import { comparePoolSize } from './barrier';
import { ComparePool } from './comparePool';
import type { AppState } from './store';
import { createTrainingWorker, type WorkerLike } from './workerClient';

export function connectComparePool(
  store: StoreApi<AppState>,
  createWorker: () => WorkerLike = () => createTrainingWorker('compare'),
): () => void {
  // Image data lives in the page's data/ folder; the worker's own URL lies under assets/.
  const dataBaseUrl = typeof document !== 'undefined' ? new URL('data/', document.baseURI).href : null;
  store.getState().setComparePoolFactory(
    (plans, onBatch, points) =>
      new ComparePool(plans, onBatch, {
        size: comparePoolSize(globalThis.navigator?.hardwareConcurrency, plans.length),
        createWorker,
        dataBaseUrl,
        points,
      }),
  );
  return () => store.getState().setComparePoolFactory(null);
}
