/**
 * Contour lines of a grid field (marching squares), joined into polylines in data coordinates,
 * for drawing on a canvas. (A Plotly contour trace would cost tens of milliseconds of main
 * thread per update, which stalls the page while training.)
 */
import { gridCoord, type GridSpec } from '../core/grid';

export type Point = [number, number];

/** Position of `level` between two corner values, as a fraction from the first. */
function crossing(v0: number, v1: number, level: number): number {
  const d = v1 - v0;
  return d === 0 ? 0.5 : (level - v0) / d;
}

/**
 * Marching squares over a size*size row-major field (row = y index). Returns polylines; a
 * closed loop repeats its first point at the end. Saddle cells are resolved by the cell mean.
 */
export function contourLines(values: ArrayLike<number>, grid: GridSpec, level: number): Point[][] {
  const n = grid.size;
  if (n < 2) return [];
  const xs = Array.from({ length: n }, (_, i) => gridCoord(grid, i));
  const v = (r: number, c: number) => {
    const x = values[r * n + c];
    return Number.isFinite(x) ? x : -Infinity;
  };
  // Crossing points are identified by the grid edge they lie on, so neighbouring cells share them.
  const points = new Map<number, Point>();
  const hEdge = (r: number, c: number) => 2 * (r * n + c); // (r,c)-(r,c+1)
  const vEdge = (r: number, c: number) => 2 * (r * n + c) + 1; // (r,c)-(r+1,c)
  const pointOn = (edge: number): Point => {
    let p = points.get(edge);
    if (p) return p;
    const cell = edge >> 1;
    const r = Math.floor(cell / n);
    const c = cell % n;
    if ((edge & 1) === 0) {
      const t = crossing(v(r, c), v(r, c + 1), level);
      p = [xs[c] + t * (xs[c + 1] - xs[c]), xs[r]];
    } else {
      const t = crossing(v(r, c), v(r + 1, c), level);
      p = [xs[c], xs[r] + t * (xs[r + 1] - xs[r])];
    }
    points.set(edge, p);
    return p;
  };

  const neighbours = new Map<number, number[]>();
  const link = (a: number, b: number) => {
    pointOn(a);
    pointOn(b);
    (neighbours.get(a) ?? neighbours.set(a, []).get(a)!).push(b);
    (neighbours.get(b) ?? neighbours.set(b, []).get(b)!).push(a);
  };

  for (let r = 0; r < n - 1; r++) {
    for (let c = 0; c < n - 1; c++) {
      const bl = v(r, c) >= level ? 1 : 0;
      const br = v(r, c + 1) >= level ? 2 : 0;
      const tr = v(r + 1, c + 1) >= level ? 4 : 0;
      const tl = v(r + 1, c) >= level ? 8 : 0;
      const code = bl | br | tr | tl;
      if (code === 0 || code === 15) continue;
      const bottom = hEdge(r, c);
      const top = hEdge(r + 1, c);
      const left = vEdge(r, c);
      const right = vEdge(r, c + 1);
      switch (code) {
        case 1:
        case 14:
          link(left, bottom);
          break;
        case 2:
        case 13:
          link(bottom, right);
          break;
        case 3:
        case 12:
          link(left, right);
          break;
        case 4:
        case 11:
          link(right, top);
          break;
        case 6:
        case 9:
          link(bottom, top);
          break;
        case 7:
        case 8:
          link(left, top);
          break;
        case 5:
        case 10: {
          const centreAbove = (v(r, c) + v(r, c + 1) + v(r + 1, c + 1) + v(r + 1, c)) / 4 >= level;
          // code 5: bottom-left and top-right above the level.
          if ((code === 5) === centreAbove) {
            link(left, top);
            link(bottom, right);
          } else {
            link(left, bottom);
            link(right, top);
          }
          break;
        }
      }
    }
  }

  // Walk the chains: start from open ends first (degree 1), then the remaining loops.
  const used = new Set<string>();
  const key = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const lines: Point[][] = [];
  const walk = (start: number) => {
    const line: Point[] = [points.get(start)!];
    let prev = -1;
    let cur = start;
    for (;;) {
      const next = (neighbours.get(cur) ?? []).find((m) => m !== prev && !used.has(key(cur, m)));
      if (next === undefined) break;
      used.add(key(cur, next));
      line.push(points.get(next)!);
      prev = cur;
      cur = next;
      if (cur === start) break;
    }
    if (line.length > 1) lines.push(line);
  };
  for (const [edge, ns] of neighbours) if (ns.length === 1 && !used.has(key(edge, ns[0]))) walk(edge);
  for (const [edge, ns] of neighbours) for (const m of ns) if (!used.has(key(edge, m))) walk(edge);
  return lines;
}

/**
 * The density level whose contour encloses exactly the masked cells: halfway between the
 * lowest masked density and the highest unmasked one. Null when the mask is empty or full.
 */
export function maskLevel(density: ArrayLike<number>, mask: ArrayLike<number>): number | null {
  let lowestIn = Infinity;
  let highestOut = -Infinity;
  for (let i = 0; i < density.length; i++) {
    if (mask[i]) lowestIn = Math.min(lowestIn, density[i]);
    else highestOut = Math.max(highestOut, density[i]);
  }
  if (!Number.isFinite(lowestIn)) return null;
  if (!Number.isFinite(highestOut)) return null;
  return (lowestIn + Math.max(0, highestOut)) / 2;
}
