/**
 * One training run on the fused engine: what the worker uses of core/run.ts's Run and its
 * Trainer (Sessions I-III, live settings, checkpoints, metrics, read-outs), with plain numbers
 * and Float32Arrays instead of tensors. Same seeds, same streams as the tfjs path: the batch
 * order, dropout masks and initial weights come from the project's Rng in the same order.
 * Over 300 lines because it mirrors the surface of Run and Trainer together (one object here,
 * two there); the kernel, memory plan and Session I live in their own files.
 */
import { validateModelConfig, validateTrainConfig, type Head, type ModelConfig, type OptimizerName, type TrainConfig } from '../config';
import { gridPoints } from '../grid';
import type { ParamCount } from '../model/paramCount';
import { Rng } from '../rng';
import { ARGUMENT_GRID, DENSITY_EXAMPLES, INPUT_GRID, g1dAxis, liveShape } from '../liveView';
import type { BuildProgress, Inspection } from '../run';
import type { RunSpec } from '../spec';
import { EVAL_LIMIT, type Metrics, type TrainingData } from '../train/trainer';
import { BatchOrder, type TrainStreams } from '../train/batchOrder';
import { FusedNet, FusedUnsupportedError } from './fusedNet';
import { pretrainInnerFused } from './fusedSessionOne';
import type { FusedKernel, KernelFactory } from './kernel';
import { adamStepConstants, BETA1, BETA2 } from './optimizerStep';

/** Optimizer state, exportable so that switching engine can be a copy. */
export interface FusedOptimizerState {
  name: OptimizerName;
  /** Steps taken by this optimizer (Adam's bias correction). */
  t: number;
  /** Over the trainable variables in order: Adam [m, s] per variable, SGD [velocity]. */
  slots: Float32Array[][];
}

interface Split {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

function limited(x: Float32Array, y: Float32Array, inputSize: number, limit: number): Split {
  const n = Math.min(y.length, limit);
  return { x: x.subarray(0, n * inputSize), y: y.subarray(0, n), n };
}

export class FusedRun {
  readonly net: FusedNet;
  readonly config: ModelConfig;
  gInit: Float32Array | null = null;
  sessionOneMse: number | null = null;
  session: 2 | 3 = 2;
  step = 0;
  private settings: TrainConfig;
  private optimizerName: OptimizerName;
  private optimizerT = 0;
  private trainInner = true;
  /** The batch-order stream (shared with the WebGPU step's cursor when that engine trains this run). */
  readonly batches: BatchOrder;
  private readonly dropoutRng: Rng;
  private readonly train: Split;
  private readonly evalTrain: Split;
  private readonly evalTest: Split | null;
  private readonly densityX: Float32Array;
  private checkpoint: Float32Array | null = null;

  private constructor(
    readonly spec: RunSpec,
    readonly data: TrainingData,
    kernel: FusedKernel,
  ) {
    this.config = validateModelConfig(spec.model);
    this.settings = validateTrainConfig(spec.train);
    if (data.trainY.length < 1) throw new Error('training data is empty');
    if (data.inputSize !== this.config.inputSize) throw new Error(`data has ${data.inputSize} inputs, the model ${this.config.inputSize}`);
    this.train = limited(data.trainX, data.trainY, data.inputSize, Infinity);
    this.net = new FusedNet(this.config, kernel, this.batchSize, spec.seed);
    this.evalTrain = limited(data.trainX, data.trainY, data.inputSize, EVAL_LIMIT);
    this.evalTest = data.testY.length > 0 ? limited(data.testX, data.testY, data.inputSize, EVAL_LIMIT) : null;
    this.batches = new BatchOrder(spec.seed, this.train.n);
    this.dropoutRng = Rng.derive(spec.seed, 'dropout');
    this.optimizerName = this.settings.optimizer;
    const n = Math.min(DENSITY_EXAMPLES, data.trainY.length);
    this.densityX = data.trainX.slice(0, n * data.inputSize);
  }

  /** Builds the network, runs Session I (if asked and the model has g) and records g's start, as Run.create does. */
  static async create(spec: RunSpec, data: TrainingData, kernels: KernelFactory, onProgress?: BuildProgress): Promise<FusedRun> {
    const run = new FusedRun(spec, data, await kernels());
    const copies = run.net.innerCopies;
    if (spec.pretrainSteps > 0 && copies > 0) {
      for (let i = 0; i < copies; i++) {
        // Each g of a per-layer model gets its own random target, as on the tfjs path.
        run.sessionOneMse = await pretrainInnerFused(run.net, i, spec.seed + i, {
          steps: spec.pretrainSteps,
          schedule: spec.sessionOne,
          onProgress: (done, total) => onProgress?.('sessionOne', i * total + done, copies * total),
        });
      }
    }
    run.gInit = run.gOnGrid();
    run.saveCheckpoint();
    return run;
  }

