/**
 * What compare mode's grid and table say, as plain data: the rows of small multiples, each cell's
 * verdict badge, and the summary table's cells with their full-precision values. Pure, so the
 * wording and the numbers are tested without a browser; the components only render these.
 * Over 300 lines because the grid, the table and the hover read-outs must word the same numbers
 * the same way; one file keeps the labels and the rounding in one place.
 */
import type { UncertainVerdict } from '../../core/analysis/bootstrap';
import type { CompareRunPlan } from '../../core/compare/plan';
import { DEFAULT_TARGET_ACCURACY, summariseCompare, type CompareModelSummary, type CompareSummary } from '../../core/compare/summary';
import type { MeanSd, Rate } from '../../core/stats/summary';
import type { CompareRunView, CompareState } from '../../state/compareTypes';
import type { BandKey, ModelBand } from '../../viz/compare/bandFigure';
import { nearestByStep } from '../../viz/compare/bandFigure';
import { compact, grouped, sig4 } from '../../viz/format';
import { optionLabel } from '../optionLabels';

export const VERDICT_LABELS: Record<UncertainVerdict, string> = {
  'soft-xor': 'soft XOR',
  'soft-xnor': 'soft XNOR',
  'not-saddle': 'not a saddle',
  undecided: 'undecided',
};

/** The models compare mode opens with: the paper's comparison. */
export const DEFAULT_COMPARE_MODELS = ['twoArg', 'oneArg', 'relu'];

export function modelLabel(model: string): string {
  return optionLabel('model', model);
}

/** What a model's cells show: g(a, b), the curve g(x), or nothing (a fixed activation). */
export type RowKind = 'heatmap' | 'curve' | 'fixed';

export function rowKind(model: string): RowKind {
  return model === 'twoArg' ? 'heatmap' : model === 'oneArg' ? 'curve' : 'fixed';
}

export interface GridRow {
  model: string;
  kind: RowKind;
  /** The model's runs, by seed (empty for a fixed activation: it has no g to show). */
  plans: CompareRunPlan[];
  seeds: number;
  paramTotal: number | null;
  hidden: readonly number[];
}

/** One row per model, in the plan's order (model-major); size from the first built run. */
export function gridRows(plans: readonly CompareRunPlan[], runs: Readonly<Record<string, CompareRunView>>): GridRow[] {
  const rows = new Map<string, GridRow>();
  for (const plan of plans) {
    let row = rows.get(plan.model);
    if (!row) {
      row = { model: plan.model, kind: rowKind(plan.model), plans: [], seeds: 0, paramTotal: null, hidden: [] };
      rows.set(plan.model, row);
    }
    row.seeds += 1;
    if (row.kind !== 'fixed') row.plans.push(plan);
    const run = runs[plan.runId];
    if (row.paramTotal === null && run && run.paramTotal !== null) {
      row.paramTotal = run.paramTotal;
      row.hidden = run.hidden;
    }
  }
  return [...rows.values()];
}

/** "matched: 2,345 params, widths 12-12" (the two-argument model is the reference the others match). */
export function rowFacts(row: Pick<GridRow, 'model' | 'paramTotal' | 'hidden'>): string {
  const role = row.model === 'twoArg' ? 'reference' : 'matched';
  if (row.paramTotal === null) return `${role}: building…`;
  const widths = row.hidden.length ? `widths ${row.hidden.join('-')}` : 'no hidden layer';
  return `${role}: ${grouped(row.paramTotal)} params, ${widths}`;
}

export interface CellBadge {
  /** The badge's word. */
  word: string;
  /** data-verdict: a bootstrap verdict, or pending / untrained / building / diverged / error. */
  verdict: UncertainVerdict | 'pending' | 'untrained' | 'building' | 'diverged' | 'error' | 'none';
  /** The tooltip: the interval behind the word, or why there is none. */
  title: string;
}

const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/**
 * The verdict badge of one run: the bootstrap verdict (with its 95% interval in the tooltip);
 * while the first bootstrap is computed, the point verdict with "…"; "untrained" at step 0,
 * as in the single-run view (that g is the null the table compares with).
 */
export function cellBadge(run: CompareRunView | undefined, kind: RowKind = 'heatmap'): CellBadge {
  if (!run || run.status === 'building') return { word: 'building…', verdict: 'building', title: 'The run is being built (Session I).' };
  if (run.status === 'diverged' || run.diverged)
    return {
      word: 'diverged',
      verdict: 'diverged',
      title: run.message ?? 'The loss became infinite or NaN: this run is left out of the statistics.',
    };
  if (run.status === 'error') return { word: 'error', verdict: 'error', title: run.message ?? 'The run failed.' };
  // The saddle test needs two arguments: a curve g(x) has no verdict.
  if (kind !== 'heatmap')
    return { word: 'g(x)', verdict: 'none', title: 'The learned curve g(x) of this seed (one argument: no saddle test).' };
  if (!run.analysis) return { word: 'no verdict', verdict: 'none', title: 'No fitted shape yet.' };
  if (run.step === 0) {
    return {
      word: 'untrained',
      verdict: 'untrained',
      title: `g at step 0 is the random smooth surface it starts from; its shape (${VERDICT_LABELS[run.analysis.verdict]}) is the baseline the table's step-0 column counts.`,
    };
  }
  const b = run.bootstrap;
  if (!b) {
    return {
      word: `${VERDICT_LABELS[run.analysis.verdict]}…`,
      verdict: 'pending',
      title: 'The point verdict from one fit; the bootstrap interval is still being computed.',
    };
  }
  const rel = `relative Hessian determinant, 95% interval [${num(b.relativeDet.lo)}, ${num(b.relativeDet.hi)}] over ${b.resamples} resamples at step ${b.step}`;
  const rule =
    b.verdict === 'undecided'
      ? 'the interval contains 0, so the data do not decide between saddle and not'
      : b.verdict === 'not-saddle'
        ? 'the whole interval is above 0'
        : 'the whole interval is below 0';
  return { word: VERDICT_LABELS[b.verdict], verdict: b.verdict, title: `${VERDICT_LABELS[b.verdict]}: ${rel}; ${rule}.` };
}

