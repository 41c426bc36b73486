/**
 * Where a network really operates: the density of its arguments (a, b) on the analysis grid.
 * The paper histograms the actual arguments over units and examples, smooths the histogram with
 * a Gaussian and keeps the smallest region holding 90% of the mass; the shape of g is only judged
 * inside that region, because g outside it never influences the network.
 */
import { gridCoord, type GridSpec } from '../grid';

/** Grid spacing; a one-point grid has no spacing, so its single cell spans [min, max]. */
export function cellWidth(grid: GridSpec): number {
  return grid.size > 1 ? (grid.max - grid.min) / (grid.size - 1) : grid.max - grid.min;
}

/**
 * Counts interleaved (a0, b0, a1, b1, ...) pairs into size*size cells, row-major like the grid:
 * cell (r, c) is centred on the grid point (gridCoord(c), gridCoord(r)), i.e. each pair goes to
 * its nearest grid point. Pairs outside [min - h/2, max + h/2) on either axis are dropped (the
 * upper edge is half-open so a pair never counts twice); non-finite pairs are skipped.
 */
export function histogram2d(pairs: Float32Array, grid: GridSpec): Float32Array {
  const counts = new Float32Array(grid.size * grid.size);
  for (const cell of pairCells(pairs, grid)) if (cell >= 0) counts[cell] += 1;
  return counts;
}

/**
 * The cell each interleaved (a, b) pair counts in (histogram2d's rule), -1 for a pair it drops.
 * The bootstrap verdict bins every pair once this way, then counts resamples from the cells.
 */
