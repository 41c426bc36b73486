/**
 * The one API the worker trains through, on either engine: the tfjs Run (the reference; WebGPU,
 * WebGL, wasm and cpu) or the fused CPU engine (core/fused). The host, the training loop, the
 * benchmark and the run file call only this, so switching engine is a copy of the weights.
 */
import type { ModelKind, TrainConfig } from '../core/config';
import { FusedRun, type FusedOptimizerState, type KernelFactory } from '../core/fused';
import type { OptimizerState } from '../core/model/optimizer';
import type { ParamCount } from '../core/model/paramCount';
import { collectArguments, evaluateInnerOnGrid } from '../core/inspect';
import { ARGUMENT_GRID, DENSITY_EXAMPLES, Run, type BuildProgress, type Inspection, type RunSpec } from '../core/run';
import type { Metrics, TrainingData } from '../core/train/trainer';
import type { TrainStreams } from '../core/train/batchOrder';
import type { AttackTarget } from '../core/robustness/attacks';
import { fusedAttackTarget } from '../core/robustness/fusedTarget';
import { tfjsAttackTarget } from '../core/robustness/tfjsTarget';
import type { GpuGroupStats } from './gpu/gpuGrouping';

export type EngineKind = 'tfjs' | 'fused' | 'webgpu-fused';

/** Per hidden layer, the (a, b) pairs of every unit for `examples` examples (core/inspect collectArguments). */
export interface DensityArguments {
  perLayer: Float32Array[];
  examples: number;
}

/** The examples whose arguments make the density, as Run and FusedRun take them (a prefix of the training set). */
export function densityExamples(data: TrainingData): { x: Float32Array; examples: number } {
  const examples = Math.min(DENSITY_EXAMPLES, data.trainY.length);
  return { x: data.trainX.subarray(0, examples * data.inputSize), examples };
}

/**
 * The fused engines keep the optimizer's slots per variable (FusedOptimizerState); the engine
 * API, like tfjs, lists them flat (adam: m then v of each variable in turn). Both fused
 * engines (CPU here, WebGPU in gpu/gpuEngine.ts) convert through these two.
 */
export function flatOptimizerState(state: FusedOptimizerState): OptimizerState {
  return { name: state.name, t: state.t, slots: state.slots.flat() };
}

export function perVariableOptimizerState(state: OptimizerState): FusedOptimizerState {
  const perVariable = state.name === 'adam' ? 2 : 1;
  const slots: Float32Array[][] = [];
  for (let i = 0; i < state.slots.length; i += perVariable) slots.push(state.slots.slice(i, i + perVariable));
  return { name: state.name, t: state.t, slots };
}

/** A fused run's density arguments (null without a two-argument g), read from its CPU copy. */
export function fusedDensityReader(run: FusedRun, data: TrainingData): () => DensityArguments | null {
  const hasG2 = run.net.perUnit === 2 && run.net.innerCopies > 0;
  const density = densityExamples(data);
  return () => (hasG2 ? { perLayer: run.collectArguments(density.x), examples: density.examples } : null);
}

/** A built run on one engine. Weights are always in the tfjs Network's variable order. */
export interface TrainEngine {
  readonly kind: EngineKind;
  readonly step: number;
  readonly epoch: number;
  readonly session: 2 | 3;
  /** g right after Session I (or its init) on the argument grid, or null without a two-argument g. */
  readonly gInit: Float32Array | null;
  readonly modelKind: ModelKind;
  readonly hiddenUnits: number[];
  readonly paramCount: ParamCount;
  /** Whether the model has a two-argument g (the one with timeline frames). */
  readonly hasG2: boolean;
  /**
   * The WebGPU fused step only: the group of runs its steps are dispatched with (runs of one group
   * take their lockstep turns together, lockstep.ts) and how they were dispatched so far.
   */
  readonly dispatchGroup?: object | null;
  readonly dispatchStats?: GpuGroupStats | null;
  /** Trains `steps` steps; the last batch loss and the weights' squared norm (the divergence check). */
  trainChunk(steps: number): Promise<{ loss: number; norm: number }>;
  /** Trains `steps` steps reading only the loss (the benchmark's bare loop). */
  trainBare(steps: number): Promise<number>;
  evaluate(options?: { testPredictions?: boolean }): Promise<Metrics & { testPredictions?: Int32Array }>;
  inspect(options: { decision: boolean }): Promise<Inspection>;
  /** g on the argument grid (null without a two-argument g). */
  gOnGrid(): Promise<Float32Array | null>;
  /**
   * The arguments the density is made of (the first DENSITY_EXAMPLES training examples), per
   * hidden layer as interleaved (a, b) pairs, example-major: what the bootstrap verdict
   * resamples. Null without a two-argument g.
   */
  densityArguments(): Promise<DensityArguments | null>;
  exportWeights(): Promise<Float32Array[]>;
  importWeights(values: Float32Array[]): void;
  /** g's weights only (every copy), the tail of exportWeights. */
  innerWeights(): Promise<Float32Array[]>;
  /** The optimizer's state in the tfjs layout (slots flat: per variable [m, s] for Adam, [v] for SGD). */
  exportOptimizerState(): Promise<OptimizerState>;
  importOptimizerState(state: OptimizerState): void;
  /** Where the batch order and dropout masks stand, so a restored run draws what this one would have. */
  exportStreams(): TrainStreams;
  importStreams(streams: TrainStreams): void;
  saveCheckpoint(): void;
  restoreCheckpoint(): void;
  startSessionThree(): void;
  updateSettings(train: TrainConfig): void;
  setDropout(rate: number): void;
  /**
   * The current weights as an attack target (robustness tests), on chunks of `batch` examples,
   * without dropout. Use it while training is stopped: it shares the run's weights and buffers.
   */
  attackTarget(batch: number): AttackTarget;
  dispose(): void;
}

