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
import { flatOptimizerState, fusedDensityReader, perVariableOptimizerState, type TrainEngine } from '../engine';
import type { FusedGpuDevice } from './device';
import { fusedStepWgsl } from '../../core/fused/gpu/wgsl';
import type { GpuRunState } from '../../core/fused/gpu/runState';
import type { GpuGroupStats } from './gpuGrouping';
import { sharedGroupFor, type GroupMember, type SharedGpuGroup } from './sharedGroup';

type ShadowOp = (run: FusedRun) => void;

class GpuFusedRun implements GroupMember {
  /** The group the run trains in (null while it trains on its shadow), and the shape it joined with. */
  private group: SharedGpuGroup | null = null;
  private groupShape = '';
  readonly cursor: GpuRunCursor;
  gpuAhead = false;
  /** True at first: the device holds nothing of the run yet. */
  shadowAhead = true;
  /** Changes asked for while the GPU was ahead: applied to the shadow once it is read back. */
  private pending: { op: ShadowOp; changesState: boolean }[] = [];
  /** Why the shadow trains instead of the GPU (a setting the GPU step does not cover), or null. */
  cpuReason: string | null = null;
  chunks = 0;

  constructor(
    private readonly gpu: FusedGpuDevice,
    readonly shadow: FusedRun,
    private readonly data: TrainingData,
    /** Runs with the same tag may share a group (gpuGrouping.ts); null: a group of its own. */
    private readonly shareTag: string | null,
  ) {
    this.cursor = new GpuRunCursor(shadow.batches, shadow.trainSize, shadow.currentSettings);
  }

  /** Steps on the GPU plus steps the shadow trained itself (while cpuReason stood). */
  get step(): number {
    return this.shadow.step + this.cursor.step;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The group the run trains in now (runs of one group take their lockstep turns together), or null. */
  get currentGroup(): SharedGpuGroup | null {
    return this.group;
  }

  /** How the run's steps are dispatched (null while it trains on its shadow). */
  get groupStats(): GpuGroupStats | null {
    return this.group ? this.group.stats(this) : null;
  }

  /** A change to the run's state: at once when the shadow is current, else after the next read-back. */
  mutate(op: ShadowOp, changesState = true): void {
    if (this.gpuAhead) {
      this.pending.push({ op, changesState });
      return;
    }
    op(this.shadow);
    if (changesState) this.shadowAhead = true;
  }

  takeFromGpu(state: GpuRunState): void {
    loadStateIntoFusedRun(this.shadow, state, this.cursor.optimizer, this.cursor.t);
    this.gpuAhead = false;
    this.applyPending();
  }

  private applyPending(): void {
    if (!this.pending.length) return;
    const ops = this.pending;
    this.pending = [];
    for (const { op, changesState } of ops) {
      op(this.shadow);
      // A checkpoint saved changes nothing the device holds.
      if (changesState) this.shadowAhead = true;
    }
  }

  stateForUpload(): GpuRunState {
    const { state, optimizer, t } = stateOfFusedRun(this.shadow);
    this.cursor.settings = this.shadow.currentSettings;
    this.cursor.optimizer = optimizer;
    this.cursor.t = t;
    this.shadowAhead = false;
    return state;
  }

  /** The group shape the run needs now: batch size and whether g trains (a new compiled step); '' when the GPU cannot take it. */
  private shape(): string {
    this.cpuReason = gpuUnsupportedReason(this.shadow.config, this.shadow.currentSettings);
    return this.cpuReason ? '' : `${this.shadow.batchSize}/${this.shadow.innerTrainable}`;
  }

  belongsTo(group: SharedGpuGroup): boolean {
    return this.group === group && this.shape() === this.groupShape;
  }

  /** Brings the shadow up to date with the GPU (and applies the changes waiting for that). */
  async pull(): Promise<void> {
    if (this.gpuAhead && this.group) await this.group.pull(this);
    this.applyPending();
  }

  /** Into the group of its current shape (leaving the old one, its state read back), or onto its shadow. */
  private async place(): Promise<void> {
    const shape = this.shape();
    if (this.group && shape === this.groupShape) return;
    if (this.group) await this.group.leave(this);
    this.group = null;
    this.groupShape = '';
    this.applyPending();
    if (!shape) return;
    const plan = planGpu(this.shadow.config, this.shadow.batchSize, this.shadow.innerTrainable);
    const group = sharedGroupFor(this.gpu.device, plan, { x: this.data.trainX, y: this.data.trainY }, this.shareTag, fusedStepWgsl(plan));
    group.join(this);
    this.group = group;
    this.groupShape = shape;
    await group.prepare();
  }

  /** Places the run (compiling its step): a model the device refuses fails here. */
  async prepare(): Promise<void> {
    await this.place();
  }

  async train(steps: number): Promise<{ loss: number; norm: number }> {
    let left = steps;
    for (;;) {
      // While the GPU is ahead nothing changed the run's shape (changes wait in `pending`): no need to look.
      if (!this.gpuAhead) {
        this.applyPending();
        if (!this.group || this.shape() !== this.groupShape) await this.place();
      }
      if (this.cpuReason || !this.group || left < 1) {
        await this.pull();
        const loss = this.shadow.trainSteps(left);
        return { loss, norm: this.shadow.weightNormSquared() };
      }
      const report = await this.group.request(this, left);
      // Null: a change applied in the group's round moved the run; it places itself again.
      if (!report) continue;
      left -= report.steps;
      if (left <= 0) return { loss: report.loss, norm: report.norm };
    }
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
    this.group?.drop(this);
    this.group = null;
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
  shareTag: string | null = null,
): Promise<TrainEngine> {
  const shadow = await FusedRun.create(spec, data, kernels, onProgress);
  const run = new GpuFusedRun(gpu, shadow, data, shareTag);
  // Compile the step now, not on the first training chunk: a model the device refuses fails here.
  try {
    await run.prepare();
  } catch (e) {
    run.dispose();
    throw e;
  }
  const read = async <T>(f: (r: FusedRun) => T): Promise<T> => {
    await run.pull();
    return f(shadow);
  };
  const densityArguments = fusedDensityReader(shadow, data);
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
    hasG2: shadow.net.perUnit === 2 && shadow.net.innerCopies > 0,
    get dispatchGroup() {
      return run.currentGroup;
    },
    get dispatchStats() {
      return run.groupStats;
    },
    trainChunk: (steps) => run.train(steps),
    trainBare: async (steps) => (await run.train(steps)).loss,
    evaluate: (options) => read((r) => r.evaluate(options)),
    inspect: (options) => read((r) => r.inspect(options)),
    gOnGrid: () => read((r) => r.gOnGrid()),
    exportWeights: () => read((r) => r.exportWeights()),
    importWeights: (values) => run.mutate((r) => r.importWeights(values)),
    innerWeights: () => read((r) => r.exportInnerWeights()),
    saveCheckpoint: () => run.mutate((r) => r.saveCheckpoint(), false),
    exportOptimizerState: () => read((r) => flatOptimizerState(r.exportOptimizerState())),
    importOptimizerState: (state) => run.mutate((r) => r.importOptimizerState(perVariableOptimizerState(state))),
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
    densityArguments: () => read(densityArguments),
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
