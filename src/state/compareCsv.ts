/**
 * A comparison as CSV: one file per table, each a plain rectangle with one header row.
 *
 * Why separate files and not one CSV with a "table" column: a spreadsheet opens a CSV as one
 * sheet and expects every column to mean one thing; stacking tables with different columns
 * under one header makes every column mean several things, and sorting, filtering or a pivot
 * table then mixes them up. So each table is its own download (metrics, runs, summary and,
 * when computed, robustness), in long format ("one row per run and step") so a pivot table or
 * pandas groups by model or seed directly. Written from the comparison file itself, so the CSV
 * and the JSON always hold the same numbers. Full precision; an empty cell where a value is
 * not a number.
 */
import type { ComparisonFile, CompareFileRun } from './compareFile';

export type CompareCsvName = 'metrics' | 'runs' | 'summary' | 'robustness';

export interface CompareCsvTable {
  name: CompareCsvName;
  csv: string;
  /** Data rows (the header not counted). */
  rows: number;
}

export const METRICS_HEADER = 'runId,model,seed,step,epoch,trainLoss,testLoss,trainAcc,testAcc';
export const RUNS_HEADER =
  'runId,model,seed,seedIndex,step,status,diverged,paramTotal,hidden,testAcc,verdict,hessianDet,relativeDet,l2OverL1,' +
  'bootstrapVerdict,bootstrapStep,relativeDetLo,relativeDetHi,hessianDetLo,hessianDetHi,resamples,verdictStep0,hessianDetStep0,relativeDetStep0,l2OverL1Step0';
export const SUMMARY_HEADER =
  'model,runs,diverged,step,paramTotal,hidden,testAccMean,testAccSd,testAccN,trainLossMean,trainLossSd,testLossMean,testLossSd,' +
  'targetAccuracy,reachedTarget,stepsToTargetMean,stepsToTargetSd,saddleLearnedK,saddleLearnedN,saddleLearnedRate,saddleLearnedLo,saddleLearnedHi,' +
  'saddleStep0K,saddleStep0N,saddleStep0Rate,saddleStep0Lo,saddleStep0Hi,learnedXor,learnedXnor,bootstrapSaddle,bootstrapNotSaddle,bootstrapUndecided,bootstrapPending,' +
  'l2OverL1Median,l2OverL1MedianStep0';
export const ROBUSTNESS_HEADER = 'runId,model,seed,kind,size,accuracy,examples,diverged,reason';

type Cell = number | string | boolean | null | undefined;

/** One CSV cell: numbers in full, non-numbers empty, text quoted when it must be (RFC 4180). */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // A leading = + - @ would make a spreadsheet run the cell as a formula: keep it text.
  const text = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function table(name: CompareCsvName, header: string, rows: Cell[][]): CompareCsvTable {
  return { name, rows: rows.length, csv: [header, ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n' };
}

const ratio = (spectrum: readonly (number | null)[] | undefined): number | null => {
  const l1 = spectrum?.[1];
  const l2 = spectrum?.[2];
  return typeof l1 === 'number' && typeof l2 === 'number' && l1 > 0 ? l2 / l1 : null;
};

function runRow(r: CompareFileRun): Cell[] {
  const last = r.history.testAcc.length - 1;
  const b = r.bootstrap;
  return [
    r.runId,
    r.model,
    r.seed,
    r.seedIndex,
    r.step,
    r.status,
    r.diverged,
    r.paramTotal,
    r.hidden.join(' '),
    last >= 0 ? r.history.testAcc[last] : null,
    r.analysis?.verdict,
    r.analysis?.hessianDet,
    r.analysis?.relativeDet,
    ratio(r.analysis?.spectrum),
    b?.verdict,
    b?.step,
    b?.relativeDet.lo,
    b?.relativeDet.hi,
    b?.hessianDet.lo,
    b?.hessianDet.hi,
    b?.resamples,
    r.analysisInit?.verdict,
    r.analysisInit?.hessianDet,
    r.analysisInit?.relativeDet,
    ratio(r.analysisInit?.spectrum),
  ];
}

/** The tables of a comparison file; robustness only when some run has curves. */
export function comparisonCsvTables(file: ComparisonFile): CompareCsvTable[] {
  const metrics: Cell[][] = [];
  for (const r of file.runs) {
    const h = r.history;
    for (let i = 0; i < h.step.length; i++) {
      metrics.push([r.runId, r.model, r.seed, h.step[i], h.epoch[i], h.trainLoss[i], h.testLoss[i], h.trainAcc[i], h.testAcc[i]]);
    }
  }
  const target = file.summary.targetAccuracy;
  const summary = file.summary.models.map((m): Cell[] => {
    const s = m.saddle;
    return [
      m.model,
      m.runs,
      m.diverged,
      m.step,
      m.paramTotal,
      m.hidden.join(' '),
      m.testAcc.mean,
      m.testAcc.sd,
      m.testAcc.n,
      m.trainLoss.mean,
      m.trainLoss.sd,
      m.testLoss.mean,
      m.testLoss.sd,
      target,
      m.reachedTarget,
      m.stepsToTarget.mean,
      m.stepsToTarget.sd,
      s?.learned.k,
      s?.learned.n,
      s?.learned.rate,
      s?.learned.lo,
      s?.learned.hi,
      s?.initial.k,
      s?.initial.n,
      s?.initial.rate,
      s?.initial.lo,
      s?.initial.hi,
      s?.learnedXor,
      s?.learnedXnor,
      s?.bootstrap.saddle,
      s?.bootstrap.notSaddle,
      s?.bootstrap.undecided,
      s?.bootstrap.pending,
      s?.quadrupoleRatio,
      s?.quadrupoleRatioInitial,
    ];
  });
  const robustness: Cell[][] = [];
  for (const r of file.runs) {
    for (const c of r.robustness ?? []) {
      if (c.accuracy === null) robustness.push([r.runId, r.model, r.seed, c.kind, null, null, c.examples, true, c.reason]);
      else c.sizes.forEach((size, i) => robustness.push([r.runId, r.model, r.seed, c.kind, size, c.accuracy![i], c.examples, false, null]));
    }
  }
  const tables = [
    table('metrics', METRICS_HEADER, metrics),
    table('runs', RUNS_HEADER, file.runs.map(runRow)),
    table('summary', SUMMARY_HEADER, summary),
  ];
  if (robustness.length > 0) tables.push(table('robustness', ROBUSTNESS_HEADER, robustness));
  return tables;
}
