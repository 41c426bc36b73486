/**
 * The user's own 2D data set as the app edits and shares it: drawing edits (add, erase), the
 * link text of small data sets, which points a run uses and how it splits them. Pure TypeScript, no DOM.
 */
import type { Dataset2D } from './datasets2d';
import type { Points2D } from './points';
import { decodePointsFromLink, encodePointsForLink } from './pointsLink';
import { splitPoints } from './pointsSplit';

/** Fewest points a run trains on (one for training, one for testing). */
export const MIN_CUSTOM_POINTS = 2;

/**
 * Longest point text put in a link. encodePointsForLink allows 200 points of any size, but
 * coordinates near 1,000,000 would make a link longer than links are read (4096 characters);
 * such data travels as a CSV instead.
 */
export const LINK_POINTS_MAX_CHARS = 3000;

export const NO_POINTS: Points2D = Object.freeze({ x: new Float32Array(0), y: new Float32Array(0) });

/** The link text for these points, or '' when they do not fit (then the link needs the CSV). */
export function pointsLinkText(points: Points2D): string {
  const text = encodePointsForLink(points.x, points.y);
  return text !== null && text.length <= LINK_POINTS_MAX_CHARS ? text : '';
}

/** True when these points travel in a link (none, or few and small enough). */
export function fitsInLink(points: Points2D): boolean {
  return points.y.length === 0 || pointsLinkText(points) !== '';
}

/**
 * The points a run of the user's own data uses. `sent` are the points the page sent with full
 * precision (drawn or uploaded); they count while the link text still describes them (the same
 * points, or '' for data too large for a link). Otherwise the link is newer (opened, edited,
 * or from a run file) and its points are used.
 */
export function customPointsFor(linkText: string, sent: Points2D | null): Points2D {
  if (sent && pointsLinkText(sent) === linkText) return sent;
  return decodePointsFromLink(linkText) ?? NO_POINTS;
}

/**
 * The train/test split a run of these points uses (the seeded splitPoints); with fewer than
 * MIN_CUSTOM_POINTS there is nothing to test on, so every point is a training point. The
 * page draws the same split the worker trains on. The arrays are fresh copies.
 */
export function customDataset(points: Points2D, trainFraction: number, seed: number): Dataset2D {
  if (points.y.length < MIN_CUSTOM_POINTS) {
    return { trainX: points.x.slice(), trainY: points.y.slice(), testX: new Float32Array(0), testY: new Float32Array(0) };
  }
  return splitPoints(points.x, points.y, trainFraction, seed);
}

/** Rounds a coordinate as the link does (3 decimals), so drawn points survive the link exactly. */
export function roundForLink(v: number): number {
  const r = Math.round(v * 1000) / 1000;
  return r === 0 ? 0 : r;
}

/** A new point set with one more point (coordinates rounded for the link). */
export function withPoint(points: Points2D, px: number, py: number, label: 0 | 1): Points2D {
  const n = points.y.length;
  const x = new Float32Array(2 * n + 2);
  x.set(points.x);
  x[2 * n] = roundForLink(px);
  x[2 * n + 1] = roundForLink(py);
  const y = new Float32Array(n + 1);
  y.set(points.y);
  y[n] = label;
  return { x, y };
}

/** The points farther than `radius` from (cx, cy); the same object when none is that close. */
export function withoutPointsNear(points: Points2D, cx: number, cy: number, radius: number): Points2D {
  const n = points.y.length;
  const r2 = radius * radius;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const dx = points.x[2 * i] - cx;
    const dy = points.x[2 * i + 1] - cy;
    if (dx * dx + dy * dy > r2) keep.push(i);
  }
  if (keep.length === n) return points;
  const x = new Float32Array(2 * keep.length);
  const y = new Float32Array(keep.length);
  keep.forEach((i, k) => {
    x[2 * k] = points.x[2 * i];
    x[2 * k + 1] = points.x[2 * i + 1];
    y[k] = points.y[i];
  });
  return { x, y };
}

/** Points per class: [class 0, class 1]. */
export function classCounts(points: Points2D): [number, number] {
  let ones = 0;
  for (let i = 0; i < points.y.length; i++) if (points.y[i] > 0.5) ones++;
  return [points.y.length - ones, ones];
}
