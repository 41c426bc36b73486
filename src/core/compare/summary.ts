/**
 * The summary table of compare mode, one row per model, computed from the runs alone so the
 * table on screen and the exported file are the same numbers (both call summariseCompare).
 *
 * The saddle rate of the learned g is shown next to the rate of the SAME seeds' g at step 0
 * (the null): on the default preset about half of untrained g already pass the saddle test, so
 * a learned rate means something only against that baseline. Both carry 95% Wilson intervals.
 */
import type { UncertainVerdict } from '../analysis/bootstrap';
import type { ShapeVerdict } from '../analysis/shape';
import { meanSd, median, rateOf, type MeanSd, type Rate } from '../stats/summary';
import type { CompareModel } from './plan';

/** One metrics point of a run's history (the fields the summary and the curves read). */
export interface CompareMetricPoint {
  step: number;
  trainLoss: number;
  testLoss: number;
  trainAcc: number;
  testAcc: number;
}

/** The read-out of g's shape the summary needs (a ShapeAnalysis has these). */
export interface ShapeReadout {
  verdict: ShapeVerdict;
  /** Power at l = 0, 1, 2, 3 on the density's RMS circle. */
  spectrum: readonly number[];
}

/** What the summary needs of one run (the page's record of a compare run satisfies it). */
export interface CompareRunResult {
  runId: string;
  model: CompareModel;
  seed: number;
  /** Steps trained (the same for every run in lockstep). */
  step: number;
  /** The run stopped on a non-finite loss: counted, but its numbers are left out. */
  diverged: boolean;
  /** Parameters of the model built (null until built). */
  paramTotal: number | null;
  hidden: readonly number[];
  history: readonly CompareMetricPoint[];
  /** g's shape now, and at step 0 of Session II (null without a two-argument g). */
  analysis: ShapeReadout | null;
  analysisInit: ShapeReadout | null;
  /** The bootstrap verdict now (null until first computed, or without g). */
  bootstrap: { verdict: UncertainVerdict } | null;
}

export interface CompareSaddleSummary {
  /** Runs whose learned g is a saddle (point verdict), and the same seeds' g at step 0. */
  learned: Rate;
  initial: Rate;
  learnedXor: number;
  learnedXnor: number;
  /** Bootstrap verdicts now: how many runs are decided either way and how many undecided. */
  bootstrap: { saddle: number; notSaddle: number; undecided: number; pending: number };
  /** Median over runs of the l=2 / l=1 power ratio (the XOR harmonic over the dipole). */
  quadrupoleRatio: number;
  quadrupoleRatioInitial: number;
}

export interface CompareModelSummary {
  model: CompareModel;
  runs: number;
  diverged: number;
  step: number;
  paramTotal: number | null;
  hidden: number[];
  testAcc: MeanSd;
  trainLoss: MeanSd;
  testLoss: MeanSd;
  /** Steps until the test accuracy first reached the target, over the runs that reached it. */
  stepsToTarget: MeanSd;
  /** How many runs reached the target accuracy. */
  reachedTarget: number;
  /** Null for models without a two-argument g. */
  saddle: CompareSaddleSummary | null;
}

export interface CompareSummary {
  targetAccuracy: number;
  models: CompareModelSummary[];
}

/** The target accuracy of the learning-speed column. */
export const DEFAULT_TARGET_ACCURACY = 0.9;

const isSaddle = (v: ShapeVerdict) => v !== 'not-saddle';

function quadrupoleRatio(a: ShapeReadout | null): number {
  if (!a) return NaN;
  const [, l1, l2] = a.spectrum;
  return l1 > 0 ? l2 / l1 : NaN;
}

/** The first step at which the test accuracy reached `target` (NaN if never). */
export function stepsToAccuracy(history: readonly CompareMetricPoint[], target: number): number {
  for (const p of history) if (p.testAcc >= target) return p.step;
  return NaN;
}

function saddleSummary(runs: readonly CompareRunResult[]): CompareSaddleSummary | null {
  const withG = runs.filter((r) => r.analysis !== null);
  if (withG.length === 0) return null;
  const learned = withG.map((r) => r.analysis!.verdict);
  const initialRuns = withG.filter((r) => r.analysisInit !== null);
  const boot = { saddle: 0, notSaddle: 0, undecided: 0, pending: 0 };
  for (const r of withG) {
    const v = r.bootstrap?.verdict;
    if (!v) boot.pending += 1;
    else if (v === 'undecided') boot.undecided += 1;
    else if (v === 'not-saddle') boot.notSaddle += 1;
    else boot.saddle += 1;
  }
  return {
    learned: rateOf(learned.filter(isSaddle).length, learned.length),
    initial: rateOf(initialRuns.filter((r) => isSaddle(r.analysisInit!.verdict)).length, initialRuns.length),
    learnedXor: learned.filter((v) => v === 'soft-xor').length,
    learnedXnor: learned.filter((v) => v === 'soft-xnor').length,
    bootstrap: boot,
    quadrupoleRatio: median(withG.map((r) => quadrupoleRatio(r.analysis)).filter(Number.isFinite)),
    quadrupoleRatioInitial: median(initialRuns.map((r) => quadrupoleRatio(r.analysisInit)).filter(Number.isFinite)),
  };
}

function modelSummary(model: CompareModel, unordered: readonly CompareRunResult[], target: number): CompareModelSummary {
  // By seed, so the sums behind every mean run in one order whatever order the records came in
  // (a store record filled as snapshots arrive, an imported file): the table on screen and the
  // exported one then agree to the last bit.
  const runs = [...unordered].sort((a, b) => a.seed - b.seed);
  const alive = runs.filter((r) => !r.diverged);
  const last = (r: CompareRunResult) => r.history[r.history.length - 1];
  const finals = alive.map(last).filter((p) => p !== undefined);
  const reached = alive.map((r) => stepsToAccuracy(r.history, target)).filter(Number.isFinite);
  const built = runs.find((r) => r.paramTotal !== null);
  return {
    model,
    runs: runs.length,
    diverged: runs.length - alive.length,
    // A diverged run stops where it diverged; the model has trained as far as its live runs have.
    step: Math.min(...(alive.length > 0 ? alive : runs).map((r) => r.step)),
    paramTotal: built?.paramTotal ?? null,
    hidden: built ? [...built.hidden] : [],
    testAcc: meanSd(finals.map((p) => p.testAcc)),
    trainLoss: meanSd(finals.map((p) => p.trainLoss)),
    testLoss: meanSd(finals.map((p) => p.testLoss)),
    stepsToTarget: meanSd(reached),
    reachedTarget: reached.length,
    saddle: saddleSummary(alive),
  };
}

/**
 * The table: one row per model, in `modelOrder` (the plan's order, `params.compare`) and then any
 * other model in the order it first appears among the runs. Pass the plan's order: runs kept in
 * a record keyed by id can arrive in any order, and the rows must not move when they do.
 */
export function summariseCompare(
  runs: readonly CompareRunResult[],
  targetAccuracy = DEFAULT_TARGET_ACCURACY,
  modelOrder: readonly CompareModel[] = [],
): CompareSummary {
  const present = new Set(runs.map((r) => r.model));
  const models = [...new Set([...modelOrder.filter((m) => present.has(m)), ...runs.map((r) => r.model)])];
  return {
    targetAccuracy,
    models: models.map((m) =>
      modelSummary(
        m,
        runs.filter((r) => r.model === m),
        targetAccuracy,
      ),
    ),
  };
}
