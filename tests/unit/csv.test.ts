import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvSizeError, formatCsvErrors, parsePointsCsv, pointsToCsv, type CsvParseResult } from '../../src/core/data/csv';
import { CSV_LIMITS } from '../../src/core/data/csvRows';
import { decodePointsFromLink, encodePointsForLink, LINK_MAX_POINTS } from '../../src/core/data/pointsLink';
import { mergeDataset2D, splitPoints } from '../../src/core/data/pointsSplit';
import { generateDataset2D } from '../../src/core/data/datasets2d';

function ok(r: CsvParseResult) {
  if (!r.ok) throw new Error('expected ok, got ' + JSON.stringify(r.errors));
  return r;
}
function bad(r: CsvParseResult) {
  if (r.ok) throw new Error('expected errors, got ok');
  return r.errors;
}

const FOUR = '0.5,0.5,1\n-0.5,-0.5,0\n0.5,-0.5,0\n-0.5,0.5,1\n';

describe('parsePointsCsv: valid input', () => {
  it('reads data without a header', () => {
    const r = ok(parsePointsCsv(FOUR));
    expect(Array.from(r.data.x)).toEqual([0.5, 0.5, -0.5, -0.5, 0.5, -0.5, -0.5, 0.5]);
    expect(Array.from(r.data.y)).toEqual([1, 0, 0, 1]);
    expect(r.warnings).toEqual([]);
  });

  it('reads a header, CRLF line ends, a BOM, blank lines and spaces', () => {
    const text = '\ufeffx, y ,label\r\n\r\n 0.5 ,0.5, 1\r\n-0.5,-0.5,0\r\n   \r\n0.5,-0.5,0\r\n-0.5,0.5,1\r\n\r\n';
    const r = ok(parsePointsCsv(text));
    expect(Array.from(r.data.y)).toEqual([1, 0, 0, 1]);
    expect(r.data.x[0]).toBe(0.5);
  });

  it('finds columns by name in any order, and x1,x2,y style', () => {
    const r = ok(parsePointsCsv('label,y,x\n1,0.25,0.5\n0,0,0\n0,1,1\n1,-1,-1\n'));
    expect(Array.from(r.data.x.slice(0, 2))).toEqual([0.5, 0.25]);
    expect(Array.from(r.data.y)).toEqual([1, 0, 0, 1]);
    const s = ok(parsePointsCsv('x1,x2,y\n0.5,0.25,1\n0,0,0\n1,1,0\n-1,-1,1\n'));
    expect(Array.from(s.data.x.slice(0, 2))).toEqual([0.5, 0.25]);
    expect(Array.from(s.data.y)).toEqual([1, 0, 0, 1]);
  });

  it('maps -1/1 labels to 0/1 with a warning', () => {
    const r = ok(parsePointsCsv('x,y,label\n0,0,-1\n1,1,1\n0,1,-1.0\n1,0,+1\n'));
    expect(Array.from(r.data.y)).toEqual([0, 1, 0, 1]);
    expect(r.warnings.join(' ')).toMatch(/-1 read as class 0/);
  });

  it('ignores extra columns with a warning', () => {
    const r = ok(parsePointsCsv('x,y,label,weight\n0,0,0,9\n1,1,1,9\n0,1,0,9\n1,0,1,9\n'));
    expect(r.data.y.length).toBe(4);
    expect(r.warnings.join(' ')).toMatch(/ignored column "weight"/);
    const s = ok(parsePointsCsv('0,0,0\n1,1,1,7\n0,1,0\n1,0,1\n'));
    expect(s.warnings.join(' ')).toMatch(/line 2 .*extra values were ignored/);
  });

  it('accepts tabs and semicolons, quotes and exponents', () => {
    expect(ok(parsePointsCsv('x\ty\tlabel\n0\t0\t0\n1\t1\t1\n0\t1\t0\n1\t0\t1\n')).data.y.length).toBe(4);
    expect(ok(parsePointsCsv('0;0;0\n1;1;1\n0;1;0\n1;0;1\n')).data.y.length).toBe(4);
    const r = ok(parsePointsCsv('"x","y","label"\n"1e-1",".5","1"\n-2E-1,0.,0\n0,0,0\n1,1,1\n'));
    expect(r.data.x[0]).toBeCloseTo(0.1, 7);
    expect(r.data.x[2]).toBeCloseTo(-0.2, 7);
  });

  it('warns when the points lie far outside the plotted square', () => {
    const r = ok(parsePointsCsv('0,0,0\n100,1,1\n0,1,0\n1,0,1\n'));
    expect(r.warnings.join(' ')).toMatch(/reach 100/);
  });
});