  /** The (first) two-argument g on ARGUMENT_GRID, or null without one ("g at start" after loading g). */
  gOnGrid(): Float32Array | null {
    return this.net.perUnit === 2 && this.net.innerCopies > 0 ? this.net.evaluateInner(0, gridPoints(ARGUMENT_GRID)) : null;
  }

  get head(): Head {
    return this.config.head;
  }

  get paramCount(): ParamCount {
    return this.net.paramCount();
  }

  get hiddenUnits(): number[] {
    return this.net.hiddenUnits;
  }

  get batchSize(): number {
    return Math.min(this.settings.batchSize, this.train.n);
  }

  get trainSize(): number {
    return this.train.n;
  }

  get evalTestSize(): number {
    return this.evalTest?.n ?? 0;
  }

  get currentSettings(): TrainConfig {
    return { ...this.settings };
  }

  /** Live settings (lr, momentum, batch, L2; a new optimizer only when its kind changes). */
  updateSettings(settings: TrainConfig): void {
    const next = validateTrainConfig(settings);
    if (next.optimizer !== this.settings.optimizer) this.resetOptimizer(next.optimizer);
    this.settings = next;
    this.net.ensureCapacity(this.batchSize);
  }

  /** Dropout is read at every step, so the rate can change live. */
  setDropout(rate: number): void {
    (this.config as { dropout: number }).dropout = validateModelConfig({ ...this.config, dropout: rate }).dropout;
  }

  /** Drops the optimizer state (after a divergence, a backend switch, or Session III). */
  resetOptimizer(name: OptimizerName = this.settings.optimizer): void {
    const { slot1, slot2, paramCount } = this.net.layout;
    const F = this.net.kernel.floats();
    F.fill(0, slot1 >> 2, (slot1 >> 2) + paramCount);
    F.fill(0, slot2 >> 2, (slot2 >> 2) + paramCount);
    this.optimizerName = name;
    this.optimizerT = 0;
  }

  /** Session III: freeze g (or unfreeze it) for the following steps. */
  setInnerTrainable(trainable: boolean): void {
    if (trainable === this.trainInner) return;
    this.trainInner = trainable;
    this.resetOptimizer();
  }

  /** Whether g trains (false in Session III). */
  get innerTrainable(): boolean {
    return this.trainInner;
  }

  /** Floats of the parameter block the optimizer updates (everything, or only the outer weights). */
  private get trainableCount(): number {
    return this.trainInner ? this.net.layout.paramCount : this.net.layout.outerParamCount;
  }

  private trainableVariableCount(): number {
    return this.trainInner ? this.net.layout.variables.length : this.net.layout.outerVariableCount;
  }

  /** Completed passes over the training set. */
  get epoch(): number {
    return this.batches.epoch;
  }

  private nextBatch(size: number): void {
    const rows = this.batches.take(size);
    const F = this.net.kernel.floats();
    const D = this.config.inputSize;
    const X = this.net.layout.x >> 2;
    const Y = this.net.layout.y >> 2;
    const { x, y } = this.train;
    for (let b = 0; b < size; b++) {
      const row = rows[b];
      for (let j = 0; j < D; j++) F[X + b * D + j] = x[row * D + j];
      F[Y + b] = y[row];
    }
  }

  /** Where the batch order and the dropout masks stand (a checkpoint carries it; same layout as the tfjs Trainer's). */
  exportStreams(): TrainStreams {
    return { batches: this.batches.exportState(), dropout: this.dropoutRng.getState() };
  }

  /** Continues the streams of a run on the same data and seed from where exportStreams left them. */
  importStreams(streams: TrainStreams): void {
    this.batches.importState(streams.batches);
    this.dropoutRng.setState(streams.dropout);
  }

  /** Dropout masks from the project's stream, layer by layer, in the tfjs path's order. */
  private writeMasks(size: number): boolean {
    const rate = this.config.dropout;
    if (rate <= 0) return false;
    const keep = 1 - rate;
    const scaled = Math.fround(1 / keep);
    const F = this.net.kernel.floats();
    for (const plan of this.net.layout.layers) {
      const m = plan.mask >> 2;
      for (let i = 0; i < size * plan.units; i++) F[m + i] = this.dropoutRng.next() < keep ? scaled : 0;
    }
    return this.net.layout.layers.length > 0;
  }

