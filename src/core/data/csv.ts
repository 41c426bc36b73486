/**
 * The user's own 2D data as CSV: upload (parse and validate) and export. Pure TypeScript, no
 * DOM; the checks themselves are in csvRows.ts.
 *
 * Upload format: columns x, y, label; a header row is optional (any non-numeric value in the
 * first row makes it a header; columns are then found by name). Labels 0/1, or -1/1 (-1 is
 * read as 0). Values separated by commas (tabs and semicolons are detected too), dot decimals.
 * Limits in CSV_LIMITS; every error names its line (line 0: the file as a whole).
 */
import Papa, { type Parser } from 'papaparse';
import {
  CSV_LIMITS,
  CsvErrorList,
  DEFAULT_COLUMNS,
  datasetErrors,
  datasetWarnings,
  isHeaderRow,
  quote,
  readHeader,
  readRow,
  textError,
  type CsvColumns,
  type CsvError,
} from './csvRows';
import type { Points2D } from './points';

/** The limits in words, for the upload control. */
export const CSV_LIMITS_TEXT =
  'CSV with columns x, y, label (header optional); labels 0/1 or -1/1; at most 10 MB and 100,000 rows; |x|, |y| up to 1,000,000.';

export type CsvParseResult = { ok: true; data: Points2D; warnings: string[] } | { ok: false; errors: CsvError[] };

/** Lines of errors in the form "line 3: label must be ..." (line 0 is printed without prefix). */
export function formatCsvErrors(errors: CsvError[]): string[] {
  return errors.map((e) => (e.line > 0 ? `line ${e.line}: ${e.reason}` : e.reason));
}

/** A message when a file of this many bytes is too big to upload, else null (check before reading the file). */
export function csvSizeError(bytes: number): string | null {
  if (!(bytes <= CSV_LIMITS.maxBytes)) {
    return `the file is ${(bytes / (1024 * 1024)).toFixed(1)} MB; the limit is ${CSV_LIMITS.maxBytes / (1024 * 1024)} MB`;
  }
  return null;
}

/**
 * Line numbers of the rows Papa Parse hands over one by one: counts the line breaks between
 * row starts, so a quoted field spanning lines still gives the next row its true line.
 */
export function rowLineCounter(text: string): (rowEnd: number, linebreak: string | undefined) => number {
  let line = 1;
  let counted = 0;
  let rowStart = 0;
  let breakChar = '\n';
  return (rowEnd, linebreak) => {
    if (linebreak) breakChar = linebreak.includes('\n') ? '\n' : '\r';
    for (let i = text.indexOf(breakChar, counted); i !== -1 && i < rowStart; i = text.indexOf(breakChar, i + 1)) line++;
    counted = rowStart;
    rowStart = rowEnd;
    return line;
  };
}

/** What the rows read so far add up to (parsePointsCsv's state between rows). */
class PointsReader {
  readonly errors = new CsvErrorList();
  readonly warnings: string[] = [];
  readonly xs: number[] = [];
  readonly labels: number[] = [];
  /** Set after the first non-blank row (the header, or the first data row). */
  private cols: CsvColumns | null = null;
  private needed = 3;
  private headerWidth = 0;
  private rows = 0;
  extraColumnsLine = 0;
  firstMinusOne = 0;
  firstZero = 0;
  /** Reading stopped early (a bad header, too many rows): no summary checks. */
  stopped = false;

