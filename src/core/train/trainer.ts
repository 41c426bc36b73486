/**
 * Trains a Network on in-memory data: seeded batch order and dropout masks, fixed tensor
 * shapes, every step inside tf.tidy, and no synchronous reads (results come back as kept
 * scalars or via `await data()`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { validateTrainConfig, type Head, type TrainConfig } from '../config';
import { Rng } from '../rng';
import { BatchOrder, type TrainStreams } from './batchOrder';
import { headAccuracy, headLoss } from '../model/loss';
import type { Network } from '../model/network';
import { Optimizer, type OptimizerState } from '../model/optimizer';

export interface TrainingData {
  inputSize: number;
  /** Row-major [n, inputSize]. */
  trainX: Float32Array;
  /** Labels 0/1 (binary), class indices (multiclass) or values (regression). */
  trainY: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
}

export interface Metrics {
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testAcc: number;
}

/** Evaluation uses at most this many examples per split, so metrics cost a bounded amount. */
export const EVAL_LIMIT = 2048;

interface Split {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
  n: number;
}

function upload(x: Float32Array, y: Float32Array, inputSize: number, limit = Infinity): Split {
  const n = Math.min(y.length, limit);
  return {
    x: tf.tensor2d(x.subarray(0, n * inputSize), [n, inputSize]),
    y: tf.tensor1d(y.subarray(0, n)),
    n,
  };
}

export class Trainer {
  private train: Split;
  private evalTrain: Split;
  private evalTest: Split | null;
  private settings: TrainConfig;
  private optimizer: Optimizer;
  private readonly batches: BatchOrder;
  private readonly dropoutRng: Rng;
  /** Whether g is trained (Sessions I-II) or frozen (Session III). */
  private trainInner = true;
  step = 0;

  constructor(
    readonly net: Network,
    data: TrainingData,
    settings: TrainConfig,
    seed: number,
  ) {
    this.settings = validateTrainConfig(settings);
    if (data.trainY.length < 1) throw new Error('training data is empty');
    this.train = upload(data.trainX, data.trainY, data.inputSize);
    this.evalTrain = this.train.n <= EVAL_LIMIT ? this.train : upload(data.trainX, data.trainY, data.inputSize, EVAL_LIMIT);
    this.evalTest = data.testY.length > 0 ? upload(data.testX, data.testY, data.inputSize, EVAL_LIMIT) : null;
    this.batches = new BatchOrder(seed, this.train.n);
    this.dropoutRng = Rng.derive(seed, 'dropout');
    this.optimizer = new Optimizer(this.settings.optimizer, this.trainableVariables());
  }

  /** Completed passes over the training set. */
  get epoch(): number {
    return this.batches.epoch;
  }

  get head(): Head {
    return this.net.config.head;
  }

  /** The batch size actually used: the setting, capped at the training set size. */
  get batchSize(): number {
    return Math.min(this.settings.batchSize, this.train.n);
  }

  get trainSize(): number {
    return this.train.n;
  }

  private trainableVariables(): tf.Variable[] {
    return this.trainInner ? this.net.variables() : this.net.outerVariables();
  }

  /**
   * Changes the training settings in place. A new optimizer (old one disposed) only when its
   * kind changes; the learning rate, momentum, batch size and L2 apply from the next step.
   */
  updateSettings(settings: TrainConfig): void {
    const next = validateTrainConfig(settings);
    if (next.optimizer !== this.settings.optimizer) this.resetOptimizer(next.optimizer);
    this.settings = next;
  }

  get currentSettings(): TrainConfig {
    return { ...this.settings };
  }

  /** Drops the optimizer state (after a divergence, a backend switch, or Session III). */
  resetOptimizer(name = this.settings.optimizer): void {
    this.optimizer.dispose();
    this.optimizer = new Optimizer(name, this.trainableVariables());
  }

  exportOptimizerState(): Promise<OptimizerState> {
    return this.optimizer.exportState();
  }

  /** Loads a state from exportOptimizerState of a run with the same model, session and optimizer. */
  importOptimizerState(state: OptimizerState): void {
    this.optimizer.importState(state);
  }

  /** Session III: freeze g (or unfreeze it) for the following steps. */
  setInnerTrainable(trainable: boolean): void {
    if (trainable === this.trainInner) return;
    this.trainInner = trainable;
    this.resetOptimizer();
  }

  private nextBatchIndices(): Int32Array {
    // A copy: the tensor made from it may keep the array it was given.
    return this.batches.take(this.batchSize).slice();
  }

