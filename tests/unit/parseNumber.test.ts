/** One strict number reader for links, typed settings and CSV uploads. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePointsCsv } from '../../src/core/data/csv';
import { parseNumber } from '../../src/core/parseNumber';
import { decodeLink } from '../../src/state/link';

describe('parseNumber', () => {
  it('reads plain decimals, with spaces around and exponents', () => {
    expect(parseNumber('0.5')).toBe(0.5);
    expect(parseNumber(' -3 ')).toBe(-3);
    expect(parseNumber('+.25')).toBe(0.25);
    expect(parseNumber('2.')).toBe(2);
    expect(parseNumber('1E-3')).toBe(0.001);
  });

  it('refuses what Number() would quietly accept', () => {
    for (const t of ['', ' ', '0x10', 'Infinity', '-Infinity', 'NaN', '1,5', '1 2', '1e', '.', '--1', '0b1', '1_000']) {
      expect(parseNumber(t), t).toBeNaN();
    }
  });

  it('agrees with JavaScript on every number it prints', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (v) => Object.is(parseNumber(String(v)), v) || (v === 0 && parseNumber(String(v)) === 0),
      ),
    );
  });

  it('is what the link and the CSV upload both accept', () => {
    expect(decodeLink('#noise=0x1').corrections.map((c) => c.key)).toEqual(['noise']);
    expect(decodeLink('#noise=.25').params.noise).toBe(0.25);
    const csv = parsePointsCsv('x,y,label\n0x1,0,1\n.25,0,1\n0,0,0\n1,1,0\n');
    expect(csv.ok).toBe(false);
    if (!csv.ok) expect(csv.errors).toEqual([{ line: 2, reason: 'x is not a number: "0x1"' }]);
  });
});
