/**
 * One run on the WebGPU fused step behind the worker's engine API. A CPU fused run (the "shadow",
 * same seed, same memory layout) holds everything the GPU does not compute: Session I, g at start,
 * the read-outs, metrics and checkpoints. The GPU trains; the shadow is brought up to date only
 * when something reads it (one async copy of the weights and slots), and a change made on the
 * CPU side (new weights, a restored checkpoint, Session III, a new optimizer or batch size) is
 * uploaded before the next GPU step. Both draw from the one batch-order stream of the shadow, so
 * the run's batches are those of the CPU engine. A setting the GPU step does not cover (dropout)
 * moves the training onto the shadow until it is switched off again.
 */
import { validateTrainConfig, type TrainConfig } from '../../core/config';
import { FusedRun, type KernelFactory } from '../../core/fused';
import { GpuRunCursor } from '../../core/fused/gpu/chunkPlan';
import { gpuUnsupportedReason, planGpu } from '../../core/fused/gpu/gpuPlan';
import { loadStateIntoFusedRun, stateOfFusedRun } from '../../core/fused/gpu/runState';
import type { BuildProgress, RunSpec } from '../../core/run';
import type { TrainingData } from '../../core/train/trainer';
import { fusedAttackTarget } from '../../core/robustness/fusedTarget';
import { densityExamples, type TrainEngine } from '../engine';
import type { FusedGpuDevice } from './device';
import { GpuFusedGroup } from './fusedGroup';

/** Steps one queue submission holds (a train call of more steps submits several). */
const CHUNK_STEPS = 64;

type ShadowOp = (run: FusedRun) => void;

class GpuFusedRun {
  private group: GpuFusedGroup | null = null;
  /** The group's shape (batch size, g trainable): a change of either needs a new pipeline. */
  private groupKey = '';
  private readonly cursor: GpuRunCursor;
  /** The GPU holds newer weights than the shadow (it trained since the last read). */
  private gpuAhead = false;
  /** The shadow holds state the GPU has not got yet (true at first: the GPU starts empty). */
  private shadowAhead = true;
  /** Changes asked for while the GPU was ahead: applied to the shadow once it is read back. */
  private pending: ShadowOp[] = [];
  /** Why the shadow trains instead of the GPU (a setting the GPU step does not cover), or null. */
  cpuReason: string | null = null;

  constructor(
    private readonly gpu: FusedGpuDevice,
    readonly shadow: FusedRun,
    private readonly data: TrainingData,
  ) {
    this.cursor = new GpuRunCursor(shadow.batches, shadow.trainSize, shadow.currentSettings);
  }

  /** Steps on the GPU plus steps the shadow trained itself (while cpuReason stood). */
  get step(): number {
    return this.shadow.step + this.cursor.step;
  }

  /** A change to the run's state: at once when the shadow is current, else after the next read-back. */
  mutate(op: ShadowOp, changesState = true): void {
    if (this.gpuAhead) {
      this.pending.push(op);
      return;
    }
    op(this.shadow);
    if (changesState) this.shadowAhead = true;
  }

  /** Brings the shadow up to date with the GPU (and applies the changes waiting for that). */
  async pull(): Promise<void> {
    if (this.gpuAhead && this.group) {
      const [state] = await this.group.readRuns();
      loadStateIntoFusedRun(this.shadow, state, this.cursor.optimizer, this.cursor.t);
      this.gpuAhead = false;
    }
    if (this.pending.length) {
      const ops = this.pending;
      this.pending = [];
      for (const op of ops) op(this.shadow);
      this.shadowAhead = true;
    }
  }

  /** Uploads the shadow's state when it changed, on a pipeline for the current batch size and Session. */
  private async push(): Promise<void> {
    if (!this.shadowAhead) return;
    const settings = this.shadow.currentSettings;
    this.cpuReason = gpuUnsupportedReason(this.shadow.config, settings);
    if (this.cpuReason) {
      this.dropGroup();
      return;
    }
    const batch = this.shadow.batchSize;
    const learnInner = this.shadow.innerTrainable;
    const key = `${batch}/${learnInner}`;
    if (!this.group || key !== this.groupKey) {
      this.dropGroup();
      const plan = planGpu(this.shadow.config, batch, learnInner);
      this.group = await GpuFusedGroup.create(this.gpu.device, plan, 1, { x: this.data.trainX, y: this.data.trainY }, CHUNK_STEPS);
      this.groupKey = key;
    }
    const { state, optimizer, t } = stateOfFusedRun(this.shadow);
    this.group.writeRun(0, state);
    this.cursor.settings = settings;
    this.cursor.optimizer = optimizer;
    this.cursor.t = t;
    this.shadowAhead = false;
  }

  private dropGroup(): void {
    this.group?.destroy();
    this.group = null;
    this.groupKey = '';
  }