/** The tfjs Run behind the engine API (the caller has activated its tfjs backend). */
export async function tfjsEngine(spec: RunSpec, data: TrainingData, onProgress?: BuildProgress): Promise<TrainEngine> {
  const run = await Run.create(spec, data, onProgress);
  const net = run.net;
  const hasG2 = net.perUnit === 2 && net.inner.length > 0;
  const density = densityExamples(data);
  return {
    kind: 'tfjs',
    get step() {
      return run.trainer.step;
    },
    get epoch() {
      return run.trainer.epoch;
    },
    get session() {
      return run.session;
    },
    get gInit() {
      return run.gInit;
    },
    modelKind: net.config.kind,
    get hiddenUnits() {
      return net.hiddenUnits;
    },
    get paramCount() {
      return run.paramCount;
    },
    hasG2,
    async trainChunk(steps) {
      const lossTensor = run.trainer.trainSteps(steps);
      const normTensor = run.trainer.weightNormSquared();
      try {
        const [loss, norm] = await Promise.all([lossTensor.data(), normTensor.data()]);
        return { loss: loss[0], norm: norm[0] };
      } finally {
        lossTensor.dispose();
        normTensor.dispose();
      }
    },
    async trainBare(steps) {
      const loss = run.trainer.trainSteps(steps);
      try {
        return (await loss.data())[0];
      } finally {
        loss.dispose();
      }
    },
    evaluate: (options) => run.evaluate(options),
    inspect: (options) => run.inspect(options),
    gOnGrid: async () => (hasG2 ? evaluateInnerOnGrid(net.inner[0], ARGUMENT_GRID) : null),
    densityArguments: async () => (hasG2 ? { perLayer: await collectArguments(net, density.x), examples: density.examples } : null),
    exportWeights: () => net.exportWeights(),
    importWeights: (values) => net.importWeights(values),
    innerWeights: () => Promise.all(net.innerVariables().map(async (v) => Float32Array.from((await v.data()) as Float32Array))),
    saveCheckpoint: () => run.saveCheckpoint(),
    exportOptimizerState: () => run.trainer.exportOptimizerState(),
    importOptimizerState: (state) => run.trainer.importOptimizerState(state),
    exportStreams: () => run.trainer.exportStreams(),
    importStreams: (streams) => run.trainer.importStreams(streams),
    restoreCheckpoint: () => run.restoreCheckpoint(),
    startSessionThree: () => run.startSessionThree(),
    updateSettings: (train) => run.trainer.updateSettings(train),
    setDropout: (rate) => net.setDropout(rate),
    attackTarget: (batch) => tfjsAttackTarget(net, net.config.head, batch),
    dispose: () => run.dispose(),
  };
}

/** The fused CPU engine behind the same API (synchronous underneath; no tfjs backend needed). */
export async function fusedEngine(
  spec: RunSpec,
  data: TrainingData,
  kernels: KernelFactory,
  onProgress?: BuildProgress,
): Promise<TrainEngine> {
  const run = await FusedRun.create(spec, data, kernels, onProgress);
  const densityArguments = fusedDensityReader(run, data);
  return {
    kind: 'fused',
    get step() {
      return run.step;
    },
    get epoch() {
      return run.epoch;
    },
    get session() {
      return run.session;
    },
    get gInit() {
      return run.gInit;
    },
    modelKind: run.config.kind,
    get hiddenUnits() {
      return run.hiddenUnits;
    },
    get paramCount() {
      return run.paramCount;
    },
    hasG2: run.net.perUnit === 2 && run.net.innerCopies > 0,
    trainChunk(steps) {
      const loss = run.trainSteps(steps);
      return Promise.resolve({ loss, norm: run.weightNormSquared() });
    },
    trainBare: (steps) => Promise.resolve(run.trainSteps(steps)),
    evaluate: (options) => Promise.resolve(run.evaluate(options)),
    inspect: (options) => Promise.resolve(run.inspect(options)),
    gOnGrid: () => Promise.resolve(run.gOnGrid()),
    densityArguments: () => Promise.resolve(densityArguments()),
    exportWeights: () => Promise.resolve(run.exportWeights()),
    importWeights: (values) => run.importWeights(values),
    innerWeights: () => Promise.resolve(run.exportInnerWeights()),
    saveCheckpoint: () => run.saveCheckpoint(),
    exportOptimizerState: () => Promise.resolve(flatOptimizerState(run.exportOptimizerState())),
    importOptimizerState: (state) => run.importOptimizerState(perVariableOptimizerState(state)),
    exportStreams: () => run.exportStreams(),
    importStreams: (streams) => run.importStreams(streams),
    restoreCheckpoint: () => run.restoreCheckpoint(),
    startSessionThree: () => run.startSessionThree(),
    updateSettings: (train) => run.updateSettings(train),
    setDropout: (rate) => run.setDropout(rate),
    attackTarget: (batch) => fusedAttackTarget(run.net, batch),
    dispose: () => run.dispose(),
  };
}
