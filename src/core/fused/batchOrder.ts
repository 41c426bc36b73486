/**
 * The order training examples are drawn in: the project's "batch-order" stream shuffles the
 * training set once per epoch and batches are consecutive slices of that permutation, the
 * ragged tail dropped (every step has the same shape). One class so that every fused engine
 * (the CPU kernel in fusedRun.ts, the WebGPU step planned in gpu/chunkPlan.ts) draws the same
 * rows from the same seed.
 */
import { Rng } from '../rng';

export class BatchOrder {
  private readonly rng: Rng;
  private order: Int32Array;
  private cursor = 0;
  /** Completed passes over the training set (a reshuffle starts the next). */
  epoch = 0;

  constructor(
    seed: number,
    private readonly n: number,
  ) {
    this.rng = Rng.derive(seed, 'batch-order');
    this.order = this.rng.permutation(n);
  }

  /**
   * Takes the next `size` example indices; the returned view is valid until the next call.
   * `size` must not exceed the training set (callers clamp the batch to it).
   */
  take(size: number): Int32Array {
    if (this.cursor + size > this.n) {
      this.order = this.rng.permutation(this.n);
      this.cursor = 0;
      this.epoch += 1;
    }
    const rows = this.order.subarray(this.cursor, this.cursor + size);
    this.cursor += size;
    return rows;
  }
}
