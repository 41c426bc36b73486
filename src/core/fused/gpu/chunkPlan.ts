/**
 * The CPU half of the WebGPU fused step: per run, which examples each step trains on (the
 * project's batch-order stream, exactly as FusedRun draws them) and the optimizer's constants of
 * each step (Adam's bias correction from its step count), written for a chunk of steps of every
 * run of a group into the two arrays the GPU reads. Pure: no WebGPU here.
 */
import { validateTrainConfig, type OptimizerName, type TrainConfig } from '../../config';
import { BatchOrder } from '../batchOrder';
import { adamStepConstants } from '../optimizerStep';
import { HYPER_WORDS } from './wgsl';

/** One run's stream position and optimizer counters on the CPU side of the GPU step. */
export class GpuRunCursor {
  settings: TrainConfig;
  optimizer: OptimizerName;
  /** Steps taken by the current optimizer (Adam's bias correction). */
  t = 0;
  step = 0;

  constructor(
    /** The run's batch-order stream: its own (fromSeed), or a CPU fused run's, so both engines continue one stream. */
    private readonly order: BatchOrder,
    /** Training examples (batches never exceed it). */
    readonly trainSize: number,
    settings: TrainConfig,
  ) {
    this.settings = validateTrainConfig(settings);
    this.optimizer = this.settings.optimizer;
  }

  /** A cursor on a fresh stream of the run's seed (the stream a CPU fused run of that seed draws). */
  static fromSeed(seed: number, trainSize: number, settings: TrainConfig): GpuRunCursor {
    return new GpuRunCursor(new BatchOrder(seed, trainSize), trainSize, settings);
  }

  get epoch(): number {
    return this.order.epoch;
  }

  /** The batch the run trains with (the setting, clamped to the training set as FusedRun does). */
  get batchSize(): number {
    return Math.min(this.settings.batchSize, this.trainSize);
  }

  /**
   * Skips `steps` batches of the stream without training (a run that trained that far on another
   * engine continues with the batches it would have drawn next). The optimizer's count is set apart.
   */
  skip(steps: number): void {
    for (let s = 0; s < steps; s++) this.order.take(this.batchSize);
    this.step += steps;
  }

  /** Draws the next step's examples into `out` and returns that step's hyper words. */
  next(out: Uint32Array, at: number, batch: number): [number, number, number, number] {
    out.set(this.order.take(batch), at);
    this.t += 1;
    this.step += 1;
    const { learningRate, momentum, l2 } = this.settings;
    if (this.optimizer === 'adam') {
      const { stepSize, epsHat } = adamStepConstants(this.t, learningRate);
      return [stepSize, epsHat, l2, 0];
    }
    return [learningRate, momentum, l2, 1];
  }
}

export interface ChunkArrays {
  /** [run][step][row] example indices. */
  batches: Uint32Array<ArrayBuffer>;
  /** [run][step][HYPER_WORDS]. */
  hyper: Float32Array<ArrayBuffer>;
}

/** Allocates the arrays for `runs` runs, `chunk` steps each, batches of `batch` rows. */
export function chunkArrays(runs: number, chunk: number, batch: number): ChunkArrays {
  return { batches: new Uint32Array(runs * chunk * batch), hyper: new Float32Array(runs * chunk * HYPER_WORDS) };
}

/**
 * Fills the first `steps` steps of a chunk (capacity `chunk`) for every run and advances the
 * cursors. Every run must train with batches of `batch` rows (a group shares one batch size).
 */
export function fillChunk(cursors: GpuRunCursor[], arrays: ChunkArrays, steps: number, chunk: number, batch: number): void {
  if (steps > chunk) throw new Error(`a chunk holds ${chunk} steps, asked for ${steps}`);
  cursors.forEach((c, r) => {
    if (c.batchSize !== batch) throw new Error(`run ${r} trains with batches of ${c.batchSize}, the group with ${batch}`);
    for (let s = 0; s < steps; s++) {
      const at = r * chunk + s;
      arrays.hyper.set(c.next(arrays.batches, at * batch, batch), at * HYPER_WORDS);
    }
  });
}
