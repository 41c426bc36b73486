/** The network view's geometry: columns centred, inlets a above b, links sized by weight. */
import { describe, expect, it } from 'vitest';
import { UNIT, inlet, linkPath, linkStyle, networkLayout } from '../../src/viz/network/networkLayout';
import { inputField, validUnit } from '../../src/viz/network/networkPictures';
import type { NetworkView } from '../../src/core/networkView';

describe('networkLayout', () => {
  it('puts columns left to right, each centred on the tallest', () => {
    const l = networkLayout([2, 8, 8, 1]);
    expect(l.columns.map((c) => c.length)).toEqual([2, 8, 8, 1]);
    const xs = l.columns.map((c) => c[0].x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const centre = (c: { y: number }[]) => (c[0].y + c[c.length - 1].y + UNIT) / 2;
    for (const c of l.columns) expect(centre(c)).toBeCloseTo(l.height / 2, 6);
    // Every box lies inside the viewBox.
    for (const b of l.columns.flat()) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + UNIT).toBeLessThanOrEqual(l.width);
      expect(b.y + UNIT).toBeLessThanOrEqual(l.height);
    }
  });

  it('feeds a two-argument unit a above b, a one-argument unit in the middle', () => {
    const box = { column: 1, index: 0, x: 10, y: 20 };
    expect(inlet(box, 0, 2).y).toBeLessThan(inlet(box, 1, 2).y);
    expect(inlet(box, 0, 1).y).toBe(20 + UNIT / 2);
    expect(linkPath({ column: 0, index: 0, x: 0, y: 0 }, { x: 100, y: 50 })).toMatch(/^M40\.0,20\.0 C.* 100\.0,50\.0$/);
  });

  it('sizes links by |w| relative to the largest, and survives zero and NaN', () => {
    expect(linkStyle(2, 2).width).toBeGreaterThan(linkStyle(-1, 2).width);
    expect(linkStyle(-1, 2)).toEqual(linkStyle(1, 2));
    expect(linkStyle(NaN, 2)).toEqual(linkStyle(0, 2));
    expect(linkStyle(1, 0)).toEqual(linkStyle(0, 1));
  });
});

describe('network pictures', () => {
  it('an input picture is its own coordinate; a selection the view no longer has is dropped', () => {
    const grid = { min: -1, max: 1, size: 3 };
    expect(Array.from(inputField(grid, 0))).toEqual([-1, 0, 1, -1, 0, 1, -1, 0, 1]);
    expect(Array.from(inputField(grid, 1))).toEqual([-1, -1, -1, 0, 0, 0, 1, 1, 1]);
    const view = { layers: [{ drawn: 4 }] } as unknown as NetworkView;
    expect(validUnit(view, { layer: 0, unit: 3 })).toEqual({ layer: 0, unit: 3 });
    expect(validUnit(view, { layer: 0, unit: 4 })).toBeNull();
    expect(validUnit(view, { layer: 1, unit: 0 })).toBeNull();
    expect(validUnit(null, { layer: 0, unit: 0 })).toBeNull();
  });
});
