/**
 * The checks behind parsePointsCsv (csv.ts), one small function each: the whole text before
 * parsing, the header, one data row's values, and the data set as a whole. Every error or
 * remark is worded for the user and names its line. Pure TypeScript, no DOM.
 */
import { parseNumber } from '../parseNumber';
import { POINT_MAX_ABS } from './points';

export const CSV_LIMITS = {
  /** UTF-8 size of the file; check File.size with csvSizeError before reading it. */
  maxBytes: 10 * 1024 * 1024,
  /** Data rows (the header and blank lines not counted). */
  maxRows: 100_000,
  /** Characters on one physical line. */
  maxLineChars: 10_000,
  /** Largest accepted |coordinate|. */
  maxAbs: POINT_MAX_ABS,
  /** Fewest points accepted (both classes must be present too). */
  minPoints: 4,
  /** Errors listed before "and N more". */
  maxErrors: 20,
} as const;

/** line is 1-based; 0 means the file as a whole. */
export interface CsvError {
  line: number;
  reason: string;
}

/** Columns of x, y and the label in a row (0-based). */
export interface CsvColumns {
  x: number;
  y: number;
  label: number;
}

/** Columns of a file without a header. */
export const DEFAULT_COLUMNS: CsvColumns = Object.freeze({ x: 0, y: 1, label: 2 });

/** UTF-8 length of text, counting no further than stopAbove (returns stopAbove + 1 then). */
export function utf8Length(text: string, stopAbove: number): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
    if (n > stopAbove) return stopAbove + 1;
  }
  return n;
}

/** A short printable quote of user text for messages (no control characters, at most 24 chars). */
export function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return JSON.stringify(clean.length > 24 ? clean.slice(0, 24) + '...' : clean);
}

/**
 * Refuses a text before parsing it: too large, empty, binary content, or a physical line too
 * long to be a row of points. Null when the text may be parsed.
 */
export function textError(text: string): CsvError | null {
  const limitMb = CSV_LIMITS.maxBytes / (1024 * 1024);
  // Each UTF-16 unit is at least one UTF-8 byte, so a long string is rejected without scanning.
  if (text.length > CSV_LIMITS.maxBytes || utf8Length(text, CSV_LIMITS.maxBytes) > CSV_LIMITS.maxBytes) {
    return { line: 0, reason: `the file is larger than ${limitMb} MB (the limit)` };
  }
  if (text.trim() === '') return { line: 0, reason: 'the file is empty' };
  let line = 1;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      if (i - start > CSV_LIMITS.maxLineChars) {
        return {
          line,
          reason: `the line is longer than ${CSV_LIMITS.maxLineChars.toLocaleString('en-US')} characters; this is not a CSV of points`,
        };
      }
      line++;
      start = i + 1;
    } else if ((c < 32 && c !== 9 && c !== 13) || c === 0xfffd || c === 0x7f) {
      return { line, reason: 'the file contains binary data, not text; upload a CSV text file' };
    }
  }
  return null;
}

/** True when the first non-blank row is a header: a non-numeric value among its first three. */
export function isHeaderRow(fields: string[]): boolean {
  // With fewer than 3 fields the separator may be a space: "0.5 0.5 1" is data, not a header.
  const numeric = (f: string) =>
    f
      .trim()
      .split(/\s+/)
      .every((t) => Number.isFinite(parseNumber(t)));
  return fields.slice(0, 3).some((f) => f.trim() !== '' && !(fields.length < 3 ? numeric(f) : Number.isFinite(parseNumber(f))));
}

const LABEL_NAMES = ['label', 'labels', 'class', 'target', 'y_true'];

/** What a header row says: the columns and remarks, or why the file cannot be read. */
export type HeaderResult = { ok: true; cols: CsvColumns; warnings: string[] } | { ok: false; reason: string };

/** Finds x, y and label in a header row ("x, y, label" or scikit-learn style "x1, x2, y"). */
export function readHeader(fields: string[]): HeaderResult {
  const names = fields.map((f) => f.trim().toLowerCase());
  const find = (cands: string[]) => names.findIndex((n) => cands.includes(n));
  // "x, y, label", or scikit-learn style "x1, x2, y" (y is then the label).
  const sk = names.includes('x1') && names.includes('x2') && !names.includes('x');
  const ix = find(sk ? ['x1'] : ['x']);
  const iy = find(sk ? ['x2'] : ['y']);
  const il = find(sk ? [...LABEL_NAMES, 'y'] : LABEL_NAMES);
  const warnings: string[] = [];
  let cols: CsvColumns;
  if (ix < 0 && iy < 0 && il < 0) {
    if (fields.length < 3) {
      return {
        ok: false,
        reason: `the header has ${fields.length} column${fields.length === 1 ? '' : 's'}; expected x, y, label separated by commas`,
      };
    }
    cols = DEFAULT_COLUMNS;
    warnings.push(`header ${quote(fields.join(','))} not recognised: reading the first three columns as x, y, label`);
  } else {
    const missing = [ix < 0 ? 'x' : '', iy < 0 ? 'y' : '', il < 0 ? 'label' : ''].filter(Boolean);
    if (missing.length > 0) return { ok: false, reason: `the header has no ${missing.join(', ')} column (expected x, y, label)` };
    cols = { x: ix, y: iy, label: il };
  }
  if (fields.length > 3) {
    const ignored = fields.filter((_, i) => i !== cols.x && i !== cols.y && i !== cols.label);
    warnings.push(`ignored column${ignored.length > 1 ? 's' : ''} ${ignored.map(quote).join(', ')}`);
  }
  return { ok: true, cols, warnings };
}

