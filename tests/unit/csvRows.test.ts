/** The checks parsePointsCsv is built from, one at a time: each error a user sees, and its line. */
import { describe, expect, it } from 'vitest';
import { rowLineCounter, float32ToString } from '../../src/core/data/csv';
import {
  CSV_LIMITS,
  CsvErrorList,
  DEFAULT_COLUMNS,
  coordinateError,
  datasetErrors,
  datasetWarnings,
  isHeaderRow,
  labelValue,
  quote,
  readHeader,
  readRow,
  textError,
  utf8Length,
} from '../../src/core/data/csvRows';

describe('text checks before parsing', () => {
  it('measures UTF-8 bytes and stops counting past the bound', () => {
    expect(utf8Length('abc', 100)).toBe(3);
    expect(utf8Length('é€😀', 100)).toBe(2 + 3 + 4);
    expect(utf8Length('abcdef', 3)).toBe(4);
    expect(utf8Length('€€', 4)).toBe(5);
  });

  it('quotes user text printably and briefly', () => {
    expect(quote('abc')).toBe('"abc"');
    expect(quote('a\u0000b\nc')).toBe('"a?b?c"');
    expect(quote('x'.repeat(30))).toBe(JSON.stringify('x'.repeat(24) + '...'));
  });

  it('refuses empty, binary and long-lined text, and lets CSV through', () => {
    expect(textError('x,y,label\n0,0,1\n')).toBeNull();
    expect(textError('  \n\t\n')).toEqual({ line: 0, reason: 'the file is empty' });
    expect(textError('0,0,1\n1,1\u0000,0\n')?.line).toBe(2);
    expect(textError('0,0,1\n1,1\u0000,0\n')?.reason).toMatch(/binary data/);
    expect(textError('0,0,1\r1,1,\ufffd')?.line).toBe(2);
    const long = '0,0,1\n' + '1'.repeat(CSV_LIMITS.maxLineChars + 1) + '\n';
    expect(textError(long)?.line).toBe(2);
    expect(textError(long)?.reason).toMatch(/longer than 10,000 characters/);
    expect(textError('1'.repeat(CSV_LIMITS.maxBytes + 1))?.reason).toMatch(/larger than 10 MB/);
  });
});

describe('the header', () => {
  it('is a first row with a non-numeric value among its first three', () => {
    expect(isHeaderRow(['x', 'y', 'label'])).toBe(true);
    expect(isHeaderRow(['0.5', '-1e3', '1'])).toBe(false);
    expect(isHeaderRow(['0.5', '', '1'])).toBe(false);
    expect(isHeaderRow(['0.5', '0.5', '1', 'comment'])).toBe(false);
    // A space-separated row arrives as one field: numbers, so data (reported later as too few values).
    expect(isHeaderRow(['0.5 0.5 1'])).toBe(false);
    expect(isHeaderRow(['x y label'])).toBe(true);
  });

  it('finds columns by name, scikit-learn style, or falls back to the first three', () => {
    expect(readHeader(['label', 'x', 'y'])).toEqual({ ok: true, cols: { x: 1, y: 2, label: 0 }, warnings: [] });
    expect(readHeader(['x1', 'x2', 'y'])).toEqual({ ok: true, cols: { x: 0, y: 1, label: 2 }, warnings: [] });
    const unknown = readHeader(['a', 'b', 'c']);
    expect(unknown).toEqual({ ok: true, cols: DEFAULT_COLUMNS, warnings: [expect.stringMatching(/header "a,b,c" not recognised/)] });
    const extra = readHeader(['id', 'x', 'y', 'class', 'note']);
    expect(extra).toEqual({ ok: true, cols: { x: 1, y: 2, label: 3 }, warnings: ['ignored columns "id", "note"'] });
  });

  it('says what is missing', () => {
    expect(readHeader(['x', 'y'])).toEqual({ ok: false, reason: 'the header has no label column (expected x, y, label)' });
    expect(readHeader(['a'])).toEqual({ ok: false, reason: 'the header has 1 column; expected x, y, label separated by commas' });
  });
});