export function pairCells(pairs: Float32Array, grid: GridSpec): Int32Array {
  const { size, min } = grid;
  const cells = new Int32Array(pairs.length >> 1).fill(-1);
  const h = cellWidth(grid);
  if (!(h > 0)) return cells;
  // On a one-point grid the single cell is [min, max]; otherwise cells are centred on points.
  const origin = size > 1 ? min : min + h / 2;
  for (let k = 0; k + 1 < pairs.length; k += 2) {
    const a = pairs[k];
    const b = pairs[k + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const c = Math.floor((a - origin) / h + 0.5);
    const r = Math.floor((b - origin) / h + 0.5);
    if (c < 0 || c >= size || r < 0 || r >= size) continue;
    cells[k >> 1] = r * size + c;
  }
  return cells;
}

/** A normalised 1D Gaussian kernel truncated at 3 sigma (so blurring preserves interior mass). */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = w;
    sum += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/**
 * Separable Gaussian blur of a size*size row-major field, sigma in cells. Zero padding: mass near
 * the border partly leaks out, which is acceptable because the grid is chosen to contain the data.
 * Sigma 0 (or negative / non-finite) returns an unblurred copy.
 */
export function gaussianSmooth(values: Float32Array, size: number, sigmaCells: number): Float32Array {
  if (!(sigmaCells > 0) || !Number.isFinite(sigmaCells)) return values.slice();
  const kernel = gaussianKernel(sigmaCells);
  const radius = (kernel.length - 1) / 2;
  // Accumulate in float64 so many small contributions do not lose precision. Every cell sums
  // its taps in the same order as a plain per-cell loop, so the result is the same to the bit;
  // but taps on zeros are skipped (adding an exact zero): rows of zeros (most of an argument
  // histogram's), and the columns outside the band [lo, hi] that holds every non-zero value, so
  // only the band widened by the radius is computed; and the vertical pass runs along rows
  // (memory order). An argument histogram of the default preset smooths in ~0.16 ms (0.27 without
  // the band, several times that in the plain loop): every full snapshot and timeline frame
  // smooths one per hidden layer, the bootstrap verdict one per layer and resample.
  const rowUsed = new Uint8Array(size);
  let lo = size;
  let hi = -1;
  let firstRow = size;
  let lastRow = -1;
  for (let r = 0; r < size; r++) {
    const row = r * size;
    for (let c = 0; c < size; c++) {
      if (values[row + c] === 0) continue;
      rowUsed[r] = 1;
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    if (rowUsed[r]) {
      if (r < firstRow) firstRow = r;
      lastRow = r;
    }
  }
  const out = new Float32Array(size * size);
  if (hi < 0) return out;
  const from = Math.max(0, lo - radius);
  const to = Math.min(size - 1, hi + radius);
  const tmp = new Float64Array(size * size);
  for (let r = firstRow; r <= lastRow; r++) {
    if (!rowUsed[r]) continue;
    const row = r * size;
    for (let c = from; c <= to; c++) {
      // The taps that reach into the grid and the band, in the plain loop's order.
      const k0 = Math.max(-radius, lo - c);
      const k1 = Math.min(radius, hi - c);
      let s = 0;
      for (let k = k0; k <= k1; k++) s += kernel[k + radius] * values[row + c + k];
      tmp[row + c] = s;
    }
  }
  const acc = new Float64Array(size);
  const rowFrom = Math.max(0, firstRow - radius);
  const rowTo = Math.min(size - 1, lastRow + radius);
  for (let r = rowFrom; r <= rowTo; r++) {
    acc.fill(0, from, to + 1);
    for (let k = -radius; k <= radius; k++) {
      const rr = r + k;
      if (rr < firstRow || rr > lastRow || !rowUsed[rr]) continue;
      const w = kernel[k + radius];
      const at = rr * size;
      for (let c = from; c <= to; c++) acc[c] += w * tmp[at + c];
    }
    const row = r * size;
    for (let c = from; c <= to; c++) out[row + c] = acc[c];
  }
  return out;
}

/** Scales to sum 1 so densities from different batch sizes compare; an all-zero input stays zero. */
export function normalise(values: Float32Array): Float32Array {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  const out = new Float32Array(values.length);
  if (!(total > 0) || !Number.isFinite(total)) return out;
  for (let i = 0; i < values.length; i++) out[i] = values[i] / total;
  return out;
}

/**
 * The smallest set of cells holding at least `fraction` of the total mass (the paper's 90%
 * region): cells sorted by density, highest first, ties broken by lower index so the mask is
 * deterministic, taken until the cumulative mass reaches fraction * total. Cells with zero (or
 * negative) density are never taken. An empty density gives an all-zero mask.
 */
export function massMask(density: Float32Array, fraction = 0.9): Uint8Array {
  const mask = new Uint8Array(density.length);
  let total = 0;
  for (let i = 0; i < density.length; i++) if (density[i] > 0) total += density[i];
  if (!(total > 0) || !Number.isFinite(total)) return mask;
  const target = Math.min(1, Math.max(0, fraction)) * total;
  // The values sorted natively (no comparator: ~10x faster than sorting indices, and every full
  // snapshot and each of the verdict's resamples takes a mask) give how many cells are taken
  // and the last value taken; equal values add the same whatever their order, so the sums and
  // the count are those of the cells in (density desc, index asc) order.
  let positive = 0;
  for (let i = 0; i < density.length; i++) if (density[i] > 0) positive++;
  const sorted = new Float32Array(positive);
  for (let i = 0, j = 0; i < density.length; i++) if (density[i] > 0) sorted[j++] = density[i];
  sorted.sort();
  let cumulative = 0;
  let k = sorted.length - 1;
  while (k >= 0 && cumulative < target) cumulative += sorted[k--];
  const taken = sorted.length - 1 - k;
  if (taken === 0) return mask;
  const last = sorted[k + 1];
  let above = 0;
  for (let i = 0; i < density.length; i++) if (density[i] > last) above++;
  // Every cell above the last value taken, and of the cells equal to it the first ones by index.
  let ties = taken - above;
  for (let i = 0; i < density.length; i++) {
    if (density[i] > last) mask[i] = 1;
    else if (density[i] === last && ties > 0) {
      mask[i] = 1;
      ties--;
    }
  }
  return mask;
}

/** Area of the masked region in argument units^2: masked cells times the cell area. */
export function maskArea(mask: Uint8Array, grid: GridSpec): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) count++;
  const h = cellWidth(grid);
  return count * h * h;
}

/**
 * Density-weighted centre (mean argument) and RMS distance from it, used to place the circle of
 * the angular spectrum where the data are. Returns null for an empty (zero-mass) density so the
 * caller picks its own fallback.
 */
export function densityMoments(density: Float32Array, grid: GridSpec): { centre: [number, number]; radius: number } | null {
  const { size } = grid;
  const coord = Float64Array.from({ length: size }, (_, i) => gridCoord(grid, i));
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const w = density[r * size + c];
      if (!(w > 0)) continue;
      total += w;
      sx += w * coord[c];
      sy += w * coord[r];
    }
  }
  if (!(total > 0) || !Number.isFinite(total)) return null;
  const cx = sx / total;
  const cy = sy / total;
  let ss = 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const w = density[r * size + c];
      if (w > 0) ss += w * ((coord[c] - cx) ** 2 + (coord[r] - cy) ** 2);
    }
  }
  return { centre: [cx, cy], radius: Math.sqrt(ss / total) };
}
