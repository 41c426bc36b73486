/**
 * Runs one planned experiment run headless: build (Session I included), train to the budget
 * with metrics after every epoch (or every evalEvery steps), keep the paper's shape analysis of
 * g at step 0 and at the best test accuracy, and test robustness at the end if asked. The same
 * core as the playground; the result is plain JSON with no timings, so reruns and shards give
 * byte-identical files.
 */
import type { ModelConfig } from '../config';
import { collectArguments, evaluateInnerOnGrid } from '../inspect';
import { paperShape, PAPER_GRID, type PaperShape } from '../analysis/paperShape';
import { Run, specFromParams } from '../run';
import { robustnessCurve } from '../robustness/attacks';
import { tfjsAttackTarget } from '../robustness/tfjsTarget';
import type { TrainingData } from '../train/trainer';
import type { RobustnessPlan, RunPlan, Sweep } from './sweep';
import type { RunResultFile } from './resultSchema';

/** Test examples whose arguments make the density (all of digits' 297; bounded for big sets). */
export const ANALYSIS_EXAMPLES = 1000;
const ATTACK_BATCH = 100;

export interface RunData {
  training: TrainingData;
  outputSize: number;
  head: ModelConfig['head'];
  /** Valid input range, for clipping attacks (image pixels live in [-1, 1]). */
  clip: [number, number] | null;
}

/** A run's result file: the type is the schema's, so what is written is what is read back. */
export type RunResult = RunResultFile;
export type EpochMetrics = RunResult['metrics'][number];
export type ShapeSummary = NonNullable<RunResult['shapeInitial']>;

export interface RunProgress {
  (done: number, total: number): void;
}

function summary(step: number, s: PaperShape): ShapeSummary {
  return {
    step,
    verdict: s.verdict,
    hessianDet: s.hessianDet,
    coefficients: [...s.fit.c],
    cosine: s.fit.cosine,
    mse: s.fit.mse,
    maskArea: s.maskArea,
    spectra: s.spectra,
  };
}

async function analyse(run: Run, testX: Float32Array, allLayers: boolean): Promise<PaperShape | null> {
  const net = run.net;
  if (net.perUnit !== 2 || net.inner.length === 0) return null;
  const inputs = testX.subarray(0, Math.min(testX.length, ANALYSIS_EXAMPLES * net.config.inputSize));
  const [g, args] = await Promise.all([evaluateInnerOnGrid(net.inner[0], PAPER_GRID), collectArguments(net, inputs)]);
  return paperShape(g, allLayers ? args : args.slice(0, 1));
}

async function robustness(run: Run, data: RunData, plan: RobustnessPlan, seed: number): Promise<RunResult['robustness']> {
  const target = tfjsAttackTarget(run.net, data.head, ATTACK_BATCH);
  const out: RunResult['robustness'] = [];
  for (const kind of plan.kinds) {
    const sizes = plan.sizes[kind]!; // the schema requires sizes for every kind listed
    const result = await robustnessCurve(target, kind, sizes, data.training.testX, data.training.testY, {
      steps: plan.pgdSteps,
      limit: plan.limit,
      clip: data.clip,
      seed,
    });
    out.push({ kind, result });
  }
  return out;
}

/** Trains one run to the sweep's budget. `onProgress` counts training steps. */
export async function executeRun(sweep: Sweep, plan: RunPlan, data: RunData, onProgress?: RunProgress): Promise<RunResult> {
  const p = plan.params;
  const spec = specFromParams(p, data.training.inputSize, data.outputSize, data.head);
  const run = await Run.create(spec, data.training);
  try {
    const nTrain = data.training.trainY.length;
    const stepsPerEpoch = Math.ceil(nTrain / Math.min(p.batch, nTrain));
    const total = sweep.epochs !== undefined ? sweep.epochs * stepsPerEpoch : sweep.steps!;
    const every = sweep.epochs !== undefined ? stepsPerEpoch * (sweep.evalEvery ?? 1) : (sweep.evalEvery ?? total);
    const record = async (): Promise<EpochMetrics> => {
      const m = await run.evaluate();
      return { epoch: run.trainer.epoch, step: run.trainer.step, trainLoss: m.trainLoss, testLoss: m.testLoss, trainAcc: m.trainAcc, testAcc: m.testAcc };
    };
    const metrics: EpochMetrics[] = [await record()];
    const initial = await analyse(run, data.training.testX, sweep.allLayers);
    let best = 0;
    let bestShape = initial;
    let bestG = run.net.inner.length > 0 ? await readInner(run) : null;
    while (run.trainer.step < total) {
      const n = Math.min(every, total - run.trainer.step);
      const loss = run.trainer.trainSteps(n);
      await loss.data();
      loss.dispose();
      onProgress?.(run.trainer.step, total);
      metrics.push(await record());
      const last = metrics.length - 1;
      // The paper analyses g at the best validation accuracy; a tie keeps the earlier g.
      if (metrics[last].testAcc > metrics[best].testAcc) {
        best = last;
        bestShape = await analyse(run, data.training.testX, sweep.allLayers);
        bestG = run.net.inner.length > 0 ? await readInner(run) : null;
      }
    }
    return {
      id: plan.id,
      sweep: sweep.name,
      model: plan.model,
      seed: plan.seed,
      params: p,
      hidden: run.net.hiddenUnits,
      paramCount: run.paramCount.total,
      metrics,
      best,
      shapeInitial: initial ? summary(0, initial) : null,
      shapeBest: bestShape ? summary(metrics[best].step, bestShape) : null,
      gWeights: bestG,
      robustness: sweep.robustness ? await robustness(run, data, sweep.robustness, plan.seed) : [],
    };
  } finally {
    run.dispose();
  }
}

async function readInner(run: Run): Promise<number[][]> {
  return Promise.all(run.net.innerVariables().map(async (v) => Array.from((await v.data()) as Float32Array)));
}
