import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { gridCoord, type GridSpec } from '../../src/core/grid';
import {
  analyseShape,
  angularSpectrum,
  bilinear,
  describeVerdict,
  fitQuadratic,
  gaussianSmooth,
  histogram2d,
  massMask,
  maskArea,
  normalise,
  verdictOf,
} from '../../src/core/analysis';

/** Evaluates f on every grid point, row-major (row = b = y, column = a = x). */
function field(grid: GridSpec, f: (a: number, b: number) => number): Float32Array {
  const out = new Float32Array(grid.size * grid.size);
  for (let r = 0; r < grid.size; r++) {
    for (let c = 0; c < grid.size; c++) out[r * grid.size + c] = f(gridCoord(grid, c), gridCoord(grid, r));
  }
  return out;
}

function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

const G41: GridSpec = { min: -3, max: 3, size: 41 };
const KNOWN: [number, number, number, number, number, number] = [0.3, -0.7, 1.1, -0.2, 0.5, 0.05];
const quad = (c: readonly number[]) => (a: number, b: number) => c[0] * a * a + c[1] * b * b + c[2] * a * b + c[3] * a + c[4] * b + c[5];

describe('histogram2d', () => {
  const grid: GridSpec = { min: -1, max: 1, size: 5 }; // points at -1, -0.5, 0, 0.5, 1; h = 0.5

  it('puts each pair in the cell of its nearest grid point (row = b, column = a)', () => {
    const h = histogram2d(new Float32Array([0.6, -0.9, -0.2, 0.1, 1.2, 1.2]), grid);
    expect(h[0 * 5 + 3]).toBe(1); // (0.6, -0.9) -> column 3 (0.5), row 0 (-1)
    expect(h[2 * 5 + 2]).toBe(1); // (-0.2, 0.1) -> centre
    expect(h[4 * 5 + 4]).toBe(1); // (1.2, 1.2) is inside max + h/2 = 1.25
    expect(sum(h)).toBe(3);
  });

  it('counts exactly the in-range finite pairs and drops the rest', () => {
    const pairs = new Float32Array([0, 0, 1.3, 0, 0, -1.3, NaN, 0, 0, Infinity, -1.24, 1.24, 0.25, 0.25]);
    const h = histogram2d(pairs, grid);
    expect(sum(h)).toBe(3); // (0,0), (-1.24,1.24), (0.25,0.25)
    expect(h[4 * 5 + 0]).toBe(1);
  });

  it('total count equals the number of in-range random points', () => {
    const pairs = new Float32Array(2000);
    for (let i = 0; i < pairs.length; i++) pairs[i] = Math.sin(i * 12.9898) * 1.6; // deterministic spread
    let inRange = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] >= -1.25 && pairs[i] < 1.25 && pairs[i + 1] >= -1.25 && pairs[i + 1] < 1.25) inRange++;
    }
    expect(sum(histogram2d(pairs, grid))).toBe(inRange);
  });
});

