/**
 * The compare slice as the comparison export and import reach it. The store's AppState does
 * not carry `compare` (CompareSlice, compareTypes.ts) in every branch yet, so it is read
 * through one typed selector here, and an imported comparison is put in place by one setter;
 * when the slice lands, the selector still reads the same field and the setter is replaced by
 * the slice's own intent (it must stop the pool and keep the imported runs, see below).
 */
import type { StoreApi } from 'zustand';
import { errorMessage } from '../core/errorMessage';
import { COMPARE_FILE_MAX_BYTES, readComparisonFile, type ComparisonReadResult, type ImportedComparison } from './compareFile';
import type { CompareSlice, CompareState } from './compareTypes';
import type { AppState } from './store';

type WithCompare = AppState & Partial<Pick<CompareSlice, 'compare'>>;

/** The compare state, or null outside compare mode (and before the slice exists). */
export function selectCompare(s: AppState): CompareState | null {
  return (s as WithCompare).compare ?? null;
}

/**
 * Reads a file the user chose into a comparison, touching no store: File -> CompareState (and
 * its base params, summary and robustness curves). Never throws; problems come back as a list.
 */
export async function loadComparison(file: Blob): Promise<ComparisonReadResult> {
  if (file.size > COMPARE_FILE_MAX_BYTES) return readComparisonFile('', file.size);
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, errors: [`The file could not be read: ${errorMessage(e)}`] };
  }
  return readComparisonFile(text, file.size);
}

/** Shows an imported comparison through the slice's intent (the pool stops; nothing retrains until Play). */
export function setImportedComparison(store: StoreApi<AppState>, comparison: ImportedComparison): void {
  store.getState().showComparison(comparison.state);
}

export { comparisonBaseParams } from './compareBase';
