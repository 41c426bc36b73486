/** Robustness curves pooled per model (mean +- sample sd over seeds) against hand-computed values. */
import { describe, expect, it } from 'vitest';
import type { RobustnessCurve } from '../../src/core/robustness/attacks';
import { robustnessBands } from '../../src/core/robustness/bands';
import { defaultSizes } from '../../src/core/robustness/settings';

const curve = (sizes: number[], accuracy: number[]): RobustnessCurve => ({ kind: 'pgd', sizes, accuracy, examples: 10 });

describe('robustnessBands', () => {
  it('pools each model over its seeds, in the order models first appear, leaving out curves on other sizes', () => {
    const bands = robustnessBands([
      { model: 'relu', curve: curve([0, 0.1], [0.9, 0.2]) },
      { model: 'twoArg', curve: curve([0, 0.1], [1, 0.5]) },
      { model: 'twoArg', curve: curve([0, 0.1], [0.8, 0.3]) },
      { model: 'twoArg', curve: curve([0, 0.2], [0, 0]) },
    ]);
    expect(bands.map((b) => b.model)).toEqual(['relu', 'twoArg']);
    // One seed: its own curve, sd 0.
    expect(bands[0]).toEqual({ model: 'relu', sizes: [0, 0.1], mean: [0.9, 0.2], sd: [0, 0], runs: 1 });
    // Two seeds: mean (1 + 0.8) / 2 = 0.9 and sample sd |1 - 0.8| / sqrt(2).
    expect(bands[1].runs).toBe(2);
    expect(bands[1].mean[0]).toBeCloseTo(0.9, 12);
    expect(bands[1].mean[1]).toBeCloseTo(0.4, 12);
    expect(bands[1].sd[0]).toBeCloseTo(0.2 / Math.SQRT2, 12);
    expect(bands[1].sd[1]).toBeCloseTo(0.2 / Math.SQRT2, 12);
    expect(robustnessBands([])).toEqual([]);
  });

  it('default grids: 11 sizes from 0, to 1 for noise, 0.5 for attacks on 2D data and 0.3 on images', () => {
    expect(defaultSizes('noise', false)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(defaultSizes('noise', true)).toEqual(defaultSizes('noise', false));
    expect(defaultSizes('fgsm', false)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]);
    expect(defaultSizes('pgd', true)).toEqual([0, 0.03, 0.06, 0.09, 0.12, 0.15, 0.18, 0.21, 0.24, 0.27, 0.3]);
  });
});
