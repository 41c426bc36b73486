/**
 * The paper's quadratic summary of a learned g: a least-squares fit
 *   g(a, b) ~ c0 a^2 + c1 b^2 + c2 ab + c3 a + c4 b + c5
 * over the grid cells where the network operates. The sign of the Hessian determinant of this
 * quadratic is what decides "saddle" (soft XOR / XNOR); see shape.ts.
 */
import { gridCoord, type GridSpec } from '../grid';

/** Coefficients c0..c5 of the fit (see above), its cosine similarity and MSE against g, and the cells used. */
export interface QuadraticFit {
  c: [number, number, number, number, number, number];
  cosine: number;
  mse: number;
  n: number;
}

const NO_FIT_COEFFS: QuadraticFit['c'] = [0, 0, 0, 0, 0, 0];

/**
 * Solves A x = y in place (n x n, row-major, float64) by Gaussian elimination with partial
 * pivoting. Returns null when a pivot is negligible relative to the matrix scale, i.e. the
 * cells used do not determine all six coefficients (e.g. they all lie on one line).
 */
export function solveLinear(A: Float64Array, y: Float64Array, n: number): Float64Array | null {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(A[i]));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  const tol = scale * 1e-12;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]) > Math.abs(A[pivot * n + col])) pivot = r;
    if (Math.abs(A[pivot * n + col]) <= tol) return null;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        const t = A[col * n + k];
        A[col * n + k] = A[pivot * n + k];
        A[pivot * n + k] = t;
      }
      const t = y[col];
      y[col] = y[pivot];
      y[pivot] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col] / A[col * n + col];
      if (f === 0) continue;
      for (let k = col; k < n; k++) A[r * n + k] -= f * A[col * n + k];
      y[r] -= f * y[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = y[r];
    for (let k = r + 1; k < n; k++) s -= A[r * n + k] * x[k];
    x[r] = s / A[r * n + r];
  }
  return x;
}

/**
 * Least-squares quadratic fit of a size*size field `values` (row-major: row = b = y, column =
 * a = x) over the cells where mask is non-zero (mask null = every cell), optionally weighted per
 * cell. Cells with a non-finite value or a non-positive / non-finite weight are skipped.
 *
 * Numerics: coordinates are centred and scaled to unit spread before forming the 6x6 normal
 * equations (solved in float64), then the coefficients are transformed back to (a, b) units.
 *
 * Scores: `cosine` is the PLAIN (uncentred) cosine similarity between fitted and actual values
 * over the cells used, as in the paper; it is therefore high whenever g has a large constant
 * offset that the fit reproduces, so read it together with `mse` (mean squared residual). With
 * weights, both scores use the same weights as the fit.
 *
 * No fit: when fewer than 6 cells are usable, or the cells cannot determine six coefficients
 * (degenerate layout), the result is c = all zeros, cosine = 0 and mse = NaN; NaN mse is the
 * signal "there is no fit", and n still says how many cells were usable.
 */
export function fitQuadratic(values: Float32Array, grid: GridSpec, mask: Uint8Array | null, weights?: Float32Array): QuadraticFit {
  const { size } = grid;
  const coord = Float64Array.from({ length: size }, (_, i) => gridCoord(grid, i));

  // Pass 1: which cells are usable, and the spread of their coordinates (for conditioning).
  const used: number[] = [];
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < size * size; i++) {
    if (mask && !mask[i]) continue;
    if (!Number.isFinite(values[i])) continue;
    if (weights && !(weights[i] > 0 && Number.isFinite(weights[i]))) continue;
    used.push(i);
    sumA += coord[i % size];
    sumB += coord[Math.floor(i / size)];
  }
  const n = used.length;
  const noFit: QuadraticFit = { c: [...NO_FIT_COEFFS], cosine: 0, mse: NaN, n };
  if (n < 6) return noFit;
  const ma = sumA / n;
  const mb = sumB / n;
  let varA = 0;
  let varB = 0;
  for (const i of used) {
    varA += (coord[i % size] - ma) ** 2;
    varB += (coord[Math.floor(i / size)] - mb) ** 2;
  }
  const sa = Math.sqrt(varA / n);
  const sb = Math.sqrt(varB / n);
  // Zero spread on an axis means the cells lie on one line: the quadratic is not determined.
  if (!(sa > 0) || !(sb > 0)) return noFit;

  // Pass 2: normal equations in scaled coordinates u = (a - ma)/sa, v = (b - mb)/sb.
  const A = new Float64Array(36);
  const y = new Float64Array(6);
  const phi = new Float64Array(6);
  const features = (i: number) => {
    const u = (coord[i % size] - ma) / sa;
    const v = (coord[Math.floor(i / size)] - mb) / sb;
    phi[0] = u * u;
    phi[1] = v * v;
    phi[2] = u * v;
    phi[3] = u;
    phi[4] = v;
    phi[5] = 1;
  };
  for (const i of used) {
    features(i);
    const w = weights ? weights[i] : 1;
    const g = values[i];
    for (let p = 0; p < 6; p++) {
      y[p] += w * phi[p] * g;
      for (let q = p; q < 6; q++) A[p * 6 + q] += w * phi[p] * phi[q];
    }
  }
  for (let p = 0; p < 6; p++) for (let q = 0; q < p; q++) A[p * 6 + q] = A[q * 6 + p];
  const d = solveLinear(A, y, 6);
  if (!d || !d.every(Number.isFinite)) return noFit;

  // Scores, computed in the scaled frame (same predictions as the back-transformed quadratic).
  let dot = 0;
  let normFit = 0;
  let normG = 0;
  let sse = 0;
  let sw = 0;
  for (const i of used) {
    features(i);
    const w = weights ? weights[i] : 1;
    let pred = 0;
    for (let p = 0; p < 6; p++) pred += d[p] * phi[p];
    const g = values[i];
    dot += w * pred * g;
    normFit += w * pred * pred;
    normG += w * g * g;
    sse += w * (g - pred) ** 2;
    sw += w;
  }
  const denom = Math.sqrt(normFit * normG);
  // Two zero vectors are identical, so a zero field fitted by zero counts as a perfect match.
  const cosine = denom > 0 ? dot / denom : normFit === 0 && normG === 0 ? 1 : 0;

  // Back to (a, b): substitute u = (a - ma)/sa, v = (b - mb)/sb and collect powers of a and b.
  const [d0, d1, d2, d3, d4, d5] = d;
  const c0 = d0 / (sa * sa);
  const c1 = d1 / (sb * sb);
  const c2 = d2 / (sa * sb);
  const c3 = d3 / sa - 2 * ma * c0 - mb * c2;
  const c4 = d4 / sb - 2 * mb * c1 - ma * c2;
  const c5 = d5 + c0 * ma * ma + c1 * mb * mb + c2 * ma * mb - (d3 * ma) / sa - (d4 * mb) / sb;
  return { c: [c0, c1, c2, c3, c4, c5], cosine, mse: sse / sw, n };
}