/** Why a coordinate cell is unusable (name is "x" or "y"), or null when it is a valid coordinate. */
export function coordinateError(name: string, raw: string): string | null {
  const v = parseNumber(raw);
  if (raw.trim() === '') return `${name} is empty`;
  if (Number.isNaN(v))
    return `${name} is not a number: ${quote(raw)}${/^\s*[+-]?\d+,\d+\s*$/.test(raw) ? ' (use a dot as the decimal separator)' : ''}`;
  if (!Number.isFinite(v)) return `${name} is not a finite number: ${quote(raw)}`;
  if (Math.abs(v) > CSV_LIMITS.maxAbs) return `${name} = ${quote(raw.trim())} is out of range (at most 1,000,000 in size)`;
  return null;
}

/** The label as written: 1, 0 or -1 (read as class 0); null when it is none of them. */
export function labelValue(raw: string): 1 | 0 | -1 | null {
  const v = parseNumber(raw);
  return v === 1 || v === 0 || v === -1 ? v : null;
}

/** One data row read: the point, or the reasons it was refused (the label is read even when a coordinate fails). */
export type RowResult = { label: 1 | 0 | -1 | null; point: [number, number] | null; reasons: string[] };

/** Reads x, y and the label of a data row that has at least the needed columns. */
export function readRow(fields: string[], cols: CsvColumns): RowResult {
  const reasons: string[] = [];
  const ex = coordinateError('x', fields[cols.x]);
  if (ex) reasons.push(ex);
  const ey = coordinateError('y', fields[cols.y]);
  if (ey) reasons.push(ey);
  const rawLabel = fields[cols.label];
  const label = labelValue(rawLabel);
  if (label === null) reasons.push(`label must be 0 or 1 (or -1 and 1), got ${quote(rawLabel)}`);
  const point: [number, number] | null = reasons.length === 0 ? [parseNumber(fields[cols.x]), parseNumber(fields[cols.y])] : null;
  return { label, point, reasons };
}

/** Where the labels were first written as 0 and as -1 (line numbers; 0 = never). */
export interface LabelLines {
  firstZero: number;
  firstMinusOne: number;
}

/** Problems of the data set as a whole, once every row was valid: mixed label styles, too few points, one class. */
export function datasetErrors(labels: ArrayLike<number>, lines: LabelLines): CsvError[] {
  const errors: CsvError[] = [];
  if (lines.firstMinusOne && lines.firstZero) {
    errors.push({ line: Math.max(lines.firstMinusOne, lines.firstZero), reason: 'labels mix -1 and 0; use 0 and 1, or -1 and 1' });
  }
  const n = labels.length;
  if (n < CSV_LIMITS.minPoints) {
    errors.push({ line: 0, reason: `the file has ${n} point${n === 1 ? '' : 's'}; at least ${CSV_LIMITS.minPoints} are needed` });
  } else {
    let ones = 0;
    for (let i = 0; i < n; i++) ones += labels[i];
    if (ones === 0 || ones === n) {
      errors.push({
        line: 0,
        reason: `every point has label ${ones === 0 ? (lines.firstMinusOne ? '-1' : '0') : '1'}; both classes are needed`,
      });
    }
  }
  return errors;
}

/** Remarks on data read successfully: -1 labels, extra columns (first line with some; 0 = none), points far from the plots. */
export function datasetWarnings(xs: ArrayLike<number>, firstMinusOne: number, extraColumnsLine: number): string[] {
  const warnings: string[] = [];
  if (firstMinusOne) warnings.push('labels -1 read as class 0');
  if (extraColumnsLine > 0)
    warnings.push(
      `line ${extraColumnsLine} (and maybe others) has more values than the columns x, y, label; the extra values were ignored`,
    );
  let maxAbs = 0;
  for (let i = 0; i < xs.length; i++) maxAbs = Math.max(maxAbs, Math.abs(xs[i]));
  if (maxAbs > 1.5)
    warnings.push(
      `points reach ${+maxAbs.toPrecision(3)} from the origin; the plots and generated data use [-1.5, 1.5], so consider rescaling`,
    );
  return warnings;
}

/** Collects errors up to CSV_LIMITS.maxErrors and counts the rest ("and N more"). */
export class CsvErrorList {
  private readonly listed: CsvError[] = [];
  private more = 0;

  add(line: number, reason: string): void {
    if (this.listed.length < CSV_LIMITS.maxErrors) this.listed.push({ line, reason });
    else this.more++;
  }

  get empty(): boolean {
    return this.listed.length === 0 && this.more === 0;
  }

  /** The errors listed, then "and N more errors" when some were only counted. */
  errors(): CsvError[] {
    if (this.more === 0) return [...this.listed];
    return [...this.listed, { line: 0, reason: `and ${this.more.toLocaleString('en-US')} more error${this.more === 1 ? '' : 's'}` }];
  }
}
