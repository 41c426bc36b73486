import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../src/core/config';
import { checkerboardLabel, DATASETS, generateDataset2D, type Dataset2DOptions } from '../../src/core/data/datasets2d';

const BASE: Dataset2DOptions = { n: 400, noise: 0.1, trainFraction: 0.5, seed: 7 };

function allPoints(d: ReturnType<typeof generateDataset2D>) {
  const X = new Float32Array([...d.trainX, ...d.testX]);
  const Y = new Float32Array([...d.trainY, ...d.testY]);
  return { X, Y };
}

describe.each(DATASETS)('dataset %s', (name) => {
  it('is reproducible from the seed and changes with it', () => {
    const a = generateDataset2D(name, BASE);
    const b = generateDataset2D(name, BASE);
    expect(Array.from(a.trainX)).toEqual(Array.from(b.trainX));
    expect(Array.from(a.testY)).toEqual(Array.from(b.testY));
    const c = generateDataset2D(name, { ...BASE, seed: 8 });
    expect(Array.from(c.trainX)).not.toEqual(Array.from(a.trainX));
  });

  it('has the requested sizes, 0/1 labels, balanced classes and bounded points', () => {
    for (const noise of [0, 0.5]) {
      const d = generateDataset2D(name, { ...BASE, n: 1001, noise, trainFraction: 0.3 });
      expect(d.trainY.length).toBe(300);
      expect(d.testY.length).toBe(701);
      expect(d.trainX.length).toBe(600);
      expect(d.testX.length).toBe(1402);
      const { X, Y } = allPoints(d);
      expect(Y.every((y) => y === 0 || y === 1)).toBe(true);
      const ones = Y.reduce((s, y) => s + y, 0);
      expect(Math.abs(ones / Y.length - 0.5)).toBeLessThan(0.1);
      expect(X.every((v) => Number.isFinite(v) && Math.abs(v) <= 1.6)).toBe(true);
      // Both classes appear in the training split (the shuffle mixes them).
      const trainOnes = d.trainY.reduce((s, y) => s + y, 0);
      expect(trainOnes).toBeGreaterThan(0.3 * 300);
      expect(trainOnes).toBeLessThan(0.7 * 300);
    }
  });

  it('keeps at least one point in each split', () => {
    const lo = generateDataset2D(name, { ...BASE, n: 4, trainFraction: 0.05 });
    expect(lo.trainY.length).toBe(1);
    expect(lo.testY.length).toBe(3);
    const hi = generateDataset2D(name, { ...BASE, n: 4, trainFraction: 0.95 });
    expect(hi.trainY.length).toBe(3);
    expect(hi.testY.length).toBe(1);
  });
});

describe('noise-free labels follow the defining rule', () => {
  const clean = (name: (typeof DATASETS)[number]) => allPoints(generateDataset2D(name, { ...BASE, n: 2000, noise: 0 }));

  it('xor: label 1 iff x*y > 0, points away from the axes', () => {
    const { X, Y } = clean('xor');
    for (let i = 0; i < Y.length; i++) {
      const x = X[2 * i];
      const y = X[2 * i + 1];
      expect(Y[i]).toBe(x * y > 0 ? 1 : 0);
      expect(Math.min(Math.abs(x), Math.abs(y))).toBeGreaterThanOrEqual(0.05 - 1e-6);
      expect(Math.max(Math.abs(x), Math.abs(y))).toBeLessThanOrEqual(1);
    }
  });

  it('circle: label 1 inside radius 0.5, label 0 in the ring 0.7..1', () => {
    const { X, Y } = clean('circle');
    for (let i = 0; i < Y.length; i++) {
      const r = Math.hypot(X[2 * i], X[2 * i + 1]);
      if (Y[i] === 1) expect(r).toBeLessThanOrEqual(0.5 + 1e-6);
      else {
        expect(r).toBeGreaterThanOrEqual(0.7 - 1e-6);
        expect(r).toBeLessThanOrEqual(1 + 1e-6);
      }
    }
  });

  it('checkerboard: 4x4 cells over [-1,1]^2 alternate labels', () => {
    const { X, Y } = clean('checkerboard');
    for (let i = 0; i < Y.length; i++) expect(Y[i]).toBe(checkerboardLabel(X[2 * i], X[2 * i + 1]));
    expect(checkerboardLabel(-0.9, -0.9)).toBe(1);
    expect(checkerboardLabel(-0.4, -0.9)).toBe(0);
    expect(checkerboardLabel(0.9, 0.9)).toBe(1);
  });

  it('noise moves points off the clean pattern', () => {
    const { X, Y } = allPoints(generateDataset2D('circle', { ...BASE, n: 2000, noise: 0.3 }));
    let offPattern = 0;
    for (let i = 0; i < Y.length; i++) {
      const r = Math.hypot(X[2 * i], X[2 * i + 1]);
      if (Y[i] === 1 ? r > 0.5 : r < 0.7) offPattern++;
    }
    expect(offPattern).toBeGreaterThan(20);
  });
});

describe('option validation', () => {
  const cases: [Partial<Dataset2DOptions>, string][] = [
    [{ n: 3 }, 'n'],
    [{ n: 100001 }, 'n'],
    [{ n: 10.5 }, 'n'],
    [{ noise: -0.1 }, 'noise'],
    [{ noise: 0.6 }, 'noise'],
    [{ noise: NaN }, 'noise'],
    [{ trainFraction: 0.01 }, 'trainFraction'],
    [{ trainFraction: 0.99 }, 'trainFraction'],
    [{ seed: -1 }, 'seed'],
    [{ seed: 1.5 }, 'seed'],
  ];
  it.each(cases)('%o throws a ConfigError naming %s', (patch, field) => {
    let err: unknown;
    try {
      generateDataset2D('xor', { ...BASE, ...patch });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
    expect((err as ConfigError).message).toMatch(new RegExp(`^${field}: .*\\[`));
  });

  it('rejects an unknown data set name', () => {
    expect(() => generateDataset2D('nope' as never, BASE)).toThrow(/dataset: must be one of xor/);
  });
});
