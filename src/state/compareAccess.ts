/**
 * The compare slice as the comparison export and import reach it. The store's AppState does
 * not carry `compare` (CompareSlice, compareTypes.ts) in every branch yet, so it is read
 * through one typed selector here, and an imported comparison is put in place by one setter;
 * when the slice lands, the selector still reads the same field and the setter is replaced by
 * the slice's own intent (it must stop the pool and keep the imported runs, see below).
 */
import type { StoreApi } from 'zustand';
import { comparePlan, type CompareModel } from '../core/compare/plan';
import { errorMessage } from '../core/errorMessage';
import type { Params } from '../core/params';
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

/**
 * Shows an imported comparison: its runs become the compare state, not playing. Only the
 * `compare` field is set: changing the params to the file's would (with the slice's pool)
 * start training the same plan from scratch over the imported runs. The slice's intent that
 * replaces this must likewise stop any pool first, and remember the base params (see
 * comparisonBaseParams) for the link and a later export.
 */
export function setImportedComparison(store: StoreApi<AppState>, comparison: ImportedComparison): void {
  store.setState({ compare: comparison.state } as Partial<WithCompare> as Partial<AppState>);
}

/**
 * The base params a comparison was planned from: the page's params when their plan is the
 * comparison's (compare mode as usual), else rebuilt from the plan itself (an imported
 * comparison shown while the page's params are another configuration).
 */
export function comparisonBaseParams(state: Pick<CompareState, 'plans'>, pageParams: Params): Params {
  const ids = (plans: readonly { runId: string; dataSeed: number }[]) => plans.map((p) => `${p.runId}@${p.dataSeed}`).join(' ');
  if (pageParams.compare.length > 0 && ids(comparePlan(pageParams)) === ids(state.plans)) return pageParams;
  const first = state.plans[0];
  if (!first) return pageParams;
  const models = [...new Set(state.plans.map((p) => p.model))] as CompareModel[];
  // A plan's params are the base's with the run's model and seed (comparePlan): undo that.
  return {
    ...structuredClone(first.params),
    seed: first.dataSeed,
    compare: models,
    seeds: state.plans.filter((p) => p.model === first.model).length,
  };
}
