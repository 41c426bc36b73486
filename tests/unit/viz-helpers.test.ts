import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contourLines, maskLevel } from '../../src/viz/contours';
import { niceCeil, stepRange, stickyRange } from '../../src/viz/niceRange';
import { lossRanges, nearestPoint } from '../../src/viz/figures/lossFigure';
import { colourRange, imageExtent, scaleLocked } from '../../src/viz/figures/gFigure';
import { axisOnlyUpdate, flattenLayout, scale } from '../../src/viz/framedChart';
import { clientToPlane, DEFAULT_PLANE, pointRadius, pxToPlane } from '../../src/viz/planeGeometry';
import type { MetricPoint } from '../../src/worker/protocol';

const grid = { min: -4, max: 4, size: 33 };

function field(f: (x: number, y: number) => number): Float32Array {
  const v = new Float32Array(grid.size * grid.size);
  for (let r = 0; r < grid.size; r++)
    for (let c = 0; c < grid.size; c++) v[r * grid.size + c] = f(-4 + (8 * c) / (grid.size - 1), -4 + (8 * r) / (grid.size - 1));
  return v;
}

describe('contourLines', () => {
  it('traces a circle as one closed loop at the right radius', () => {
    const lines = contourLines(
      field((x, y) => Math.hypot(x, y)),
      grid,
      2,
    );
    expect(lines).toHaveLength(1);
    const loop = lines[0];
    expect(loop[0]).toBe(loop[loop.length - 1]);
    for (const [x, y] of loop) expect(Math.abs(Math.hypot(x, y) - 2)).toBeLessThan(0.05);
  });

  it('gives open lines that end on the border for a plane', () => {
    const lines = contourLines(
      field((x) => x),
      grid,
      1,
    );
    expect(lines).toHaveLength(1);
    for (const [x] of lines[0]) expect(x).toBeCloseTo(1, 5);
  });

  it('returns nothing for a constant field and never throws on NaN', () => {
    expect(
      contourLines(
        field(() => 3),
        grid,
        1,
      ),
    ).toEqual([]);
    expect(() =>
      contourLines(
        field((x) => (x > 0 ? NaN : x)),
        grid,
        -1,
      ),
    ).not.toThrow();
  });

  it('puts the mask level between masked and unmasked densities', () => {
    const d = new Float32Array([0.5, 0.3, 0.15, 0.05]);
    expect(maskLevel(d, new Uint8Array([1, 1, 1, 0]))).toBeCloseTo(0.1);
    expect(maskLevel(d, new Uint8Array([0, 0, 0, 0]))).toBeNull();
  });
});

describe('axis ranges', () => {
  it('niceCeil picks 1, 2 or 5 times a power of ten at or above x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (x) => {
        const n = niceCeil(x);
        expect(n).toBeGreaterThanOrEqual(x * (1 - 1e-9));
        expect(n).toBeLessThanOrEqual(x * 5 + 1e-12);
      }),
    );
  });

  it('stepRange grows in jumps that keep the data filling more than half', () => {
    let prev = null;
    let changes = 0;
    for (let step = 0; step <= 100_000; step += 37) {
      const r = stepRange(prev, step);
      expect(r[1]).toBeGreaterThanOrEqual(step);
      if (step > 100) expect(step / r[1]).toBeGreaterThan(0.55);
      if (r !== prev) changes++;
      prev = r;
    }
    expect(changes).toBeLessThan(40); // a handful per decade, not one per snapshot
  });

  it('stickyRange keeps a range while the data fit it', () => {
    const r = stickyRange(null, -1, 1);
    expect(stickyRange(r, -0.9, 0.95)).toBe(r);
    expect(stickyRange(r, -5, 1)).not.toBe(r);
  });

  it('lossRanges reuses the previous object when nothing moved (no frame redraw)', () => {
    const h = (n: number): MetricPoint[] =>
      Array.from({ length: n }, (_, i) => ({
        step: i * 10,
        epoch: i,
        trainLoss: 0.7 * Math.exp(-i / 50),
        testLoss: 0.7,
        trainAcc: 0.5,
        testAcc: 0.5,
      }));
    const a = lossRanges(h(40), true, null);
    const b = lossRanges(h(41), true, a);
    expect(b).toBe(a);
    expect(a.y[0]).toBeLessThanOrEqual(Math.log10(0.7 * Math.exp(-49 / 50)));
    const lin = lossRanges(h(51), false, a);
    expect(lin.logScale).toBe(false);
    expect(lin.y[0]).toBe(0);
  });

  it('nearestPoint finds the closest step', () => {
    const h = [0, 10, 20, 40].map((step) => ({ step, epoch: 0, trainLoss: step, testLoss: 0, trainAcc: 0, testAcc: 0 }));
    expect(nearestPoint(h, 14)?.step).toBe(10);
    expect(nearestPoint(h, 31)?.step).toBe(40);
    expect(nearestPoint([], 3)).toBeNull();
  });
});

