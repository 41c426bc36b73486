/**
 * summary.json: the sweep's report plus, per run, what the Experiments page draws (g's weights
 * at the best test accuracy and its verdicts), so the page needs no run files. Pure.
 */
import { summariseSweep, type SweepSummary } from './report';
import type { RunResult } from './runPlan';

export const SUMMARY_FORMAT = 'soft-xor-sweep-summary';

export interface SummaryRun {
  id: string;
  model: string;
  seed: number;
  finalTestAcc: number;
  verdictInitial: string | null;
  verdictBest: string | null;
  hessianDetBest: number | null;
  /** g's shape, to evaluate gWeights on a grid: 2 -> inner... -> 1 with innerAct between. */
  inner: number[];
  innerAct: string;
  gWeights: number[][] | null;
}

export interface SummaryFile {
  format: typeof SUMMARY_FORMAT;
  version: 1;
  sweep: string;
  /** How to reproduce it. */
  command: string;
  summary: SweepSummary;
  runs: SummaryRun[];
}

export function buildSummaryFile(results: readonly RunResult[]): SummaryFile {
  const sweep = results[0]?.sweep ?? '';
  const sorted = [...results].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    format: SUMMARY_FORMAT,
    version: 1,
    sweep,
    command: `npm run experiment -- experiments/${sweep}.json && npm run experiment:report -- results/${sweep}`,
    summary: summariseSweep(sweep, sorted),
    runs: sorted.map((r) => ({
      id: r.id,
      model: r.model,
      seed: r.seed,
      finalTestAcc: r.metrics[r.metrics.length - 1].testAcc,
      verdictInitial: r.shapeInitial?.verdict ?? null,
      verdictBest: r.shapeBest?.verdict ?? null,
      hessianDetBest: r.shapeBest?.hessianDet ?? null,
      inner: r.params.inner,
      innerAct: r.params.innerAct,
      gWeights: r.gWeights,
    })),
  };
}
