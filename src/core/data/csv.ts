/**
 * The user's own 2D data: CSV upload (parse and validate), CSV export, a compact encoding of
 * small drawn data sets for links, and the seeded train/test split. Pure TypeScript, no DOM.
 *
 * Upload format: columns x, y, label; a header row is optional (any non-numeric value in the
 * first row makes it a header; columns are then found by name). Labels 0/1, or -1/1 (-1 is
 * read as 0). Values separated by commas (tabs and semicolons are detected too), dot decimals.
 * Limits in CSV_LIMITS; every error names its line (line 0: the file as a whole).
 */
import Papa, { type Parser } from 'papaparse';
import { Rng } from '../rng';
import { splitInOrder, type Dataset2D } from './datasets2d';

export const CSV_LIMITS = {
  /** UTF-8 size of the file; check File.size with csvSizeError before reading it. */
  maxBytes: 10 * 1024 * 1024,
  /** Data rows (the header and blank lines not counted). */
  maxRows: 100_000,
  /** Characters on one physical line. */
  maxLineChars: 10_000,
  /** Largest accepted |coordinate|. */
  maxAbs: 1e6,
  /** Fewest points accepted (both classes must be present too). */
  minPoints: 4,
  /** Errors listed before "and N more". */
  maxErrors: 20,
} as const;

/** The limits in words, for the upload control. */
export const CSV_LIMITS_TEXT =
  'CSV with columns x, y, label (header optional); labels 0/1 or -1/1; at most 10 MB and 100,000 rows; |x|, |y| up to 1,000,000.';

/** line is 1-based; 0 means the file as a whole. */
export interface CsvError {
  line: number;
  reason: string;
}

export interface Points2D {
  /** Interleaved x, y. */
  x: Float32Array;
  /** Labels 0/1. */
  y: Float32Array;
}

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