  /** Applies the optimizer to the first `count` floats of the parameter block. */
  private applyOptimizer(count: number): void {
    const k = this.net.kernel;
    this.optimizerT += 1;
    if (this.optimizerName === 'adam') {
      const { stepSize, epsHat } = adamStepConstants(this.optimizerT, this.settings.learningRate);
      k.adam(0, count, BETA1, 1 - BETA1, BETA2, 1 - BETA2, epsHat, stepSize);
    } else {
      k.sgd(0, count, this.settings.learningRate, this.settings.momentum);
    }
  }

  /** Runs `steps` optimisation steps; returns the last batch loss (with the L2 penalty), NaN for none. */
  trainSteps(steps: number): number {
    let last = NaN;
    const k = this.net.kernel;
    for (let s = 0; s < steps; s++) {
      const size = this.batchSize;
      this.nextBatch(size);
      const masks = this.writeMasks(size);
      const count = this.trainableCount;
      last = k.lossGrad(size, masks ? 1 : 0, this.trainInner ? 1 : 0, this.settings.l2, count);
      this.applyOptimizer(count);
      this.step += 1;
    }
    return last;
  }

  /** Loss and accuracy on (at most EVAL_LIMIT examples of) the training and test sets. */
  evaluate(options: { testPredictions?: boolean } = {}): Metrics & { testPredictions?: Int32Array } {
    const wantPredictions = options.testPredictions === true && this.head === 'multiclass' && this.evalTest !== null;
    const train = this.evaluateSplit(this.evalTrain, false);
    const test = this.evalTest ? this.evaluateSplit(this.evalTest, wantPredictions) : { loss: NaN, acc: NaN };
    const metrics = { trainLoss: train.loss, trainAcc: train.acc, testLoss: test.loss, testAcc: test.acc };
    return wantPredictions && test.predictions ? { ...metrics, testPredictions: test.predictions } : metrics;
  }

  private evaluateSplit(split: Split, predictions: boolean): { loss: number; acc: number; predictions?: Int32Array } {
    const C = this.config.outputSize;
    const head = this.head;
    const preds = predictions ? new Int32Array(split.n) : undefined;
    let loss = 0;
    let correct = 0;
    this.net.forEachChunk(split.x, split.n, (first, count) => {
      const F = this.net.kernel.floats();
      const L = this.net.layout.logits >> 2;
      for (let r = 0; r < count; r++) {
        const t = split.y[first + r];
        if (head === 'binary') {
          const z = F[L + r];
          loss += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
          if ((z > 0 ? 1 : 0) === t) correct += 1;
        } else if (head === 'multiclass') {
          let best = 0;
          for (let j = 1; j < C; j++) if (F[L + r * C + j] > F[L + r * C + best]) best = j;
          const mx = F[L + r * C + best];
          let s = 0;
          for (let j = 0; j < C; j++) s += Math.exp(F[L + r * C + j] - mx);
          loss += mx + Math.log(s) - F[L + r * C + t];
          if (best === t) correct += 1;
          if (preds) preds[first + r] = best;
        } else {
          loss += (F[L + r] - t) ** 2;
        }
      }
    });
    return { loss: loss / split.n, acc: head === 'regression' ? NaN : correct / split.n, predictions: preds };
  }

  weightNormSquared(): number {
    return this.net.weightNormSquared();
  }

  exportWeights(): Float32Array[] {
    return this.net.exportWeights();
  }

  importWeights(values: Float32Array[]): void {
    this.net.importWeights(values);
  }

  /** g's weights only (every copy, Network order), as a run file stores them. */
  exportInnerWeights(): Float32Array[] {
    return this.net.exportInnerWeights();
  }

  /** The optimizer's state over the trainable variables (see FusedOptimizerState). */
  exportOptimizerState(): FusedOptimizerState {
    const { variables, slot1, slot2 } = this.net.layout;
    const F = this.net.kernel.floats();
    const read = (block: number, v: number) => {
      const at = (block >> 2) + variables[v].offset;
      return Float32Array.from(F.subarray(at, at + variables[v].size));
    };
    const slots: Float32Array[][] = [];
    for (let v = 0; v < this.trainableVariableCount(); v++) {
      slots.push(this.optimizerName === 'adam' ? [read(slot1, v), read(slot2, v)] : [read(slot1, v)]);
    }
    return { name: this.optimizerName, t: this.optimizerT, slots };
  }