/** The cell button's accessible name. */
export function cellLabel(plan: CompareRunPlan, badge: CellBadge): string {
  return `${modelLabel(plan.model)}, seed ${plan.seed}: ${badge.word}. Open this run in the single-run view`;
}

// ---------- the summary table ----------

/**
 * The table's numbers: summariseCompare over the runs, rows in the plan's order, exactly as the
 * comparison file computes its summary (state/compareFile.ts), so the two agree to the bit.
 */
export function compareTableSummary(state: Pick<CompareState, 'plans' | 'runs'>): CompareSummary {
  return summariseCompare(
    Object.values(state.runs),
    DEFAULT_TARGET_ACCURACY,
    state.plans.map((p) => p.model),
  );
}

/** A number shown in a table cell, with the summary field it comes from (a path in CompareModelSummary). */
/** Cells of models without g(a, b) carry no saddle fields (their summary's `saddle` is null). */
export interface FieldValue {
  field: string;
  /** JSON.stringify of the value: full precision, and "null" for a missing or non-finite one, as JSON writes NaN. */
  value: string;
}

export interface TableCell {
  column: ColumnId;
  text: string;
  title?: string;
  values: FieldValue[];
}

export interface TableRow {
  model: string;
  label: string;
  cells: TableCell[];
}

export type ColumnId = 'acc' | 'speed' | 'params' | 'saddle' | 'null' | 'split' | 'bootstrap' | 'ratio';

export interface Column {
  id: ColumnId;
  title: string;
  /** Plain words for the column's "?" (only where the number needs explaining). */
  help?: string;
}

export function tableColumns(targetAccuracy: number): Column[] {
  const target = `${Math.round(targetAccuracy * 100)}%`;
  return [
    { id: 'acc', title: 'Test accuracy' },
    {
      id: 'speed',
      title: `Steps to ${target}`,
      help: `Learning speed: the first step at which a run's test accuracy reached ${target}, mean ± sd over the runs that got there (how many did is in brackets).`,
    },
    { id: 'params', title: 'Parameters' },
    {
      id: 'saddle',
      title: 'Saddle rate, learned',
      help: 'How many runs ended with a saddle-shaped g (a soft XOR or XNOR), with a 95% Wilson interval: the range of true rates these few seeds are consistent with.',
    },
    {
      id: 'null',
      title: 'Saddle rate at step 0',
      help: 'The null rate: the same seeds’ g before training. A random smooth g is often a saddle by chance (about half of them on the xor preset), so a learned rate means something only if it is clearly above this one.',
    },
    { id: 'split', title: 'XOR / XNOR' },
    {
      id: 'bootstrap',
      title: 'Verdicts',
      help: 'Each run’s verdict is re-checked on resampled data. Decided: the whole 95% interval of the Hessian’s determinant is on one side of 0. Undecided: it straddles 0, so the data cannot tell a saddle from not a saddle; more steps or data may settle it.',
    },
    {
      id: 'ratio',
      title: 'l=2 / l=1 power',
      help: 'Median over runs of the quadrupole (the XOR harmonic) over the dipole (a plain slope) of g around the data, now and at step 0. Above 1: g is more saddle than slope.',
    },
  ];
}

function valueOf(v: number | null): string {
  return JSON.stringify(v !== null && Number.isFinite(v) ? v : null);
}

const field = (name: string, v: number | null): FieldValue => ({ field: name, value: valueOf(v) });

/** 0.9731 -> "97.3%"; a missing value -> "—". */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}

/** "97.3% ± 1.2" (the sd in percentage points). */
export function meanSdPct(m: MeanSd): string {
  if (!Number.isFinite(m.mean)) return '—';
  return `${pct(m.mean)} ± ${Number.isFinite(m.sd) ? (m.sd * 100).toFixed(1) : '—'}`;
}

/** "3/4 (30–95%)": k of n with the 95% Wilson interval in whole percent; "—" without runs. */
export function rateText(r: Rate): string {
  if (r.n === 0) return '—';
  return `${r.k}/${r.n} (${Math.round(r.lo * 100)}–${Math.round(r.hi * 100)}%)`;
}

