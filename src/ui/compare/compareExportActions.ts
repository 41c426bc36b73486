/**
 * What the comparison's export and import buttons do: the comparison as JSON and as CSV
 * tables, the small-multiples figure as PNG and SVG, and the import of a comparison file.
 * Each reads the store at the moment of the click, like the single run's exports
 * (shareActions.ts), and reports a failure as a notice, never as a crash.
 */
import { errorMessage } from '../../core/errorMessage';
import { comparisonBaseParams, loadComparison, selectCompare, setImportedComparison } from '../../state/compareAccess';
import { comparisonCsvTables } from '../../state/compareCsv';
import {
  buildComparisonFile,
  robustnessRecord,
  serializeComparisonFile,
  type CompareFileRobustness,
  type ComparisonFile,
  type ComparisonReadResult,
} from '../../state/compareFile';
import { downloadBlob, exportFileName, pageUrl } from '../../state/exports';
import { encodeLink } from '../../state/link';
import { appStore, type AppState } from '../../state/store';
import { compareFigurePng, compareFigureSvg, type CompareFigureInput } from '../../viz/figures/compareFigure';
import { readPlotTheme } from '../../viz/plotTheme';
import { notify } from '../shareActions';

export const NO_COMPARISON = 'There is no comparison to export: choose models to compare first.';

/** Whether there is a comparison to export (its plan has runs). */
export const selectHasComparison = (s: AppState): boolean => (selectCompare(s)?.plans.length ?? 0) > 0;

/** Whether the comparison has a model with a learned activation to draw. */
export const selectHasComparisonFigure = (s: AppState): boolean =>
  !!selectCompare(s)?.plans.some((p) => p.model === 'twoArg' || p.model === 'oneArg');

/** The comparison file of the page's compare state now, or null outside compare mode. */
export function comparisonFileOf(s: AppState): ComparisonFile | null {
  const compare = selectCompare(s);
  if (!compare || compare.plans.length === 0) return null;
  const params = comparisonBaseParams(compare, s.params);
  return buildComparisonFile({ params, state: compare, link: pageUrl(encodeLink(params)), robustness: robustnessOf(s) });
}

/** The finished robustness curves of the latest test, by run id (a run's curve or its divergence). */
function robustnessOf(s: AppState): Record<string, CompareFileRobustness[]> {
  const test = s.robustness.test;
  const out: Record<string, CompareFileRobustness[]> = {};
  if (!test) return out;
  for (const [runId, r] of Object.entries(test.runs)) {
    if (r.status === 'done' && r.curve) out[runId] = [robustnessRecord(test.kind, test.sizes, { diverged: false, curve: r.curve })];
    else if (r.status === 'diverged')
      out[runId] = [robustnessRecord(test.kind, test.sizes, { diverged: true, reason: r.reason ?? 'diverged' })];
  }
  return out;
}

/** The step the comparison has reached (runs advance in lockstep; diverged runs stop early). */
function stepOf(file: ComparisonFile): number {
  const live = file.runs.filter((r) => !r.diverged);
  return live.length > 0 ? Math.min(...live.map((r) => r.step)) : 0;
}

function fileName(file: ComparisonFile, what: string, extension: string): string {
  return exportFileName(file.params, stepOf(file), what, extension);
}

export function exportComparisonJson(): void {
  try {
    const file = comparisonFileOf(appStore.getState());
    if (!file) return notify(NO_COMPARISON);
    downloadBlob(new Blob([serializeComparisonFile(file)], { type: 'application/json' }), fileName(file, 'comparison', 'json'));
  } catch (e) {
    notify(`The comparison could not be exported: ${errorMessage(e)}`);
  }
}

/** One download per table (see compareCsv.ts for why not one file). */
export function exportComparisonCsv(): void {
  try {
    const file = comparisonFileOf(appStore.getState());
    if (!file) return notify(NO_COMPARISON);
    const tables = comparisonCsvTables(file);
    for (const t of tables) downloadBlob(new Blob([t.csv], { type: 'text/csv' }), fileName(file, `comparison-${t.name}`, 'csv'));
    notify(`Saved ${tables.length} CSV tables (${tables.map((t) => t.name).join(', ')}); the browser may ask to allow several downloads.`);
  } catch (e) {
    notify(`The CSV tables could not be exported: ${errorMessage(e)}`);
  }
}

function figureInput(s: AppState): CompareFigureInput | null {
  const compare = selectCompare(s);
  if (!compare || compare.plans.length === 0) return null;
  return { plans: compare.plans, runs: compare.runs, dataset: comparisonBaseParams(compare, s.params).dataset };
}

function figureName(s: AppState, extension: string): string {
  const compare = selectCompare(s)!;
  const params = comparisonBaseParams(compare, s.params);
  const live = Object.values(compare.runs).filter((r) => !r.diverged);
  return exportFileName(params, live.length > 0 ? Math.min(...live.map((r) => r.step)) : 0, 'comparison-g', extension);
}

export async function exportComparisonPng(): Promise<void> {
  const s = appStore.getState();
  const input = figureInput(s);
  if (!input) return notify(NO_COMPARISON);
  try {
    downloadBlob(await compareFigurePng(input, readPlotTheme()), figureName(s, 'png'));
  } catch (e) {
    notify(`The PNG could not be made: ${errorMessage(e)}`);
  }
}

export function exportComparisonSvg(): void {
  const s = appStore.getState();
  const input = figureInput(s);
  if (!input) return notify(NO_COMPARISON);
  try {
    downloadBlob(new Blob([compareFigureSvg(input, readPlotTheme())], { type: 'image/svg+xml' }), figureName(s, 'svg'));
  } catch (e) {
    notify(`The SVG could not be made: ${errorMessage(e)}`);
  }
}

/** Reads, validates and (only when everything is valid) shows a comparison file. */
export async function importComparisonFile(file: Blob, store = appStore): Promise<ComparisonReadResult> {
  const result = await loadComparison(file);
  if (!result.ok) return result;
  try {
    setImportedComparison(store, result.comparison);
  } catch (e) {
    return { ok: false, errors: [`The comparison could not be shown: ${errorMessage(e)}`] };
  }
  return result;
}