describe('gaussianSmooth and normalise', () => {
  it('preserves total mass away from the edges and spreads a point symmetrically', () => {
    const size = 41;
    const v = new Float32Array(size * size);
    v[20 * size + 20] = 10;
    const s = gaussianSmooth(v, size, 2);
    expect(sum(s)).toBeCloseTo(10, 4);
    expect(s[20 * size + 20]).toBeLessThan(10);
    expect(s[20 * size + 23]).toBeCloseTo(s[23 * size + 20], 6);
    expect(s[20 * size + 17]).toBeCloseTo(s[20 * size + 23], 6);
    expect(s[20 * size + 30]).toBe(0); // beyond 3 sigma = 6 cells: kernel truncated
  });

  it('leaks mass at the edges (zero padding) and sigma 0 returns a copy', () => {
    const size = 9;
    const v = new Float32Array(size * size);
    v[0] = 1;
    expect(sum(gaussianSmooth(v, size, 1.5))).toBeLessThan(0.5);
    const copy = gaussianSmooth(v, size, 0);
    expect(Array.from(copy)).toEqual(Array.from(v));
    expect(copy).not.toBe(v);
  });

  it('normalise sums to 1, and all zeros stay zeros', () => {
    expect(sum(normalise(new Float32Array([1, 2, 3, 4])))).toBeCloseTo(1, 6);
    expect(Array.from(normalise(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });
});

describe('massMask', () => {
  it.each([1, 0.6])('90%% region of an isotropic Gaussian (sigma %s) has area 2 pi s^2 ln 10', (s) => {
    const grid: GridSpec = { min: -6 * s, max: 6 * s, size: 241 };
    const density = field(grid, (a, b) => Math.exp(-(a * a + b * b) / (2 * s * s)));
    const area = maskArea(massMask(density, 0.9), grid);
    const expected = 2 * Math.PI * s * s * Math.log(10);
    expect(Math.abs(area - expected) / expected).toBeLessThan(0.03);
  });

  it('takes the densest cells first, breaks ties by index, and is empty for zero density', () => {
    const m = massMask(new Float32Array([1, 5, 1, 3]), 0.8); // need 8 of 10: 5 + 3
    expect(Array.from(m)).toEqual([0, 1, 0, 1]);
    const tie = massMask(new Float32Array([1, 1, 1, 1]), 0.5);
    expect(Array.from(tie)).toEqual([1, 1, 0, 0]);
    expect(Array.from(massMask(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });

  it('maskArea counts cells times the cell area', () => {
    const grid: GridSpec = { min: 0, max: 2, size: 5 }; // h = 0.5
    expect(maskArea(new Uint8Array([1, 1, 0, 1]), grid)).toBeCloseTo(0.75, 10);
  });
});

describe('fitQuadratic', () => {
  const g = field(G41, quad(KNOWN));

  it('recovers known coefficients on the whole grid', () => {
    const fit = fitQuadratic(g, G41, null);
    fit.c.forEach((c, i) => expect(Math.abs(c - KNOWN[i])).toBeLessThan(1e-3));
    expect(fit.n).toBe(41 * 41);
    expect(fit.cosine).toBeGreaterThan(0.999999);
    expect(fit.mse).toBeLessThan(1e-8);
  });

  it('recovers them inside an off-centre mask, using only the masked cells', () => {
    const mask = new Uint8Array(41 * 41);
    for (let r = 0; r < 41; r++) {
      for (let c = 0; c < 41; c++) {
        const a = gridCoord(G41, c) - 1;
        const b = gridCoord(G41, r) + 0.5;
        if (a * a + b * b < 1.5) mask[r * 41 + c] = 1;
      }
    }
    // Garbage outside the mask must not matter.
    const noisy = g.slice();
    for (let i = 0; i < noisy.length; i++) if (!mask[i]) noisy[i] = 1000 * Math.sin(i);
    const fit = fitQuadratic(noisy, G41, mask);
    fit.c.forEach((c, i) => expect(Math.abs(c - KNOWN[i])).toBeLessThan(1e-3));
    expect(fit.n).toBe(sum(mask));
  });

  it('uniform weights give the unweighted fit; zero weights exclude cells', () => {
    const w = new Float32Array(41 * 41).fill(2);
    const fit = fitQuadratic(g, G41, null, w);
    fit.c.forEach((c, i) => expect(Math.abs(c - KNOWN[i])).toBeLessThan(1e-3));
    w.fill(0);
    expect(fitQuadratic(g, G41, null, w).n).toBe(0);
  });

  it('reports no fit (zeros, cosine 0, mse NaN) with fewer than 6 cells or a degenerate layout', () => {
    const few = new Uint8Array(41 * 41);
    few.fill(1, 0, 5);
    const a = fitQuadratic(g, G41, few);
    expect(a).toMatchObject({ c: [0, 0, 0, 0, 0, 0], cosine: 0, n: 5 });
    expect(a.mse).toBeNaN();
    const row = new Uint8Array(41 * 41);
    row.fill(1, 0, 41); // one row: b is constant, so b^2, ab, b cannot be separated
    const b = fitQuadratic(g, G41, row);
    expect(b.mse).toBeNaN();
    expect(b.n).toBe(41);
    expect(describeVerdict(analyseShape(g, G41, new Float32Array(41 * 41).fill(1), row))).toMatch(/No shape verdict/);
  });

  it('cosine is plain (uncentred): a large offset keeps it high even when the shape is missed', () => {
    const wiggly = field(G41, (a) => 10 + Math.cos(3 * a));
    const fit = fitQuadratic(wiggly, G41, null);
    expect(fit.cosine).toBeGreaterThan(0.99);
    expect(fit.mse).toBeGreaterThan(0.1);
  });
});

describe('verdict', () => {
  const analyse = (f: (a: number, b: number) => number) => analyseShape(field(G41, f), G41, null, null);

  it('g = a*b is a saddle with XNOR orientation', () => {
    const s = analyse((a, b) => a * b);
    expect(s.hessianDet).toBeCloseTo(-1, 4);
    expect(s.verdict).toBe('soft-xnor');
    expect(describeVerdict(s)).toMatch(/^Soft XNOR: a saddle \(det -1\)/);
  });

  it('g = -a*b is a saddle with XOR orientation', () => {
    const s = analyse((a, b) => -a * b);
    expect(s.verdict).toBe('soft-xor');
    expect(describeVerdict(s)).toMatch(
      /^Soft XOR: a saddle \(det -1\) high when exactly one argument is high; quadratic fit cosine 1\.00\.$/,
    );
  });

  it('bowls, domes, ridges and planes are not saddles', () => {
    const bowl = analyse((a, b) => a * a + b * b);
    expect(bowl.verdict).toBe('not-saddle');
    expect(bowl.hessianDet).toBeCloseTo(4, 4);
    expect(describeVerdict(bowl)).toMatch(/bowl/);
    expect(describeVerdict(analyse((a, b) => -a * a - 0.5 * b * b))).toMatch(/dome/);
    const plane = analyse((a, b) => a + b);
    expect(plane.verdict).toBe('not-saddle');
    expect(describeVerdict(plane)).toMatch(/plane-like/);
    const ridge = analyse((a) => a * a + 0.3 * a);
    expect(ridge.verdict).toBe('not-saddle');
    expect(describeVerdict(ridge)).toMatch(/ridge-like/);
  });

  it('an axis-aligned saddle is still a saddle, and the description says the label is weak', () => {
    const s = analyse((a, b) => a * a - b * b + 0.01 * a * b);
    expect(s.verdict).toBe('soft-xnor');
    expect(describeVerdict(s)).toMatch(/axis-aligned/);
    expect(describeVerdict(analyse((a, b) => -a * b))).not.toMatch(/axis-aligned/);
  });

  it('orientation is invariant to adding linear terms and a constant', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.constantFrom(1, -1),
        (d, e, f, sign) => {
          const { verdict } = verdictOf([0.1, -0.2, sign * 0.8, d, e, f]);
          expect(verdict).toBe(sign > 0 ? 'soft-xnor' : 'soft-xor');
        },
      ),
    );
  });

  it('property: fitQuadratic recovers random quadratics and the verdict follows the sign of det', () => {
    const grid: GridSpec = { min: -3, max: 3, size: 21 };
    const coef = fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true });
    const arb = fc.tuple(coef, coef, coef, coef, coef, coef).filter(([c0, c1, c2]) => {
      const scale = 2 * c0 * c0 + 2 * c1 * c1 + c2 * c2;
      return scale > 0.01 && Math.abs(4 * c0 * c1 - c2 * c2) / scale > 0.05 && Math.abs(c2) > 1e-3;
    });
    fc.assert(
      fc.property(arb, (c) => {
        const fit = fitQuadratic(field(grid, quad(c)), grid, null);
        fit.c.forEach((x, i) => expect(Math.abs(x - c[i])).toBeLessThan(1e-3));
        const det = 4 * c[0] * c[1] - c[2] * c[2];
        const { verdict, hessianDet } = verdictOf(fit.c);
        expect(Math.sign(hessianDet)).toBe(Math.sign(det));
        expect(verdict).toBe(det > 0 ? 'not-saddle' : c[2] > 0 ? 'soft-xnor' : 'soft-xor');
      }),
      { numRuns: 200 },
    );
  });
});

describe('angularSpectrum', () => {
  const grid: GridSpec = { min: -3, max: 3, size: 61 };
  const centre: [number, number] = [0.4, -0.3];
  const R = 1.5;

  it('cos(2 theta) around the centre is all l = 2, with power equal to its mean square 0.5', () => {
    const g = field(grid, (a, b) => ((a - centre[0]) ** 2 - (b - centre[1]) ** 2) / (R * R));
    const p = angularSpectrum(g, grid, centre, R);
    expect(p).toHaveLength(4);
    expect(p[2]).toBeCloseTo(0.5, 2);
    expect(p[0] + p[1] + p[3]).toBeLessThan(1e-3);
  });

  it('f = x is a dipole (l = 1) and a constant a monopole (l = 0)', () => {
    const px = angularSpectrum(
      field(grid, (a) => a - centre[0]),
      grid,
      centre,
      R,
    );
    expect(px[1]).toBeCloseTo((R * R) / 2, 3);
    expect(px[0] + px[2] + px[3]).toBeLessThan(1e-4);
    const pc = angularSpectrum(new Float32Array(61 * 61).fill(2), grid, centre, R);
    expect(pc[0]).toBeCloseTo(4, 6);
    expect(pc[1] + pc[2] + pc[3]).toBeLessThan(1e-10);
  });

  it('bilinear interpolation is exact for bilinear functions and clamps outside the grid', () => {
    const g = field(grid, (a, b) => 2 * a - b + 0.5 * a * b);
    expect(bilinear(g, grid, 0.33, -1.27)).toBeCloseTo(2 * 0.33 + 1.27 + 0.5 * 0.33 * -1.27, 5);
    expect(bilinear(g, grid, 10, 10)).toBeCloseTo(bilinear(g, grid, 3, 3), 6);
  });
});

describe('analyseShape with a density', () => {
  it('fits inside the 90% mask and centres the spectrum on the data', () => {
    const grid: GridSpec = { min: -4, max: 4, size: 81 };
    const s = 0.8;
    const cx = 0.5;
    const cy = -0.3;
    const density = normalise(field(grid, (a, b) => Math.exp(-((a - cx) ** 2 + (b - cy) ** 2) / (2 * s * s))));
    const mask = massMask(density);
    // XOR-shaped inside the data region, something else entirely far outside it.
    const g = field(grid, (a, b) => ((a - cx) ** 2 + (b - cy) ** 2 < 9 ? -(a - cx) * (b - cy) : 5 * a * a));
    const res = analyseShape(g, grid, density, mask);
    expect(res.verdict).toBe('soft-xor');
    expect(res.centre[0]).toBeCloseTo(cx, 3);
    expect(res.centre[1]).toBeCloseTo(cy, 3);
    expect(res.radius).toBeCloseTo(s * Math.SQRT2, 2);
    expect(Math.abs(res.maskArea - 14.47 * s * s) / (14.47 * s * s)).toBeLessThan(0.05);
    expect(res.spectrum[2]).toBeGreaterThan(10 * res.spectrum[1]);
    expect(res.fit.cosine).toBeGreaterThan(0.999);
  });

  it('without a density uses every cell, the grid centre and a quarter of the extent', () => {
    const res = analyseShape(
      field(G41, (a, b) => a * b),
      G41,
      null,
      new Uint8Array(41 * 41),
    );
    expect(res.fit.n).toBe(41 * 41);
    expect(res.centre).toEqual([0, 0]);
    expect(res.radius).toBe(1.5);
    expect(res.maskArea).toBeCloseTo(41 * 41 * 0.15 * 0.15, 6);
  });
});
