/** Summary statistics for comparing seeds: hand-computed means, sds, bands and Wilson intervals. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mean, meanSdBand, median, quantile, rateOf, sampleSd, wilsonInterval } from '../../src/core/stats/summary';

describe('mean, sd, median, quantile', () => {
  it('match hand-computed values and skip non-finite entries', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleSd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(mean([1, NaN, 3])).toBe(2);
    expect(sampleSd([5])).toBe(0);
    expect(mean([])).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([0, 10], 0.975)).toBeCloseTo(9.75, 12);
  });
});

describe('Wilson score interval', () => {
  it('matches published values', () => {
    const half = wilsonInterval(8, 16);
    expect(half.lo).toBeCloseTo(0.28, 3);
    expect(half.hi).toBeCloseTo(0.72, 3);
    // 0 of 10: the interval still reaches 0.2775 (the normal approximation would say [0, 0]).
    const none = wilsonInterval(0, 10);
    expect(none.lo).toBe(0);
    expect(none.hi).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10).hi).toBe(1);
    expect(wilsonInterval(10, 10).lo).toBeCloseTo(0.7225, 4);
    expect(wilsonInterval(0, 0)).toEqual({ lo: 0, hi: 1 });
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(rateOf(3, 4).rate).toBe(0.75);
  });

  it('always contains the observed rate and stays inside [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.round(f * n);
        const { lo, hi } = wilsonInterval(k, n);
        return lo >= 0 && hi <= 1 && lo <= k / n + 1e-12 && hi >= k / n - 1e-12;
      }),
    );
  });
});

describe('mean +- sd bands over seeds', () => {
  it('averages runs step by step and drops steps some run lacks', () => {
    const band = meanSdBand([
      [
        { step: 0, value: 1 },
        { step: 10, value: 3 },
        { step: 20, value: 9 },
      ],
      [
        { step: 0, value: 3 },
        { step: 10, value: 5 },
      ],
    ]);
    expect(band).toEqual([
      { step: 0, mean: 2, sd: Math.SQRT2, n: 2 },
      { step: 10, mean: 4, sd: Math.SQRT2, n: 2 },
    ]);
    expect(meanSdBand([])).toEqual([]);
  });
});
