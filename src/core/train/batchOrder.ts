/**
 * The order in which a run visits its training examples, and the position of its random
 * streams: one shuffle per epoch from the run's 'batch-order' stream, batches taken in turn,
 * the ragged tail dropped. Shared by the tfjs Trainer and the fused engine, so both draw the
 * same batches, and exportable, so a run restored from a checkpoint (a fresh worker taking
 * over) continues with the batches and dropout masks it would have drawn had it never stopped.
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

  constructor(
    seed: number,
    readonly n: number,
  ) {
    this.rng = Rng.derive(seed, 'batch-order');
    this.shuffledFrom = this.rng.getState();
    this.order = this.rng.permutation(n);
  }

  /**
   * The examples of the next batch of `size`, in this epoch's shuffle (`order[start..start+size)`);
   * newEpoch when it began a new epoch (a fresh shuffle) to fit them.
   */
  next(size: number): { order: Int32Array; start: number; newEpoch: boolean } {
    let newEpoch = false;
    if (this.cursor + size > this.n) {
      // Drop the ragged tail so every step has the same shape; a new epoch reshuffles.
      this.shuffledFrom = this.rng.getState();
      this.order = this.rng.permutation(this.n);
      this.cursor = 0;
      newEpoch = true;
    }
    const start = this.cursor;
    this.cursor += size;
    return { order: this.order, start, newEpoch };
  }

  /** The position now: a few numbers (the shuffle is drawn again from its stream on import). */
  exportState(): BatchOrderState {
    return { n: this.n, shuffledFrom: this.shuffledFrom, cursor: this.cursor };
  }

  /** Continues from a position exported by a run on the same examples. */
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