describe('g view helpers', () => {
  it('colour range follows the masked region, bounded by the whole grid', () => {
    const g = new Float32Array([1, -2, 10, 0.5]);
    expect(colourRange(g, null)).toBe(10);
    expect(colourRange(g, new Uint8Array([1, 1, 0, 0]))).toBe(2.5);
    expect(colourRange(new Float32Array(4), null)).toBe(1);
  });

  it('image extent puts grid points at pixel centres', () => {
    const [lo, hi] = imageExtent({ min: -4, max: 4, size: 5 });
    expect(lo).toBe(-5);
    expect(hi).toBe(5);
  });

  it('scale maps ranges to pixels, flipping y', () => {
    const sy = scale([0, 10], 0, 100, true);
    expect(sy(0)).toBe(100);
    expect(sy(10)).toBe(0);
  });
});

describe('frame updates', () => {
  it('uses the fast axis path only when just ranges or ticks changed', () => {
    const a = flattenLayout({ xaxis: { range: [0, 10], title: 'x' }, margin: { l: 1 } });
    const b = flattenLayout({ xaxis: { range: [0, 20], title: 'x' }, margin: { l: 1 } });
    const c = flattenLayout({ xaxis: { range: [0, 20], title: 'y' }, margin: { l: 1 } });
    expect(axisOnlyUpdate(a, b)).toEqual({ 'xaxis.range': [0, 20] });
    expect(axisOnlyUpdate(a, c)).toBeNull();
  });
});

describe('plane geometry of the decision surface', () => {
  const rect = { left: 100, top: 50, width: 300, height: 300 };

  it('maps the canvas corners and centre to the plane, y upwards', () => {
    expect(clientToPlane(100, 50, rect)).toEqual([DEFAULT_PLANE.min, DEFAULT_PLANE.max]);
    expect(clientToPlane(400, 350, rect)).toEqual([DEFAULT_PLANE.max, DEFAULT_PLANE.min]);
    const [x, y] = clientToPlane(250, 200, rect);
    expect(x).toBeCloseTo(0, 12);
    expect(y).toBeCloseTo(0, 12);
    expect(clientToPlane(150, 50, { ...rect, width: 100, height: 100 }, { min: 0, max: 1 })).toEqual([0.5, 1]);
  });

  it('converts pixels to plane units by the canvas width', () => {
    expect(pxToPlane(14, 300)).toBeCloseTo(0.14, 12);
    expect(pxToPlane(14, 600)).toBeCloseTo(0.07, 12);
    expect(Number.isFinite(pxToPlane(14, 0))).toBe(true);
  });

  it('draws few points large and many points small', () => {
    expect(pointRadius(10, 420)).toBe(6);
    expect(pointRadius(10, 140)).toBe(3);
    expect(pointRadius(1000, 440)).toBe(4);
    expect(pointRadius(5000, 440)).toBe(2.5);
    expect(pointRadius(50_000, 100)).toBe(1.2);
    for (const n of [1, 200, 201, 2000, 2001, 20_000, 20_001]) {
      expect(pointRadius(n, 300)).toBeGreaterThanOrEqual(pointRadius(n + 10_000, 300));
    }
  });
});

describe('lock scale', () => {
  it('is on when asked, off when refused, and by default only while the timeline replays', () => {
    expect(scaleLocked('on', false)).toBe(true);
    expect(scaleLocked('off', true)).toBe(false);
    expect(scaleLocked('auto', true)).toBe(true);
    expect(scaleLocked('auto', false)).toBe(false);
  });
});
