/**
 * One training run of the playground, assembled from Params: data, parameter-matched model,
 * Session I, trainer, checkpoints and the read-outs the views need. Pure core: the worker
 * (browser) and the experiment runner (Node) drive it the same way.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ShapeAnalysis } from './analysis/shape';
import { ARGUMENT_GRID, DENSITY_EXAMPLES, INPUT_GRID, g1dAxis, liveShape } from './liveView';
import { ConfigError, hasInnerNet } from './config';
import { generateDataset2D, type Dataset2D } from './data/datasets2d';
import { collectArguments, evaluateInner, evaluateInnerOnGrid, outputOnGrid } from './inspect';
import { Network } from './model/network';
import type { ParamCount } from './model/paramCount';
import { isGeneratedDataset, type Params } from './params';
import { pretrainInner } from './train/sessionOne';
import { Trainer, type Metrics, type TrainingData } from './train/trainer';
import type { RunSpec } from './spec';

export { specFromParams, type RunSpec } from './spec';

export { ARGUMENT_GRID, INPUT_GRID, DENSITY_EXAMPLES } from './liveView';

export function trainingDataFrom2D(d: Dataset2D): TrainingData {
  return { inputSize: 2, trainX: d.trainX, trainY: d.trainY, testX: d.testX, testY: d.testY };
}

/** The generated 2D data set the params describe (custom and image data are built elsewhere). */
export function datasetFromParams(p: Params): Dataset2D {
  if (!isGeneratedDataset(p.dataset)) throw new ConfigError('dataset', `"${p.dataset}" is not a generated 2D data set`);
  return generateDataset2D(p.dataset, { n: p.n, noise: p.noise, trainFraction: p.train, seed: p.seed });
}

export interface Inspection {
  g: Float32Array | null;
  g1d: { xs: Float32Array; ys: Float32Array } | null;
  density: { all: Float32Array; perLayer: Float32Array[]; mask: Uint8Array } | null;
  analysis: ShapeAnalysis | null;
  decision: Float32Array | null;
}

/** Reports building progress (Session I can take seconds on slow backends). */
export type BuildProgress = (stage: 'sessionOne', done: number, total: number) => void | Promise<void>;

export class Run {
  readonly net: Network;
  readonly trainer: Trainer;
  /** g right after Session I (or Xavier init): what the network started from. */
  gInit: Float32Array | null = null;
  sessionOneMse: number | null = null;
  /** 2 until startSessionThree, then 3. */
  session: 2 | 3 = 2;
  private checkpointValues: tf.Tensor[] | null = null;
  private readonly densityX: Float32Array;

  private constructor(
    readonly spec: RunSpec,
    readonly data: TrainingData,
  ) {
    this.net = new Network(spec.model, spec.seed);
    try {
      this.trainer = new Trainer(this.net, data, spec.train, spec.seed);
    } catch (e) {
      this.net.dispose();
      throw e;
    }
    const n = Math.min(DENSITY_EXAMPLES, data.trainY.length);
    this.densityX = data.trainX.slice(0, n * data.inputSize);
  }

  /** Builds the network, runs Session I (if asked and the model has g) and records g's start. */
  static async create(spec: RunSpec, data: TrainingData, onProgress?: BuildProgress): Promise<Run> {
    const run = new Run(spec, data);
    try {
      if (spec.pretrainSteps > 0 && run.net.inner.length > 0) {
        const copies = run.net.inner.length;
        for (const [i, inner] of run.net.inner.entries()) {
          // Each g of a per-layer model gets its own random target.
          run.sessionOneMse = await pretrainInner(inner, spec.seed + i, {
            steps: spec.pretrainSteps,
            schedule: spec.sessionOne,
            onProgress: (done, total) => onProgress?.('sessionOne', i * total + done, copies * total),
          });
        }
      }
      if (run.net.perUnit === 2 && run.net.inner.length > 0) {
        run.gInit = await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID);
      }
      run.saveCheckpoint();
      return run;
    } catch (e) {
      run.dispose();
      throw e;
    }
  }

  get paramCount(): ParamCount {
    return this.net.paramCount();
  }

  /** Keeps a copy of every weight (the last known-good state after a divergence). */
  saveCheckpoint(): void {
    this.disposeCheckpoint();
    this.checkpointValues = this.net.variables().map((v) => tf.keep(tf.clone(v)));
  }

  /** Restores the last checkpoint and drops the optimizer state (which may hold NaN too). */
  restoreCheckpoint(): void {
    if (!this.checkpointValues) return;
    const values = this.checkpointValues;
    this.net.variables().forEach((v, i) => v.assign(values[i]));
    this.trainer.resetOptimizer();
  }

  private disposeCheckpoint(): void {
    for (const t of this.checkpointValues ?? []) t.dispose();
    this.checkpointValues = null;
  }

  /** Session III: freeze g, re-initialise the outer weights, retrain them with the learned g. */
  startSessionThree(): void {
    if (this.net.inner.length === 0) throw new Error('Session III needs a learned activation (twoArg or oneArg)');
    this.net.reinitializeOuter(this.spec.seed);
    this.trainer.setInnerTrainable(false);
    this.session = 3;
    this.saveCheckpoint();
  }

  evaluate(options: { testPredictions?: boolean } = {}): Promise<Metrics & { testPredictions?: Int32Array }> {
    return this.trainer.evaluate(options);
  }

  /** Everything the views show about the current weights. */
  async inspect(options: { decision: boolean }): Promise<Inspection> {
    const net = this.net;
    const learned = hasInnerNet(net.config.kind) && net.inner.length > 0;
    const [g, g1d, args, decision] = await Promise.all([
      learned && net.perUnit === 2 ? evaluateInnerOnGrid(net.inner[0], ARGUMENT_GRID) : Promise.resolve(null),
      learned && net.perUnit === 1 ? this.innerCurve() : Promise.resolve(null),
      net.perUnit === 2 && learned ? collectArguments(net, this.densityX) : Promise.resolve(null),
      options.decision && net.config.inputSize === 2 ? outputOnGrid(net, INPUT_GRID) : Promise.resolve(null),
    ]);
    const shape = args && g ? liveShape(args, g) : null;
    return { g, g1d, density: shape?.density ?? null, analysis: shape?.analysis ?? null, decision };
  }

  private async innerCurve(): Promise<{ xs: Float32Array; ys: Float32Array }> {
    const xs = g1dAxis();
    return { xs, ys: await evaluateInner(this.net.inner[0], xs) };
  }

  dispose(): void {
    this.disposeCheckpoint();
    this.trainer.dispose();
    this.net.dispose();
  }
}
