/**
 * A run's random streams can be saved and continued: the generator's state, and the batch
 * order (one shuffle per epoch, the ragged tail dropped) continued from a saved position.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { BatchOrder } from '../../src/core/train/batchOrder';

/** The example indices of the next `count` batches of `size`. */
function batches(order: BatchOrder, count: number, size: number): number[][] {
  return Array.from({ length: count }, () => [...order.take(size)]);
}

describe('saving and continuing random streams', () => {
  it('a generator given another one’s state draws the same numbers, normals included', () => {
    const a = new Rng(42);
    a.normal(); // leaves a spare normal cached
    for (let i = 0; i < 5; i++) a.nextUint32();
    const b = new Rng(7);
    b.setState(structuredClone(a.getState()));
    expect(Array.from({ length: 20 }, () => b.normal())).toEqual(Array.from({ length: 20 }, () => a.normal()));
    expect(() => b.setState({ words: [1, 2, 3.5, 4], spareNormal: null })).toThrow();
  });

  it('visits every example once an epoch in batches of a fixed size, and counts the epochs', () => {
    const order = new BatchOrder(3, 10);
    const epoch = batches(order, 3, 3);
    expect(new Set(epoch.flat()).size).toBe(9); // the tenth example is the dropped tail
    expect(order.epoch).toBe(0);
    order.take(3);
    expect(order.epoch).toBe(1);
  });

  it('continues from a saved position with the batches the uninterrupted order gives, across new shuffles', () => {
    const a = new BatchOrder(11, 50);
    batches(a, 4, 8);
    const saved = structuredClone(a.exportState());
    const expected = batches(a, 20, 8);
    const b = new BatchOrder(11, 50);
    b.importState(saved);
    expect(batches(b, 20, 8)).toEqual(expected);
    // A fresh order (what a restore did before positions were saved) differs.
    expect(batches(new BatchOrder(11, 50), 20, 8)).not.toEqual(expected);
  });

  it('refuses a position saved for other data', () => {
    const saved = new BatchOrder(1, 50).exportState();
    expect(() => new BatchOrder(1, 60).importState(saved)).toThrow(/50 examples/);
    expect(() => new BatchOrder(1, 50).importState({ ...saved, cursor: 51 })).toThrow(/out of range/);
  });
});