/** UTF-8 length of text, counting no further than stopAbove (returns stopAbove + 1 then). */
function utf8Length(text: string, stopAbove: number): number {
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
function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return JSON.stringify(clean.length > 24 ? clean.slice(0, 24) + '...' : clean);
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a decimal number strictly (no hex, no empty string, no "Infinity"); NaN when not a number. */
function strictNumber(field: string): number {
  const s = field.trim();
  return NUMBER_RE.test(s) ? Number(s) : Number.NaN;
}

const LABEL_NAMES = ['label', 'labels', 'class', 'target', 'y_true'];

/**
 * Parses and validates uploaded CSV text. Never throws; a failed parse returns every problem
 * found (up to CSV_LIMITS.maxErrors, then "and N more").
 */
export function parsePointsCsv(input: string): CsvParseResult {
  const text = typeof input === 'string' ? (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input) : '';
  const limitMb = CSV_LIMITS.maxBytes / (1024 * 1024);
  // Each UTF-16 unit is at least one UTF-8 byte, so a long string is rejected without scanning.
  if (text.length > CSV_LIMITS.maxBytes || utf8Length(text, CSV_LIMITS.maxBytes) > CSV_LIMITS.maxBytes) {
    return { ok: false, errors: [{ line: 0, reason: `the file is larger than ${limitMb} MB (the limit)` }] };
  }
  if (text.trim() === '') return { ok: false, errors: [{ line: 0, reason: 'the file is empty' }] };

  // Pre-scan physical lines: binary content and absurdly long lines are refused before parsing.
  {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 10;
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        if (i - start > CSV_LIMITS.maxLineChars) {
          return { ok: false, errors: [{ line, reason: `the line is longer than ${CSV_LIMITS.maxLineChars.toLocaleString('en-US')} characters; this is not a CSV of points` }] };
        }
        line++;
        start = i + 1;
      } else if ((c < 32 && c !== 9 && c !== 13) || c === 0xfffd || c === 0x7f) {
        return { ok: false, errors: [{ line, reason: 'the file contains binary data, not text; upload a CSV text file' }] };
      }
    }
  }

  const errors: CsvError[] = [];
  let moreErrors = 0;
  const addError = (line: number, reason: string) => {
    if (errors.length < CSV_LIMITS.maxErrors) errors.push({ line, reason });
    else moreErrors++;
  };
  const warnings: string[] = [];

  const xs: number[] = [];
  const labels: number[] = [];
  let cols: { x: number; y: number; label: number } | null = null;
  let needed = 3;
  let headerWidth = 0;
  let extraColumnsLine = 0;
  let firstMinusOne = 0;
  let firstZero = 0;
  let rows = 0;
  let stopped = false;

  // Line numbers: count line breaks between row starts (quoted fields may span lines).
  let line = 1;
  let counted = 0;
  let rowStart = 0;
  let breakChar = '\n';

  const handleRow = (fields: string[], rowLine: number, parser: Parser) => {
    if (fields.length === 0 || (fields.length === 1 && fields[0].trim() === '')) return; // blank line
    if (cols === null) {
      // First non-blank row: header or data?
      const head = fields.slice(0, 3);
      const numeric = (f: string) => f.trim().split(/\s+/).every((t) => Number.isFinite(strictNumber(t)));
      const isHeader = head.some((f) => f.trim() !== '' && !(fields.length < 3 ? numeric(f) : Number.isFinite(strictNumber(f))));
      if (isHeader) {
        const names = fields.map((f) => f.trim().toLowerCase());
        const find = (cands: string[]) => names.findIndex((n) => cands.includes(n));
        // "x, y, label", or scikit-learn style "x1, x2, y" (y is then the label).
        const sk = names.includes('x1') && names.includes('x2') && !names.includes('x');
        const ix = find(sk ? ['x1'] : ['x']);
        const iy = find(sk ? ['x2'] : ['y']);
        const il = find(sk ? [...LABEL_NAMES, 'y'] : LABEL_NAMES);
        if (ix < 0 && iy < 0 && il < 0) {
          if (fields.length < 3) {
            addError(rowLine, `the header has ${fields.length} column${fields.length === 1 ? '' : 's'}; expected x, y, label separated by commas`);
            stopped = true;
            parser.abort();
            return;
          }
          cols = { x: 0, y: 1, label: 2 };
          warnings.push(`header ${quote(fields.join(','))} not recognised: reading the first three columns as x, y, label`);
        } else {
          const missing = [ix < 0 ? 'x' : '', iy < 0 ? 'y' : '', il < 0 ? 'label' : ''].filter(Boolean);
          if (missing.length > 0) {
            addError(rowLine, `the header has no ${missing.join(', ')} column (expected x, y, label)`);
            stopped = true;
            parser.abort();
            return;
          }
          cols = { x: ix, y: iy, label: il };
        }
        needed = Math.max(cols.x, cols.y, cols.label) + 1;
        const picked = cols;
        headerWidth = fields.length;
        if (fields.length > 3) {
          const ignored = fields.filter((_, i) => i !== picked.x && i !== picked.y && i !== picked.label);
          warnings.push(`ignored column${ignored.length > 1 ? 's' : ''} ${ignored.map(quote).join(', ')}`);
        }
        return;
      }
      cols = { x: 0, y: 1, label: 2 };
      needed = 3;
    }
    rows++;
    if (rows > CSV_LIMITS.maxRows) {
      addError(rowLine, `more than ${CSV_LIMITS.maxRows.toLocaleString('en-US')} data rows (the limit)`);
      stopped = true;
      parser.abort();
      return;
    }
    if (fields.length < needed) {
      const found = fields.length === 1 ? `1 value ${quote(fields[0])}` : `${fields.length} values`;
      addError(rowLine, `expected ${needed} values (x, y, label) separated by commas, found ${found}`);
      return;
    }
    if (fields.length > Math.max(3, headerWidth) && extraColumnsLine === 0) extraColumnsLine = rowLine;
    const c = cols;
    let ok = true;
    const vx = strictNumber(fields[c.x]);
    const vy = strictNumber(fields[c.y]);
    const checkCoord = (name: string, raw: string, v: number) => {
      if (raw.trim() === '') addError(rowLine, `${name} is empty`);
      else if (Number.isNaN(v)) addError(rowLine, `${name} is not a number: ${quote(raw)}${/^\s*[+-]?\d+,\d+\s*$/.test(raw) ? ' (use a dot as the decimal separator)' : ''}`);
      else if (!Number.isFinite(v)) addError(rowLine, `${name} is not a finite number: ${quote(raw)}`);
      else if (Math.abs(v) > CSV_LIMITS.maxAbs) addError(rowLine, `${name} = ${quote(raw.trim())} is out of range (at most 1,000,000 in size)`);
      else return true;
      return false;
    };
    ok = checkCoord('x', fields[c.x], vx) && ok;
    ok = checkCoord('y', fields[c.y], vy) && ok;
    const rawLabel = fields[c.label];
    const vl = strictNumber(rawLabel);
    let label = -2;
    if (vl === 1) label = 1;
    else if (vl === 0) {
      label = 0;
      if (!firstZero) firstZero = rowLine;
    } else if (vl === -1) {
      label = 0;
      if (!firstMinusOne) firstMinusOne = rowLine;
    } else {
      addError(rowLine, `label must be 0 or 1 (or -1 and 1), got ${quote(rawLabel)}`);
      ok = false;
    }
    if (!ok) return;
    xs.push(vx, vy);
    labels.push(label);
  };

  Papa.parse<string[]>(text, {
    delimitersToGuess: [',', '\t', ';', '|'],
    skipEmptyLines: false,
    dynamicTyping: false,
    step: (results, parser) => {
      if (stopped) return;
      if (results.meta.linebreak) breakChar = results.meta.linebreak.includes('\n') ? '\n' : '\r';
      for (let i = text.indexOf(breakChar, counted); i !== -1 && i < rowStart; i = text.indexOf(breakChar, i + 1)) line++;
      counted = rowStart;
      const rowLine = line;
      rowStart = results.meta.cursor;
      for (const e of results.errors) {
        if (e.code === 'UndetectableDelimiter') continue;
        addError(rowLine, e.type === 'Quotes' ? 'unbalanced or misplaced quotes' : e.message);
      }
      const fields = Array.isArray(results.data) ? results.data.map((f) => (typeof f === 'string' ? f : String(f))) : [];
      handleRow(fields, rowLine, parser);
    },
  });

  if (!stopped && errors.length === 0 && moreErrors === 0) {
    if (firstMinusOne && firstZero) {
      addError(Math.max(firstMinusOne, firstZero), 'labels mix -1 and 0; use 0 and 1, or -1 and 1');
    }
    const n = labels.length;
    if (n < CSV_LIMITS.minPoints) {
      addError(0, `the file has ${n} point${n === 1 ? '' : 's'}; at least ${CSV_LIMITS.minPoints} are needed`);
    } else {
      let ones = 0;
      for (const l of labels) ones += l;
      if (ones === 0 || ones === n) addError(0, `every point has label ${ones === 0 ? (firstMinusOne ? '-1' : '0') : '1'}; both classes are needed`);
    }
  }
  if (errors.length > 0 || moreErrors > 0) {
    if (moreErrors > 0) errors.push({ line: 0, reason: `and ${moreErrors.toLocaleString('en-US')} more error${moreErrors === 1 ? '' : 's'}` });
    return { ok: false, errors };
  }

  if (firstMinusOne) warnings.push('labels -1 read as class 0');
  if (extraColumnsLine > 0) warnings.push(`line ${extraColumnsLine} (and maybe others) has more values than the columns x, y, label; the extra values were ignored`);
  let maxAbs = 0;
  for (const v of xs) maxAbs = Math.max(maxAbs, Math.abs(v));
  if (maxAbs > 1.5) warnings.push(`points reach ${+maxAbs.toPrecision(3)} from the origin; the plots and generated data use [-1.5, 1.5], so consider rescaling`);
  return { ok: true, data: { x: Float32Array.from(xs), y: Float32Array.from(labels) }, warnings };
}