describe('parsePointsCsv: invalid and hostile input', () => {
  it('rejects an empty or blank file', () => {
    expect(bad(parsePointsCsv(''))).toEqual([{ line: 0, reason: 'the file is empty' }]);
    expect(bad(parsePointsCsv('\n\r\n   \n'))[0].reason).toMatch(/empty/);
  });

  it('names the line and reason of bad values', () => {
    const text = [
      'x,y,label',
      '<script>alert(1)</script>,2,0',
      'NaN,0,1',
      '0,Infinity,1',
      '1e400,0,1',
      '0,-1e999,0',
      '2e6,0,1',
      '0x10,0,1',
      ',0,1',
      '0,0,2',
      '0,0,yes',
      '0,0',
      '1,5,0,1',
    ].join('\n');
    const errors = bad(parsePointsCsv(text));
    const byLine = new Map(errors.map((e) => [e.line, e.reason]));
    expect(byLine.get(2)).toMatch(/^x is not a number: "<script>alert\(1\)<\/scrip/);
    expect(byLine.get(3)).toMatch(/x is not a number: "NaN"/);
    expect(byLine.get(4)).toMatch(/y is not a number: "Infinity"/);
    expect(byLine.get(5)).toMatch(/x is not a finite number: "1e400"/);
    expect(byLine.get(6)).toMatch(/y is not a finite number/);
    expect(byLine.get(7)).toMatch(/x = "2e6" is out of range/);
    expect(byLine.get(8)).toMatch(/x is not a number: "0x10"/);
    expect(byLine.get(9)).toMatch(/x is empty/);
    expect(byLine.get(10)).toMatch(/label must be 0 or 1 \(or -1 and 1\), got "2"/);
    expect(byLine.get(11)).toMatch(/label must be 0 or 1.*"yes"/);
    expect(byLine.get(12)).toMatch(/expected 3 values .* found 2 values/);
    // Four values without a header: the fourth is ignored, so line 13 is valid.
    expect(byLine.has(13)).toBe(false);
    expect(formatCsvErrors(errors)[0]).toMatch(/^line 2: x is not a number/);
  });

  it('explains decimal commas and missing separators', () => {
    expect(bad(parsePointsCsv('x;y;label\n1,5;2;0\n0;0;1\n0;1;0\n1;0;1\n'))[0]).toEqual({
      line: 2,
      reason: 'x is not a number: "1,5" (use a dot as the decimal separator)',
    });
    expect(bad(parsePointsCsv('1 2 0\n3 4 1\n5 6 0\n7 8 1\n'))[0].reason).toMatch(/separated by commas, found 1 value "1 2 0"/);
  });

  it('rejects missing columns in the header', () => {
    expect(bad(parsePointsCsv('x,y\n1,2\n3,4\n'))).toEqual([{ line: 1, reason: 'the header has no label column (expected x, y, label)' }]);
    expect(bad(parsePointsCsv('name\nfoo\n'))[0].reason).toMatch(/header has 1 column/);
    const r = ok(parsePointsCsv('a,b,c\n0,0,0\n1,1,1\n0,1,0\n1,0,1\n'));
    expect(r.warnings[0]).toMatch(/header "a,b,c" not recognised/);
  });

  it('needs four points and both classes; rejects mixed -1/0 labels', () => {
    expect(bad(parsePointsCsv('0,0,0\n1,1,1\n0,1,0\n'))).toEqual([{ line: 0, reason: 'the file has 3 points; at least 4 are needed' }]);
    expect(bad(parsePointsCsv('x,y,label\n'))[0].reason).toMatch(/0 points/);
    expect(bad(parsePointsCsv('0,0,1\n1,1,1\n0,1,1\n1,0,1\n'))[0].reason).toMatch(/every point has label 1; both classes/);
    expect(bad(parsePointsCsv('0,0,-1\n1,1,-1\n0,1,-1\n1,0,-1\n'))[0].reason).toMatch(/every point has label -1/);
    expect(bad(parsePointsCsv('0,0,-1\n1,1,1\n0,1,0\n1,0,1\n'))).toEqual([
      { line: 3, reason: 'labels mix -1 and 0; use 0 and 1, or -1 and 1' },
    ]);
  });

  it('counts lines correctly across quoted line breaks and bad quotes', () => {
    const errors = bad(parsePointsCsv('x,y,label\n"1\n2",0,1\n0,0,7\n'));
    expect(errors.find((e) => /got "7"/.test(e.reason))?.line).toBe(4);
    const q = bad(parsePointsCsv('0,0,0\n1,"1,1\n0,1,0\n1,0,1\n'));
    expect(q.some((e) => /quotes/.test(e.reason))).toBe(true);
  });

  it('lists at most 20 errors, then "and N more"', () => {
    const text = 'x,y,label\n' + '0,0,5\n'.repeat(1000);
    const errors = bad(parsePointsCsv(text));
    expect(errors.length).toBe(CSV_LIMITS.maxErrors + 1);
    expect(errors[0]).toEqual({ line: 2, reason: 'label must be 0 or 1 (or -1 and 1), got "5"' });
    expect(errors[19].line).toBe(21);
    expect(errors[20]).toEqual({ line: 0, reason: 'and 980 more errors' });
  });

  it('rejects binary garbage', () => {
    let seed = 7;
    let garbage = '';
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      garbage += String.fromCharCode(seed >>> 24);
    }
    const errors = bad(parsePointsCsv(garbage));
    expect(errors[0].reason).toMatch(/binary data/);
    expect(bad(parsePointsCsv('0,0,0\n1,1,1\n\u0000\u0001\u0002,0,1\n'))).toEqual([
      { line: 3, reason: 'the file contains binary data, not text; upload a CSV text file' },
    ]);
    expect(bad(parsePointsCsv('0,0,0\n\ufffd\ufffd,1,1\n'))[0]).toMatchObject({ line: 2 });
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const r = parsePointsCsv(s);
        if (r.ok) {
          expect(r.data.x.length).toBe(2 * r.data.y.length);
          expect(r.data.y.length).toBeGreaterThanOrEqual(4);
          for (const v of r.data.x) expect(Number.isFinite(v)).toBe(true);
        } else {
          expect(r.errors.length).toBeGreaterThan(0);
          expect(r.errors.length).toBeLessThanOrEqual(CSV_LIMITS.maxErrors + 1);
        }
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('0', '1', '-1', ',', '\n', '\r', '"', '.', 'e', ' ', 'x', 'label', ';', '\t'), { maxLength: 80 }),
        (parts) => {
          expect(() => parsePointsCsv(parts.join(''))).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parsePointsCsv: size limits', () => {
  it('rejects files over 10 MB before parsing, as one whole-file error', () => {
    const big = '0,0,0\n'.repeat(Math.ceil((CSV_LIMITS.maxBytes + 10) / 6));
    const errors = bad(parsePointsCsv(big));
    expect(errors).toEqual([{ line: 0, reason: 'the file is larger than 10 MB (the limit)' }]);
    // Multi-byte characters count as their UTF-8 size.
    const wide = '\u00e9'.repeat(CSV_LIMITS.maxBytes / 2 + 1);
    expect(bad(parsePointsCsv(wide))[0].reason).toMatch(/larger than 10 MB/);
    expect(csvSizeError(CSV_LIMITS.maxBytes)).toBeNull();
    expect(csvSizeError(CSV_LIMITS.maxBytes + 1)).toMatch(/limit is 10 MB/);
    expect(csvSizeError(Number.NaN)).not.toBeNull();
  });

  it('rejects a single absurdly long line with a reason', () => {
    // (How fast is a benchmark question; here only the behaviour is checked.)
    const errors = bad(parsePointsCsv('x,y,label\n' + ','.repeat(5_000_000)));
    expect(errors).toEqual([{ line: 2, reason: 'the line is longer than 10,000 characters; this is not a CSV of points' }]);
  });

  it('accepts 100,000 rows and rejects 100,001 with the line', () => {
    const rows = (n: number) => {
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = `${(i % 97) / 97},${(i % 89) / 89},${i % 2}`;
      return out.join('\n');
    };
    const max = CSV_LIMITS.maxRows;
    const yes = ok(parsePointsCsv('x,y,label\n' + rows(max)));
    expect(yes.data.y.length).toBe(max);
    expect(yes.data.x.length).toBe(2 * max);
    expect(bad(parsePointsCsv(rows(max + 1)))).toEqual([{ line: max + 1, reason: 'more than 100,000 data rows (the limit)' }]);
    expect(bad(parsePointsCsv('x,y,label\n\n' + rows(max + 1)))).toEqual([
      { line: max + 3, reason: 'more than 100,000 data rows (the limit)' },
    ]);
  });

  it('parses a file near the byte limit (100,000 long rows)', () => {
    const long = '0.12345678901234567890123456789012345678,-0.1234567890123456789012345678901234567';
    const text = 'x,y,label\n' + Array.from({ length: CSV_LIMITS.maxRows }, (_, i) => `${long},${i % 2}`).join('\n');
    expect(text.length).toBeGreaterThan(8_000_000);
    expect(text.length).toBeLessThan(CSV_LIMITS.maxBytes);
    const r = ok(parsePointsCsv(text));
    expect(r.data.y.length).toBe(CSV_LIMITS.maxRows);
    expect(r.data.x[1]).toBeCloseTo(-0.12345679, 6);
  });
});

const coord = fc.float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

describe('pointsToCsv', () => {
  it('writes a header and one row per point', () => {
    const csv = pointsToCsv(new Float32Array([0.1, -0.25, 1, 2]), new Float32Array([1, 0]));
    expect(csv).toBe('x,y,label\n0.1,-0.25,1\n1,2,0\n');
    expect(() => pointsToCsv(new Float32Array(3), new Float32Array(2))).toThrow(/3 coordinates for 2 labels/);
  });

  it('round-trips exactly through parsePointsCsv', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(coord, coord, fc.constantFrom(0, 1)), { minLength: 4, maxLength: 60 }), (pts) => {
        pts[0][2] = 0;
        pts[1][2] = 1;
        const x = new Float32Array(pts.flatMap(([a, b]) => [a, b]));
        const y = new Float32Array(pts.map((p) => p[2]));
        const r = ok(parsePointsCsv(pointsToCsv(x, y)));
        expect(Array.from(r.data.x)).toEqual(Array.from(x));
        expect(Array.from(r.data.y)).toEqual(Array.from(y));
      }),
      { numRuns: 200 },
    );
  });

  it('exports a generated data set (train and test) that reads back', () => {
    const ds = generateDataset2D('spiral', { n: 300, noise: 0.1, trainFraction: 0.5, seed: 3 });
    const all = mergeDataset2D(ds);
    expect(all.y.length).toBe(300);
    const r = ok(parsePointsCsv(pointsToCsv(all.x, all.y)));
    expect(Array.from(r.data.x)).toEqual(Array.from(all.x));
    expect(Array.from(r.data.y)).toEqual(Array.from(all.y));
  });
});