  async train(steps: number): Promise<{ loss: number; norm: number }> {
    await this.pull();
    await this.push();
    if (this.cpuReason || !this.group || steps < 1) {
      const loss = this.shadow.trainSteps(steps);
      return { loss, norm: this.shadow.weightNormSquared() };
    }
    for (let done = 0; done < steps; done += CHUNK_STEPS) this.group.train([this.cursor], Math.min(CHUNK_STEPS, steps - done));
    this.gpuAhead = true;
    const [report] = await this.group.readReport();
    return report;
  }

  /** Live settings: the learning rate, momentum and L2 apply at once; a new optimizer or batch size goes through the shadow. */
  updateSettings(train: TrainConfig): void {
    const next = validateTrainConfig(train);
    const now = this.shadow.currentSettings;
    if (next.optimizer === now.optimizer && Math.min(next.batchSize, this.shadow.trainSize) === this.shadow.batchSize) {
      // Touches no weight or slot: safe while the GPU is ahead.
      this.shadow.updateSettings(next);
      this.cursor.settings = next;
      return;
    }
    this.mutate((run) => run.updateSettings(next));
  }

  dispose(): void {
    this.dropGroup();
    this.pending = [];
    this.shadow.dispose();
  }
}

/**
 * A run on the WebGPU fused step (the caller checked gpuUnsupportedReason for its model, and
 * falls back to the CPU fused engine when this throws).
 */
export async function gpuFusedEngine(
  spec: RunSpec,
  data: TrainingData,
  gpu: FusedGpuDevice,
  kernels: KernelFactory,
  onProgress?: BuildProgress,
): Promise<TrainEngine> {
  const shadow = await FusedRun.create(spec, data, kernels, onProgress);
  const run = new GpuFusedRun(gpu, shadow, data);
  // Compile the step now, not on the first training chunk: a model the device refuses fails here.
  await run.train(0);
  const read = async <T>(f: (r: FusedRun) => T): Promise<T> => {
    await run.pull();
    return f(shadow);
  };
  const hasG2 = shadow.net.perUnit === 2 && shadow.net.innerCopies > 0;
  const density = densityExamples(data);
  return {
    kind: 'webgpu-fused',
    get step() {
      return run.step;
    },
    get epoch() {
      return shadow.epoch;
    },
    get session() {
      return shadow.session;
    },
    get gInit() {
      return shadow.gInit;
    },
    modelKind: shadow.config.kind,
    get hiddenUnits() {
      return shadow.hiddenUnits;
    },
    get paramCount() {
      return shadow.paramCount;
    },
    hasG2,
    trainChunk: (steps) => run.train(steps),
    trainBare: async (steps) => (await run.train(steps)).loss,
    evaluate: (options) => read((r) => r.evaluate(options)),
    inspect: (options) => read((r) => r.inspect(options)),
    gOnGrid: () => read((r) => r.gOnGrid()),
    exportWeights: () => read((r) => r.exportWeights()),
    importWeights: (values) => run.mutate((r) => r.importWeights(values)),
    innerWeights: () => read((r) => r.exportInnerWeights()),
    saveCheckpoint: () => run.mutate((r) => r.saveCheckpoint(), false),
    exportOptimizerState: () =>
      read((r) => {
        const state = r.exportOptimizerState();
        return { name: state.name, t: state.t, slots: state.slots.flat() };
      }),
    importOptimizerState: (state) => {
      const perVariable = state.name === 'adam' ? 2 : 1;
      const slots: Float32Array[][] = [];
      for (let i = 0; i < state.slots.length; i += perVariable) slots.push(state.slots.slice(i, i + perVariable));
      run.mutate((r) => r.importOptimizerState({ name: state.name, t: state.t, slots }));
    },
    // The streams live on the CPU side (the GPU's batches are planned from the shadow's order): no read-back.
    exportStreams: () => shadow.exportStreams(),
    importStreams: (streams) => shadow.importStreams(streams),
    restoreCheckpoint: () => run.mutate((r) => r.restoreCheckpoint()),
    startSessionThree: () => {
      // Said at once, as the CPU engine does (the change itself may wait for the GPU's weights).
      if (shadow.net.innerCopies === 0) throw new Error('Session III needs a learned activation (twoArg or oneArg)');
      run.mutate((r) => r.startSessionThree());
    },
    updateSettings: (train) => run.updateSettings(train),
    setDropout: (rate) => run.mutate((r) => r.setDropout(rate)),
    densityArguments: () => read((r) => (hasG2 ? { perLayer: r.collectArguments(density.x), examples: density.examples } : null)),
    // The attack reads the CPU copy, brought up to the GPU's weights before each chunk.
    attackTarget: (batch) => {
      const target = fusedAttackTarget(shadow.net, batch);
      return {
        inputSize: target.inputSize,
        batch: target.batch,
        correct: async (x, y) => (await run.pull(), target.correct(x, y)),
        inputGradient: async (x, y) => (await run.pull(), target.inputGradient(x, y)),
      };
    },
    dispose: () => run.dispose(),
  };
}
