/** Statistics for comparing seeds: hand-computed means, sds, bands, Wilson and Welch intervals. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mean, meanSdBand, median, quantile, rateOf, sampleSd, wilsonInterval } from '../../src/core/stats/summary';
import { directionVerdict, rateDirectionVerdict, t975, welchDifference } from '../../src/core/stats/compare';

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

describe('comparing groups of seeds', () => {
  it('t quantiles match the tables', () => {
    expect(t975(3)).toBeCloseTo(3.182, 1);
    expect(t975(7)).toBeCloseTo(2.365, 2);
    expect(t975(30)).toBeCloseTo(2.042, 3);
    expect(t975(Infinity)).toBeCloseTo(1.96, 3);
  });

  it('Welch interval of a difference of means, and the three-way call', () => {
    // Equal sizes and variances: df = 2n - 2 = 6, se = sqrt(2 * 1 / 4).
    const d = welchDifference([1, 2, 3, 2], [0, 1, 2, 1]);
    expect(d.diff).toBe(1);
    const sd2 = 2 / 3;
    const half = t975(6) * Math.sqrt((2 * sd2) / 4);
    expect(d.lo).toBeCloseTo(1 - half, 10);
    expect(d.hi).toBeCloseTo(1 + half, 10);
    expect(directionVerdict(d)).toBe('inconclusive');
    expect(directionVerdict(welchDifference([10, 11, 12], [1, 2, 3]))).toBe('reproduced');
    expect(directionVerdict(welchDifference([1, 2, 3], [10, 11, 12]))).toBe('not reproduced');
    expect(directionVerdict(welchDifference([1], [2, 3]))).toBe('not measured');
  });

  it('rates are compared by their Wilson intervals', () => {
    expect(rateDirectionVerdict(rateOf(16, 16), rateOf(2, 16))).toBe('reproduced');
    expect(rateDirectionVerdict(rateOf(10, 16), rateOf(8, 16))).toBe('inconclusive');
    expect(rateDirectionVerdict(rateOf(0, 16), rateOf(14, 16))).toBe('not reproduced');
    expect(rateDirectionVerdict(rateOf(0, 0), rateOf(1, 2))).toBe('not measured');
  });
});