describe('link encoding of drawn points', () => {
  it('is compact and URL-safe', () => {
    const text = encodePointsForLink(new Float32Array([0.12345, -0.5, -1, 0, 12.0004, 3, -0.0001, 0.9996]), new Float32Array([1, 0, 1, 0]));
    expect(text).toBe('.123p-.5_-1n0_12p3_0n1');
    expect(encodeURIComponent(text!)).toBe(text);
    expect(new URLSearchParams({ d: text! }).toString()).toBe('d=' + text);
    expect(encodePointsForLink(new Float32Array(0), new Float32Array(0))).toBe('');
    expect(decodePointsFromLink('')).toEqual({ x: new Float32Array(0), y: new Float32Array(0) });
  });

  it('returns null when the data is too big or not encodable', () => {
    const n = LINK_MAX_POINTS;
    expect(encodePointsForLink(new Float32Array(2 * n).fill(0.5), new Float32Array(n).fill(1))).not.toBeNull();
    expect(encodePointsForLink(new Float32Array(2 * (n + 1)), new Float32Array(n + 1))).toBeNull();
    expect(encodePointsForLink(new Float32Array([Number.NaN, 0]), new Float32Array([1]))).toBeNull();
    expect(encodePointsForLink(new Float32Array([2e6, 0]), new Float32Array([1]))).toBeNull();
    expect(encodePointsForLink(new Float32Array([0, 0]), new Float32Array([0.5]))).toBeNull();
    expect(encodePointsForLink(new Float32Array([0, 0, 0]), new Float32Array([1]))).toBeNull();
  });

  it('round-trips to 3 decimals', () => {
    const c = fc.float({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(c, c, fc.constantFrom(0, 1)), { maxLength: LINK_MAX_POINTS }), (pts) => {
        const x = new Float32Array(pts.flatMap(([a, b]) => [a, b]));
        const y = new Float32Array(pts.map((p) => p[2]));
        const text = encodePointsForLink(x, y);
        expect(text).not.toBeNull();
        const back = decodePointsFromLink(text!);
        expect(back).not.toBeNull();
        expect(Array.from(back!.y)).toEqual(Array.from(y));
        for (let i = 0; i < x.length; i++) expect(Math.abs(back!.x[i] - x[i])).toBeLessThanOrEqual(0.0005 + 1e-5);
        expect(encodePointsForLink(back!.x, back!.y)).toBe(text); // stable under re-encoding
      }),
      { numRuns: 200 },
    );
  });

  it('decodes hostile strings to null or valid data, never throwing', () => {
    const valid = (r: ReturnType<typeof decodePointsFromLink>) => {
      if (r === null) return;
      expect(r.x.length).toBe(2 * r.y.length);
      expect(r.y.length).toBeLessThanOrEqual(LINK_MAX_POINTS);
      for (const v of r.x) expect(Number.isFinite(v) && Math.abs(v) <= CSV_LIMITS.maxAbs).toBe(true);
      for (const v of r.y) expect(v === 0 || v === 1).toBe(true);
    };
    for (const s of [
      '<script>alert(1)</script>',
      '1p',
      'p1',
      '1p2_',
      '_',
      '1p2__3n4',
      '1e9p2',
      'NaNp1',
      'Infinityn0',
      '1x2',
      '99999999p0',
      '--1p0',
      '1.2.3p0',
      '1p2;3n4',
      '\u0000',
      'a'.repeat(100000),
      '1p2_'.repeat(300),
    ]) {
      expect(decodePointsFromLink(s)).toBeNull();
    }
    for (const s of [null, undefined, 42, {}, []]) expect(decodePointsFromLink(s)).toBeNull();
    expect(decodePointsFromLink('1p2_-3.5n.25')).toEqual({ x: new Float32Array([1, 2, -3.5, 0.25]), y: new Float32Array([1, 0]) });
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => valid(decodePointsFromLink(s))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('1', '0', '9', '.', '-', 'p', 'n', '_', 'e', '+'), { maxLength: 60 }), (parts) =>
        valid(decodePointsFromLink(parts.join(''))),
      ),
      { numRuns: 1000 },
    );
  });
});

