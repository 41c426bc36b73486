/**
 * The bootstrap verdict on surfaces whose answer is known: a*b over a wide spread of arguments
 * is always a saddle, a^2 + b^2 never is, and a ridge with a slight cubic bend (curvature that
 * changes sign with the region) is undecided rather than a coin flip.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapVerdict, MIN_RESAMPLES } from '../../src/core/analysis/bootstrap';
import { gridCoord, type GridSpec } from '../../src/core/grid';
import { Rng } from '../../src/core/rng';

const grid: GridSpec = { min: -4, max: 4, size: 64 };

function surface(f: (a: number, b: number) => number): Float32Array {
  const out = new Float32Array(grid.size * grid.size);
  for (let r = 0; r < grid.size; r++)
    for (let c = 0; c < grid.size; c++) out[r * grid.size + c] = f(gridCoord(grid, c), gridCoord(grid, r));
  return out;
}

/** Two layers of `units` units over `examples` examples, arguments ~ N(0, spread^2). */
function argumentSample(examples: number, units: number, spread: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return [0, 1].map(() => Float32Array.from({ length: examples * units * 2 }, () => rng.normal(0, spread)));
}

describe('bootstrap verdict', () => {
  const args = argumentSample(128, 4, 1.2, 1);
  const options = { sigmaCells: 1.5, seed: 3 };

  it('a*b with a wide spread is a saddle (XNOR-like) in every resample', () => {
    const v = bootstrapVerdict(
      surface((a, b) => a * b),
      grid,
      args,
      128,
      options,
    );
    expect(v.verdict).toBe('soft-xnor');
    expect(v.relativeDet.hi).toBeLessThan(-0.9);
    expect(v.resamples).toBe(MIN_RESAMPLES);
    expect(
      bootstrapVerdict(
        surface((a, b) => -a * b + 0.3 * a),
        grid,
        args,
        128,
        options,
      ).verdict,
    ).toBe('soft-xor');
  });

  it('a^2 + b^2 is never a saddle', () => {
    const v = bootstrapVerdict(
      surface((a, b) => a * a + b * b),
      grid,
      args,
      128,
      options,
    );
    expect(v.verdict).toBe('not-saddle');
    expect(v.relativeDet.lo).toBeGreaterThan(0.9);
    expect(v.hessianDet.lo).toBeGreaterThan(0);
  });

  it('a ridge near the threshold is undecided', () => {
    // Curved along a only; along b a cubic whose fitted curvature follows the region's centre.
    const v = bootstrapVerdict(
      surface((a, b) => a * a + 0.3 * b * b * b),
      grid,
      argumentSample(40, 4, 1.2, 5),
      40,
      options,
    );
    expect(v.verdict).toBe('undecided');
    expect(v.relativeDet.lo).toBeLessThan(0);
    expect(v.relativeDet.hi).toBeGreaterThan(0);
  });

  it('is reproducible from its seed and uses at least 50 resamples', () => {
    const g = surface((a, b) => a * a + 0.3 * b * b * b);
    const a = bootstrapVerdict(g, grid, args, 128, { ...options, resamples: 10 });
    const b = bootstrapVerdict(g, grid, args, 128, { ...options, resamples: 10 });
    expect(a).toEqual(b);
    expect(a.resamples).toBe(50);
  });
});