  /** Takes one row; false when reading must stop. */
  row(fields: string[], line: number): boolean {
    if (fields.length === 0 || (fields.length === 1 && fields[0].trim() === '')) return true; // blank line
    if (this.cols === null) {
      if (isHeaderRow(fields)) return this.header(fields, line);
      this.cols = DEFAULT_COLUMNS;
    }
    this.rows++;
    if (this.rows > CSV_LIMITS.maxRows)
      return this.stop(line, `more than ${CSV_LIMITS.maxRows.toLocaleString('en-US')} data rows (the limit)`);
    if (fields.length < this.needed) {
      const found = fields.length === 1 ? `1 value ${quote(fields[0])}` : `${fields.length} values`;
      this.errors.add(line, `expected ${this.needed} values (x, y, label) separated by commas, found ${found}`);
      return true;
    }
    if (fields.length > Math.max(3, this.headerWidth) && this.extraColumnsLine === 0) this.extraColumnsLine = line;
    const { label, point, reasons } = readRow(fields, this.cols);
    if (label === 0 && !this.firstZero) this.firstZero = line;
    if (label === -1 && !this.firstMinusOne) this.firstMinusOne = line;
    for (const r of reasons) this.errors.add(line, r);
    if (point && label !== null) {
      this.xs.push(point[0], point[1]);
      this.labels.push(label === 1 ? 1 : 0);
    }
    return true;
  }

  private header(fields: string[], line: number): boolean {
    const h = readHeader(fields);
    if (!h.ok) return this.stop(line, h.reason);
    this.cols = h.cols;
    this.warnings.push(...h.warnings);
    this.needed = Math.max(h.cols.x, h.cols.y, h.cols.label) + 1;
    this.headerWidth = fields.length;
    return true;
  }

  private stop(line: number, reason: string): false {
    this.errors.add(line, reason);
    this.stopped = true;
    return false;
  }
}

/**
 * Parses and validates uploaded CSV text. Never throws; a failed parse returns every problem
 * found (up to CSV_LIMITS.maxErrors, then "and N more").
 */
export function parsePointsCsv(input: string): CsvParseResult {
  const text = typeof input === 'string' ? (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input) : '';
  const refused = textError(text);
  if (refused) return { ok: false, errors: [refused] };

  const reader = new PointsReader();
  const lineOf = rowLineCounter(text);
  Papa.parse<string[]>(text, {
    delimitersToGuess: [',', '\t', ';', '|'],
    skipEmptyLines: false,
    dynamicTyping: false,
    step: (results, parser: Parser) => {
      if (reader.stopped) return;
      const line = lineOf(results.meta.cursor, results.meta.linebreak);
      for (const e of results.errors) {
        if (e.code === 'UndetectableDelimiter') continue;
        reader.errors.add(line, e.type === 'Quotes' ? 'unbalanced or misplaced quotes' : e.message);
      }
      const fields = Array.isArray(results.data) ? results.data.map((f) => (typeof f === 'string' ? f : String(f))) : [];
      if (!reader.row(fields, line)) parser.abort();
    },
  });

  if (!reader.stopped && reader.errors.empty) {
    for (const e of datasetErrors(reader.labels, reader)) reader.errors.add(e.line, e.reason);
  }
  if (!reader.errors.empty) return { ok: false, errors: reader.errors.errors() };
  const warnings = [...reader.warnings, ...datasetWarnings(reader.xs, reader.firstMinusOne, reader.extraColumnsLine)];
  return { ok: true, data: { x: Float32Array.from(reader.xs), y: Float32Array.from(reader.labels) }, warnings };
}

/** Shortest decimal that reads back as exactly this float32 value. */
export function float32ToString(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(v.toPrecision(p)));
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(v);
}

/** CSV text (header x,y,label; "\n" line ends) of interleaved points and 0/1 labels; parsePointsCsv reads it back exactly. */
export function pointsToCsv(x: Float32Array, y: Float32Array): string {
  if (x.length !== 2 * y.length) throw new Error(`pointsToCsv: ${x.length} coordinates for ${y.length} labels`);
  const lines = new Array<string>(y.length + 1);
  lines[0] = 'x,y,label';
  for (let i = 0; i < y.length; i++) {
    lines[i + 1] = `${float32ToString(x[2 * i])},${float32ToString(x[2 * i + 1])},${y[i] > 0.5 ? 1 : 0}`;
  }
  return lines.join('\n') + '\n';
}