/** Shortest decimal that reads back as exactly this float32 value. */
function float32ToString(v: number): string {
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

/** All points of a data set (train, then test), e.g. to export the current data as CSV. */
export function mergeDataset2D(ds: Dataset2D): Points2D {
  const x = new Float32Array(ds.trainX.length + ds.testX.length);
  x.set(ds.trainX);
  x.set(ds.testX, ds.trainX.length);
  const y = new Float32Array(ds.trainY.length + ds.testY.length);
  y.set(ds.trainY);
  y.set(ds.testY, ds.trainY.length);
  return { x, y };
}

/** Most points that travel in a link; larger data sets need the CSV. */
export const LINK_MAX_POINTS = 200;

function linkNumber(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  if (r === 0) return '0';
  return r.toFixed(3).replace(/\.?0+$/, '').replace(/^(-?)0\./, '$1.');
}

/**
 * Compact text for up to LINK_MAX_POINTS drawn points, coordinates rounded to 3 decimals:
 * points joined by "_", each "x" + ("p" for label 1, "n" for label 0) + "y", e.g.
 * "-.5p.25_.3n-1". Only characters that encodeURIComponent and URLSearchParams leave alone.
 * Null when there are too many points (the link should then say the data needs the CSV) or a
 * value is not finite or beyond CSV_LIMITS.maxAbs.
 */
export function encodePointsForLink(x: Float32Array, y: Float32Array): string | null {
  const n = y.length;
  if (x.length !== 2 * n || n > LINK_MAX_POINTS) return null;
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const a = x[2 * i];
    const b = x[2 * i + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > CSV_LIMITS.maxAbs || Math.abs(b) > CSV_LIMITS.maxAbs) return null;
    if (y[i] !== 0 && y[i] !== 1) return null;
    parts[i] = linkNumber(a) + (y[i] === 1 ? 'p' : 'n') + linkNumber(b);
  }
  return parts.join('_');
}