function rateFields(prefix: string, r: Rate): FieldValue[] {
  return (['rate', 'k', 'n', 'lo', 'hi'] as const).map((k) => field(`${prefix}.${k}`, r[k]));
}

const ratio = (x: number) => (Number.isFinite(x) ? compact(x) : '—');

/** One table row per model: the cells' words and the numbers behind them. */
export function tableRow(m: CompareModelSummary, targetAccuracy: number): TableRow {
  const s = m.saddle;
  const alive = m.runs - m.diverged;
  const divergedNote = m.diverged > 0 ? ` (${m.diverged} diverged)` : '';
  const cells: TableCell[] = [
    {
      column: 'acc',
      text: `${meanSdPct(m.testAcc)}${divergedNote}`,
      title: `Mean ± sd of the final test accuracy over ${m.testAcc.n} run${m.testAcc.n === 1 ? '' : 's'}`,
      values: [field('testAcc.mean', m.testAcc.mean), field('testAcc.sd', m.testAcc.sd), field('testAcc.n', m.testAcc.n)],
    },
    {
      column: 'speed',
      text:
        m.reachedTarget > 0
          ? `${Math.round(m.stepsToTarget.mean)} ± ${Math.round(m.stepsToTarget.sd)} (${m.reachedTarget}/${alive})`
          : `not yet (0/${alive})`,
      title: `${m.reachedTarget} of ${alive} runs reached ${Math.round(targetAccuracy * 100)}% test accuracy`,
      values: [
        field('stepsToTarget.mean', m.stepsToTarget.mean),
        field('stepsToTarget.sd', m.stepsToTarget.sd),
        field('reachedTarget', m.reachedTarget),
      ],
    },
    {
      column: 'params',
      text: m.paramTotal === null ? '…' : `${grouped(m.paramTotal)}${m.hidden.length ? ` (${m.hidden.join('-')})` : ''}`,
      title: 'Parameters of the model built, and its hidden widths',
      values: [field('paramTotal', m.paramTotal)],
    },
    {
      column: 'saddle',
      text: s ? rateText(s.learned) : 'no g(a, b)',
      values: s ? rateFields('saddle.learned', s.learned) : [],
    },
    {
      column: 'null',
      text: s ? rateText(s.initial) : '',
      values: s ? rateFields('saddle.initial', s.initial) : [],
    },
    {
      column: 'split',
      text: s ? `${s.learnedXor} / ${s.learnedXnor}` : '',
      values: s ? [field('saddle.learnedXor', s.learnedXor), field('saddle.learnedXnor', s.learnedXnor)] : [],
    },
    {
      column: 'bootstrap',
      text: s
        ? `${s.bootstrap.saddle + s.bootstrap.notSaddle} decided · ${s.bootstrap.undecided} undecided${s.bootstrap.pending ? ` · ${s.bootstrap.pending} pending` : ''}`
        : '',
      title: s
        ? `saddle ${s.bootstrap.saddle}, not a saddle ${s.bootstrap.notSaddle}, undecided ${s.bootstrap.undecided}, not computed yet ${s.bootstrap.pending}`
        : undefined,
      values: s
        ? (['saddle', 'notSaddle', 'undecided', 'pending'] as const).map((k) => field(`saddle.bootstrap.${k}`, s.bootstrap[k]))
        : [],
    },
    {
      column: 'ratio',
      text: s ? `${ratio(s.quadrupoleRatio)} (step 0: ${ratio(s.quadrupoleRatioInitial)})` : '',
      values: s
        ? [field('saddle.quadrupoleRatio', s.quadrupoleRatio), field('saddle.quadrupoleRatioInitial', s.quadrupoleRatioInitial)]
        : [],
    },
  ];
  return { model: m.model, label: modelLabel(m.model), cells };
}

export function tableRows(summary: CompareSummary): TableRow[] {
  return summary.models.map((m) => tableRow(m, summary.targetAccuracy));
}

// ---------- the curves' hover read-out ----------

/** Short model names for the crowded read-out. */
const SHORT_NAMES: Record<string, string> = { twoArg: 'g(a, b)', oneArg: 'g(x)', relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid' };

/**
 * The read-out at one step: per model the mean ± sd, then every seed's own value (a seed
 * missing this step shows "—").
 */
export function bandReadout(bands: readonly ModelBand[], step: number, key: BandKey): string[] {
  const acc = key.endsWith('Acc');
  const f = (x: number) => (acc ? pct(x) : sig4(x));
  const lines = [`step ${step}`];
  for (const b of bands) {
    const p = b.points.find((q) => q.step === step);
    if (!p) continue;
    const sd = acc ? `${Number.isFinite(p.sd) ? (p.sd * 100).toFixed(1) : '—'} pts` : sig4(p.sd);
    lines.push(`${SHORT_NAMES[b.model] ?? b.model}: ${f(p.mean)} ± ${sd}`);
    const seeds = b.runs.map((r) => {
      const q = nearestByStep(r.history, step);
      return `s${r.seed} ${q && q.step === step ? f(q[key]) : '—'}`;
    });
    lines.push(`   ${seeds.join('  ')}`);
  }
  return lines;
}
