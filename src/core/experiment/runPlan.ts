/**
 * Runs one planned experiment run headless on an engine (engines.ts): build (Session I included), train to the budget
 * with metrics after every epoch (or every evalEvery steps), keep the paper's shape analysis of
 * g at step 0 and at the best test accuracy, and test robustness at the end if asked. The same
 * core as the playground; the result is plain JSON with no timings, so reruns and shards give
 * byte-identical files.
 */
import type { ModelConfig } from '../config';
import { paperShape, PAPER_GRID, type PaperShape } from '../analysis/paperShape';
import { specFromParams } from '../spec';
import { robustnessCurve } from '../robustness/attacks';
import type { EngineFactory, EngineRun } from './engines';
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

async function analyse(run: EngineRun, inputSize: number, testX: Float32Array, allLayers: boolean): Promise<PaperShape | null> {
  if (!run.hasG2) return null;
  const inputs = testX.subarray(0, Math.min(testX.length, ANALYSIS_EXAMPLES * inputSize));
  const [g, args] = await Promise.all([run.gOnGrid(PAPER_GRID), run.argumentsFor(inputs)]);
  return paperShape(g, allLayers ? args : args.slice(0, 1));
}

async function robustness(run: EngineRun, data: RunData, plan: RobustnessPlan, seed: number): Promise<RunResult['robustness']> {
  const { target, release } = run.attackTarget(ATTACK_BATCH);
  try {
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
  } finally {
    release();
  }
}

const readInner = async (run: EngineRun) => (await run.innerWeights()).map((w) => Array.from(w));

/** Trains one run to the sweep's budget on `engine`. `onProgress` counts training steps. */
export async function executeRun(
  sweep: Sweep,
  plan: RunPlan,
  data: RunData,
  engine: EngineFactory,
  onProgress?: RunProgress,
): Promise<RunResult> {
  const p = plan.params;
  const d = data.training.inputSize;
  const spec = specFromParams(p, d, data.outputSize, data.head);
  const run = await engine(spec, data.training);
  try {
    const nTrain = data.training.trainY.length;
    const stepsPerEpoch = Math.ceil(nTrain / Math.min(p.batch, nTrain));
    const total = sweep.epochs !== undefined ? sweep.epochs * stepsPerEpoch : sweep.steps!;
    const every = sweep.epochs !== undefined ? stepsPerEpoch * (sweep.evalEvery ?? 1) : (sweep.evalEvery ?? total);
    const record = async (): Promise<EpochMetrics> => {
      const m = await run.evaluate();
      return { epoch: run.epoch, step: run.step, trainLoss: m.trainLoss, testLoss: m.testLoss, trainAcc: m.trainAcc, testAcc: m.testAcc };
    };
    const metrics: EpochMetrics[] = [await record()];
    const initial = await analyse(run, d, data.training.testX, sweep.allLayers);
    const hasInner = (await run.innerWeights()).length > 0;
    let best = 0;
    let bestShape = initial;
    let bestG = hasInner ? await readInner(run) : null;
    while (run.step < total) {
      await run.trainSteps(Math.min(every, total - run.step));
      onProgress?.(run.step, total);
      metrics.push(await record());
      const last = metrics.length - 1;
      // The paper analyses g at the best validation accuracy; a tie keeps the earlier g.
      if (metrics[last].testAcc > metrics[best].testAcc) {
        best = last;
        bestShape = await analyse(run, d, data.training.testX, sweep.allLayers);
        bestG = hasInner ? await readInner(run) : null;
      }
    }
    return {
      id: plan.id,
      sweep: sweep.name,
      model: plan.model,
      seed: plan.seed,
      params: p,
      hidden: run.hiddenUnits,
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