describe('splitPoints', () => {
  const pts = () => {
    const n = 101;
    const x = new Float32Array(2 * n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      y[i] = i % 2;
    }
    return { x, y };
  };

  it('is a seeded permutation split like the generated data sets', () => {
    const { x, y } = pts();
    const a = splitPoints(x, y, 0.5, 7);
    expect(a.trainY.length).toBe(51);
    expect(a.testY.length).toBe(50);
    const b = splitPoints(x, y, 0.5, 7);
    expect(Array.from(a.trainX)).toEqual(Array.from(b.trainX));
    const c = splitPoints(x, y, 0.5, 8);
    expect(Array.from(a.trainX)).not.toEqual(Array.from(c.trainX));
    // Every point appears exactly once, with its own label and coordinates kept together.
    const seen = new Set<number>();
    for (const [X, Y] of [
      [a.trainX, a.trainY],
      [a.testX, a.testY],
    ] as const) {
      for (let k = 0; k < Y.length; k++) {
        const i = X[2 * k];
        expect(X[2 * k + 1]).toBe(-i);
        expect(Y[k]).toBe(i % 2);
        seen.add(i);
      }
    }
    expect(seen.size).toBe(101);
  });

  it('keeps both splits non-empty and validates its arguments', () => {
    const { x, y } = pts();
    expect(splitPoints(x, y, 0.001, 1).trainY.length).toBe(1);
    expect(splitPoints(x, y, 0.999, 1).testY.length).toBe(1);
    expect(() => splitPoints(x, y, 1, 1)).toThrow(/train fraction/);
    expect(() => splitPoints(x, y, Number.NaN, 1)).toThrow(/train fraction/);
    expect(() => splitPoints(x, y, 0.5, -1)).toThrow(/seed/);
    expect(() => splitPoints(new Float32Array(2), new Float32Array(1), 0.5, 1)).toThrow(/at least 2/);
    expect(() => splitPoints(new Float32Array(3), new Float32Array(2), 0.5, 1)).toThrow(/3 coordinates/);
  });
});

describe('parsePointsCsv: first-row edge cases', () => {
  it('treats a first row with an empty value as data, not a header', () => {
    expect(bad(parsePointsCsv(',0,1\n0,0,0\n1,1,1\n0,1,0\n'))).toEqual([{ line: 1, reason: 'x is empty' }]);
  });
});