const LINK_POINT_RE = /^(-?(?:\d{1,7}(?:\.\d{0,6})?|\.\d{1,6}))([np])(-?(?:\d{1,7}(?:\.\d{0,6})?|\.\d{1,6}))$/;

/** Reads encodePointsForLink's text back; null for anything malformed (never throws). "" gives no points. */
export function decodePointsFromLink(text: unknown): Points2D | null {
  if (typeof text !== 'string' || text.length > LINK_MAX_POINTS * 40) return null;
  if (text === '') return { x: new Float32Array(0), y: new Float32Array(0) };
  const parts = text.split('_');
  if (parts.length > LINK_MAX_POINTS) return null;
  const x = new Float32Array(2 * parts.length);
  const y = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const m = LINK_POINT_RE.exec(parts[i]);
    if (!m) return null;
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > CSV_LIMITS.maxAbs || Math.abs(b) > CSV_LIMITS.maxAbs) return null;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = m[2] === 'p' ? 1 : 0;
  }
  return { x, y };
}

/**
 * Shuffles uploaded or drawn points with the project's seeded RNG (stream "data:custom") and
 * splits them as the generated data sets do: the first round(n * trainFraction) points train
 * (at least 1 and at most n - 1), the rest test. Same points and seed give the same split.
 */
export function splitPoints(x: Float32Array, y: Float32Array, trainFraction: number, seed: number): Dataset2D {
  const n = y.length;
  if (x.length !== 2 * n) throw new Error(`splitPoints: ${x.length} coordinates for ${n} labels`);
  if (n < 2) throw new Error(`splitPoints: need at least 2 points, got ${n}`);
  if (!(trainFraction > 0 && trainFraction < 1)) throw new Error(`splitPoints: train fraction must be in (0, 1), got ${trainFraction}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`splitPoints: seed must be a whole number >= 0, got ${seed}`);
  return splitInOrder(x, y, Rng.derive(seed, 'data:custom').permutation(n), trainFraction);
}