  /** Where the batch order and the dropout masks stand (a checkpoint carries it). */
  exportStreams(): TrainStreams {
    return { batches: this.batches.exportState(), dropout: this.dropoutRng.getState() };
  }

  /** Continues the streams of a run on the same data and seed from where exportStreams left them. */
  importStreams(streams: TrainStreams): void {
    this.batches.importState(streams.batches);
    this.dropoutRng.setState(streams.dropout);
  }

  private dropoutMasks(batch: number): tf.Tensor2D[] | undefined {
    const rate = this.net.config.dropout;
    if (rate <= 0) return undefined;
    const keep = 1 - rate;
    return this.net.hiddenUnits.map((units) => {
      const mask = new Float32Array(batch * units);
      for (let i = 0; i < mask.length; i++) mask[i] = this.dropoutRng.next() < keep ? 1 / keep : 0;
      return tf.tensor2d(mask, [batch, units]);
    });
  }

  /** The training loss of one batch plus the L2 penalty. */
  private objective(x: tf.Tensor2D, y: tf.Tensor1D, masks: tf.Tensor2D[] | undefined): tf.Scalar {
    const { logits } = this.net.forward(x, { dropoutMasks: masks });
    let loss = headLoss(this.head, logits, y);
    if (this.settings.l2 > 0) {
      const penalty = tf.addN(this.net.weightMatrices(this.trainInner).map((w) => tf.sum(tf.square(w))));
      loss = tf.add(loss, tf.mul(penalty, this.settings.l2 / 2));
    }
    return loss;
  }

  /**
   * Runs `steps` optimisation steps and returns the last batch loss as a kept scalar (the
   * caller reads it with `await loss.data()` and disposes it).
   */
  trainSteps(steps: number): tf.Scalar {
    let last: tf.Scalar | null = null;
    for (let s = 0; s < steps; s++) {
      last?.dispose();
      last = tf.tidy(() => {
        const idx = tf.tensor1d(this.nextBatchIndices(), 'int32');
        const x = tf.gather<tf.Tensor2D>(this.train.x, idx);
        const y = tf.gather<tf.Tensor1D>(this.train.y, idx);
        const masks = this.dropoutMasks(idx.shape[0]);
        const vars = this.trainableVariables();
        const { value, grads } = tf.variableGrads(() => this.objective(x, y, masks), vars);
        this.optimizer.apply(
          vars.map((v) => grads[v.name]),
          this.settings.learningRate,
          this.settings.momentum,
        );
        return value;
      });
      this.step += 1;
    }
    return last ?? tf.scalar(NaN);
  }

  /** How many test examples evaluate() looks at (the first ones, at most EVAL_LIMIT). */
  get evalTestSize(): number {
    return this.evalTest?.n ?? 0;
  }

  /**
   * Loss and accuracy on (a bounded subset of) the training and test sets. With
   * `testPredictions` (multi-class heads), also the predicted class of each of the first
   * evalTestSize test examples, from the same forward pass and the same single read.
   */
  async evaluate(options: { testPredictions?: boolean } = {}): Promise<Metrics & { testPredictions?: Int32Array }> {
    const wantPredictions = options.testPredictions === true && this.head === 'multiclass' && this.evalTest !== null;
    const packed = tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      for (const split of [this.evalTrain, this.evalTest]) {
        if (!split) {
          parts.push(tf.tensor1d([NaN, NaN]));
          continue;
        }
        const { logits } = this.net.forward(split.x);
        parts.push(tf.stack([headLoss(this.head, logits, split.y), headAccuracy(this.head, logits, split.y)]));
        if (wantPredictions && split === this.evalTest) parts.push(tf.cast(tf.argMax(logits, -1), 'float32'));
      }
      // The predictions (if any) follow the four metrics, so one read returns everything.
      return tf.concat(parts);
    });
    const v = await packed.data();
    packed.dispose();
    const metrics = { trainLoss: v[0], trainAcc: v[1], testLoss: v[2], testAcc: v[3] };
    return wantPredictions ? { ...metrics, testPredictions: Int32Array.from(v.subarray(4)) } : metrics;
  }

  /** Sum of squares of every weight: a cheap sign of exploding weights. Kept scalar. */
  weightNormSquared(): tf.Scalar {
    return tf.tidy(() => tf.addN(this.net.variables().map((v) => tf.sum(tf.square(v)))) as tf.Scalar);
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const split of [this.train, this.evalTrain, this.evalTest]) {
      if (split && !split.x.isDisposed) {
        split.x.dispose();
        split.y.dispose();
      }
    }
  }
}
