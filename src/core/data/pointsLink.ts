/**
 * The compact link encoding of small drawn data sets (the `points` param): text that survives
 * a URL unescaped, and its hostile-input reader. Pure TypeScript, no DOM.
 */
import { POINT_MAX_ABS, type Points2D } from './points';

/** Most points that travel in a link; larger data sets need the CSV. */
export const LINK_MAX_POINTS = 200;

function linkNumber(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  if (r === 0) return '0';
  return r
    .toFixed(3)
    .replace(/\.?0+$/, '')
    .replace(/^(-?)0\./, '$1.');
}

/**
 * Compact text for up to LINK_MAX_POINTS drawn points, coordinates rounded to 3 decimals:
 * points joined by "_", each "x" + ("p" for label 1, "n" for label 0) + "y", e.g.
 * "-.5p.25_.3n-1". Only characters that encodeURIComponent and URLSearchParams leave alone.
 * Null when there are too many points (the link should then say the data needs the CSV) or a
 * value is not finite or beyond POINT_MAX_ABS.
 */
export function encodePointsForLink(x: Float32Array, y: Float32Array): string | null {
  const n = y.length;
  if (x.length !== 2 * n || n > LINK_MAX_POINTS) return null;
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const a = x[2 * i];
    const b = x[2 * i + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > POINT_MAX_ABS || Math.abs(b) > POINT_MAX_ABS) return null;
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
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > POINT_MAX_ABS || Math.abs(b) > POINT_MAX_ABS) return null;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = m[2] === 'p' ? 1 : 0;
  }
  return { x, y };
}
