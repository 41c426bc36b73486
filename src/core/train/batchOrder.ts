/**
 * The order training examples are drawn in, and the position of a run's random streams: the
 * project's "batch-order" stream shuffles the training set once per epoch and batches are
 * consecutive slices of that permutation, the ragged tail dropped (every step has the same
 * shape). One class for every engine (the tfjs Trainer, the CPU fused kernel in fusedRun.ts, the
 * WebGPU step planned in fused/gpu/chunkPlan.ts), so they draw the same rows from the same seed;
 * and exportable, so a run restored from a checkpoint (a fresh worker taking over) continues
 * with the batches and dropout masks it would have drawn had it never stopped.
 */
import { Rng, type RngState } from '../rng';

/** Where a run stands in its batch order (see BatchOrder.exportState). */
export interface BatchOrderState {
  /** The training examples this state belongs to. */
  n: number;
  /** The batch-order stream just before it drew the current epoch's shuffle. */
  shuffledFrom: RngState;
  /** The next example to take from that shuffle. */
  cursor: number;
}

/** A run's random streams while training: its batch order and its dropout masks. */
export interface TrainStreams {
  batches: BatchOrderState;
  dropout: RngState;
}

export class BatchOrder {
  private readonly rng: Rng;
  private shuffledFrom: RngState;
  private order: Int32Array;
  private cursor = 0;
  /** Completed passes over the training set (a reshuffle starts the next). */
  epoch = 0;

  constructor(
    seed: number,
    readonly n: number,
  ) {
    this.rng = Rng.derive(seed, 'batch-order');
    this.shuffledFrom = this.rng.getState();
    this.order = this.rng.permutation(n);
  }

  /**
   * Takes the next `size` example indices; the returned view is valid until the next call.
   * `size` must not exceed the training set (callers clamp the batch to it).
   */
  take(size: number): Int32Array {
    if (this.cursor + size > this.n) {
      this.shuffledFrom = this.rng.getState();
      this.order = this.rng.permutation(this.n);
      this.cursor = 0;
      this.epoch += 1;
    }
    const rows = this.order.subarray(this.cursor, this.cursor + size);
    this.cursor += size;
    return rows;
  }

  /** The position now: a few numbers (the shuffle is drawn again from its stream on import). */
  exportState(): BatchOrderState {
    return { n: this.n, shuffledFrom: this.shuffledFrom, cursor: this.cursor };
  }

  /** Continues from a position exported by a run on the same examples (the epoch count is the caller's). */
  importState(state: BatchOrderState): void {
    if (state.n !== this.n) throw new Error(`the batch order was saved for ${state.n} examples, this run has ${this.n}`);
    if (!Number.isInteger(state.cursor) || state.cursor < 0 || state.cursor > this.n)
      throw new Error('the batch order position is out of range');
    this.rng.setState(state.shuffledFrom);
    this.shuffledFrom = this.rng.getState();
    this.order = this.rng.permutation(this.n);
    this.cursor = state.cursor;
  }
}