describe('one data row', () => {
  it('explains each unusable coordinate', () => {
    expect(coordinateError('x', ' 0.25 ')).toBeNull();
    expect(coordinateError('x', ' ')).toBe('x is empty');
    expect(coordinateError('y', 'abc')).toBe('y is not a number: "abc"');
    expect(coordinateError('x', '0,5')).toBe('x is not a number: "0,5" (use a dot as the decimal separator)');
    expect(coordinateError('x', '1e400')).toBe('x is not a finite number: "1e400"');
    expect(coordinateError('y', '-2000000')).toBe('y = "-2000000" is out of range (at most 1,000,000 in size)');
    expect(coordinateError('y', '1000000')).toBeNull();
  });

  it('reads labels 1, 0 and -1 only', () => {
    expect(labelValue(' 1 ')).toBe(1);
    expect(labelValue('0.0')).toBe(0);
    expect(labelValue('-1')).toBe(-1);
    expect(labelValue('2')).toBeNull();
    expect(labelValue('yes')).toBeNull();
  });

  it('gives the point, or every reason, and the label even when a coordinate fails', () => {
    expect(readRow(['1', '0.5', '-0.5'], { x: 1, y: 2, label: 0 })).toEqual({ label: 1, point: [0.5, -0.5], reasons: [] });
    const bad = readRow(['a', '', '0'], DEFAULT_COLUMNS);
    expect(bad.point).toBeNull();
    expect(bad.label).toBe(0);
    expect(bad.reasons).toEqual(['x is not a number: "a"', 'y is empty']);
    expect(readRow(['0', '0', '3'], DEFAULT_COLUMNS).reasons).toEqual(['label must be 0 or 1 (or -1 and 1), got "3"']);
  });
});

describe('the data set as a whole', () => {
  it('needs four points of both classes and one label style', () => {
    expect(datasetErrors([1, 0, 1, 0], { firstZero: 2, firstMinusOne: 0 })).toEqual([]);
    expect(datasetErrors([1, 0], { firstZero: 2, firstMinusOne: 0 })).toEqual([
      { line: 0, reason: 'the file has 2 points; at least 4 are needed' },
    ]);
    expect(datasetErrors([0, 0, 0, 0], { firstZero: 0, firstMinusOne: 1 })).toEqual([
      { line: 0, reason: 'every point has label -1; both classes are needed' },
    ]);
    expect(datasetErrors([1, 1, 1, 1], { firstZero: 0, firstMinusOne: 0 })[0].reason).toBe(
      'every point has label 1; both classes are needed',
    );
    expect(datasetErrors([1, 0, 0, 1], { firstZero: 3, firstMinusOne: 5 })).toEqual([
      { line: 5, reason: 'labels mix -1 and 0; use 0 and 1, or -1 and 1' },
    ]);
  });

  it('remarks on -1 labels, extra columns and far-away points', () => {
    expect(datasetWarnings([0.5, -1.5], 0, 0)).toEqual([]);
    expect(datasetWarnings([0.5, 3.14159], 2, 7)).toEqual([
      'labels -1 read as class 0',
      'line 7 (and maybe others) has more values than the columns x, y, label; the extra values were ignored',
      'points reach 3.14 from the origin; the plots and generated data use [-1.5, 1.5], so consider rescaling',
    ]);
  });

  it('lists up to maxErrors errors, then counts the rest', () => {
    const list = new CsvErrorList();
    expect(list.empty).toBe(true);
    for (let i = 1; i <= CSV_LIMITS.maxErrors + 3; i++) list.add(i, `bad ${i}`);
    const errors = list.errors();
    expect(list.empty).toBe(false);
    expect(errors).toHaveLength(CSV_LIMITS.maxErrors + 1);
    expect(errors[CSV_LIMITS.maxErrors - 1]).toEqual({ line: CSV_LIMITS.maxErrors, reason: `bad ${CSV_LIMITS.maxErrors}` });
    expect(errors[CSV_LIMITS.maxErrors]).toEqual({ line: 0, reason: 'and 3 more errors' });
  });
});

describe('csv.ts helpers', () => {
  it('numbers rows by their physical line, across quoted line breaks', () => {
    // Rows as Papa Parse reports them: each row's end offset (cursor).
    const text = 'a,b,c\n"x\ny",1,2\n\n3,4,5\n';
    const lineOf = rowLineCounter(text);
    expect(lineOf(6, '\n')).toBe(1);
    expect(lineOf(16, '\n')).toBe(2);
    expect(lineOf(17, '\n')).toBe(4);
    expect(lineOf(23, '\n')).toBe(5);
  });

  it('prints the shortest decimal that reads back as the same float32', () => {
    for (const v of [0.1, -2.5, 1 / 3, 123456.789, 1e-7]) {
      const f = Math.fround(v);
      const s = float32ToString(f);
      expect(Math.fround(Number(s))).toBe(f);
      expect(s.length).toBeLessThanOrEqual(12);
    }
    expect(float32ToString(Math.fround(0.1))).toBe('0.1');
    expect(float32ToString(-0)).toBe('-0');
    expect(float32ToString(42)).toBe('42');
  });
});