  importOptimizerState(state: FusedOptimizerState): void {
    const { variables, slot1, slot2 } = this.net.layout;
    if (state.slots.length !== this.trainableVariableCount()) {
      throw new Error(`expected optimizer state for ${this.trainableVariableCount()} variables, got ${state.slots.length}`);
    }
    this.resetOptimizer(state.name);
    const F = this.net.kernel.floats();
    state.slots.forEach((slots, v) => {
      slots.forEach((values, j) => {
        if (values.length !== variables[v].size) throw new Error(`optimizer slot ${v}.${j}: expected ${variables[v].size} values`);
        F.set(values, ((j === 0 ? slot1 : slot2) >> 2) + variables[v].offset);
      });
    });
    this.optimizerT = state.t;
  }

  /** Keeps a copy of every weight (the last known-good state after a divergence). */
  saveCheckpoint(): void {
    this.checkpoint = this.net.snapshotParams();
  }

  /** Restores the last checkpoint and drops the optimizer state (which may hold NaN too). */
  restoreCheckpoint(): void {
    if (!this.checkpoint) return;
    this.net.restoreParams(this.checkpoint);
    this.resetOptimizer();
  }

  /** Session III: freeze g, re-initialise the outer weights, retrain them with the learned g. */
  startSessionThree(): void {
    if (this.net.innerCopies === 0) throw new Error('Session III needs a learned activation (twoArg or oneArg)');
    this.net.reinitializeOuter(this.spec.seed);
    // Fresh outer weights get a fresh optimizer, also on a repeated Session III (where the
    // tfjs path's Trainer keeps its optimizer bound to the disposed outer variables there).
    this.trainInner = false;
    this.resetOptimizer();
    this.session = 3;
    this.saveCheckpoint();
  }

  /** Everything the views show about the current weights (as Run.inspect). */
  inspect(options: { decision: boolean }): Inspection {
    const net = this.net;
    const learned = net.innerCopies > 0;
    const g = this.gOnGrid();
    let g1d: Inspection['g1d'] = null;
    if (learned && net.perUnit === 1) {
      const xs = g1dAxis();
      g1d = { xs, ys: net.evaluateInner(0, xs) };
    }
    const args = learned && net.perUnit === 2 ? this.collectArguments() : null;
    const decision = options.decision && this.config.inputSize === 2 ? this.outputOnGrid() : null;
    const shape = args && g ? liveShape(args, g) : null;
    return { g, g1d, density: shape?.density ?? null, analysis: shape?.analysis ?? null, decision };
  }

  /** Per hidden layer, the (after-LayerNorm) arguments of every unit for x (default: the density examples). */
  collectArguments(x: Float32Array = this.densityX): Float32Array[] {
    const n = x.length / this.config.inputSize;
    const out = this.net.layout.layers.map((plan) => new Float32Array(n * plan.width));
    this.net.forEachChunk(x, n, (first, count) => {
      const F = this.net.kernel.floats();
      this.net.layout.layers.forEach((plan, l) => {
        const z = plan.z >> 2;
        out[l].set(F.subarray(z, z + count * plan.width), first * plan.width);
      });
    });
    return out;
  }

  /** The user-facing output (P(class 1), the last class's probability, or the value) on the input grid. */
  outputOnGrid(): Float32Array {
    const points = gridPoints(INPUT_GRID);
    const n = INPUT_GRID.size * INPUT_GRID.size;
    const out = new Float32Array(n);
    const C = this.config.outputSize;
    this.net.forEachChunk(points, n, (first, count) => {
      const F = this.net.kernel.floats();
      const L = this.net.layout.logits >> 2;
      for (let r = 0; r < count; r++) {
        if (this.head === 'binary') out[first + r] = 1 / (1 + Math.exp(-F[L + r]));
        else if (this.head === 'regression') out[first + r] = F[L + r];
        else {
          let mx = -Infinity;
          for (let j = 0; j < C; j++) mx = Math.max(mx, F[L + r * C + j]);
          let s = 0;
          for (let j = 0; j < C; j++) s += Math.exp(F[L + r * C + j] - mx);
          out[first + r] = Math.exp(F[L + r * C + C - 1] - mx) / s;
        }
      }
    });
    return out;
  }

  /** Nothing to free but references: the kernel's memory goes with the object. */
  dispose(): void {
    this.checkpoint = null;
  }
}

export { FusedUnsupportedError };
