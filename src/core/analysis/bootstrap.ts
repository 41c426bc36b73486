/**
 * A verdict that says when it does not know. The saddle test (shape.ts) depends on the region
 * where the network operates, which is estimated from a finite sample of arguments; on the
 * default preset about half of untrained g already pass it, and a run's verdict can flip from
 * one step to the next with a relative determinant of +-0.02. So: resample the examples whose
 * arguments make the density (with replacement), recompute density, 90% mask and quadratic fit
 * each time, and take the 95% percentile interval of the relative Hessian determinant
 * det / ((l1^2 + l2^2) / 2) (scale-free, in [-1, 1]). Saddle only when the whole interval is
 * below zero, "not a saddle" only when it is above, otherwise "undecided".
 */
import type { GridSpec } from '../grid';
import { Rng } from '../rng';
import { gaussianSmooth, massMask, normalise, pairCells } from './density';
import { fitQuadratic } from './quadratic';
import { curvatureNegligible, DET_NOISE, relativeDet, type ShapeVerdict } from './shape';
import { quantile, type Interval } from '../stats/summary';

export type UncertainVerdict = ShapeVerdict | 'undecided';

export interface BootstrapVerdict {
  verdict: UncertainVerdict;
  /** 95% percentile interval of the relative determinant over the resamples. */
  relativeDet: Interval;
  /** The same interval for the determinant 4 c0 c1 - c2^2 itself. */
  hessianDet: Interval;
  resamples: number;
}

export interface BootstrapOptions {
  /** At least 50 (fewer make the 2.5% and 97.5% percentiles meaningless). */
  resamples?: number;
  sigmaCells: number;
  fraction?: number;
  seed?: number;
}

export const MIN_RESAMPLES = 50;

/**
 * `argumentsPerLayer[l]` holds the interleaved (a, b) pairs of layer l for `examples` examples,
 * example-major (the units of example e are rows e*units .. e*units + units - 1), as
 * collectArguments returns them. Examples are resampled, not single pairs: the units of one
 * example see the same input, so their arguments are not independent draws.
 */
export function bootstrapVerdict(
  g: Float32Array,
  grid: GridSpec,
  argumentsPerLayer: readonly Float32Array[],
  examples: number,
  options: BootstrapOptions,
): BootstrapVerdict {
  const resamples = Math.max(MIN_RESAMPLES, Math.floor(options.resamples ?? MIN_RESAMPLES));
  const rng = Rng.derive(options.seed ?? 0, 'bootstrap-verdict');
  const size = grid.size;
  const rel: number[] = [];
  const det: number[] = [];
  let pointC: [number, number, number, number, number, number] | null = null;
  const picks = new Int32Array(examples);
  // Each pair's cell, once: a resample's histogram counts the cells of the examples it draws
  // (the counts histogram2d gives the drawn pairs, without binning them again each time).
  const cellsPerLayer = argumentsPerLayer.map((pairs) => pairCells(pairs, grid));
  const counts = new Float32Array(size * size);
  for (let r = 0; r <= resamples; r++) {
    // r = 0 is the sample itself (the point estimate, for the orientation of the saddle).
    for (let e = 0; e < examples; e++) picks[e] = r === 0 ? e : rng.int(examples);
    const all = new Float32Array(size * size);
    for (const cells of cellsPerLayer) {
      const perExample = cells.length / examples;
      counts.fill(0);
      for (let e = 0; e < examples; e++) {
        const from = picks[e] * perExample;
        for (let u = from; u < from + perExample; u++) if (cells[u] >= 0) counts[cells[u]] += 1;
      }
      const layer = normalise(gaussianSmooth(counts, size, options.sigmaCells));
      for (let i = 0; i < all.length; i++) all[i] += layer[i] / argumentsPerLayer.length;
    }
    const { c } = fitQuadratic(g, grid, massMask(all, options.fraction ?? 0.9));
    if (r === 0) {
      pointC = c;
      continue;
    }
    // No measurable curvature is certainly not a saddle: count it as a clear positive.
    rel.push(curvatureNegligible(c) ? 1 : relativeDet(c));
    det.push(4 * c[0] * c[1] - c[2] * c[2]);
  }
  const relativeInterval = { lo: quantile(rel, 0.025), hi: quantile(rel, 0.975) };
  const detInterval = { lo: quantile(det, 0.025), hi: quantile(det, 0.975) };
  let verdict: UncertainVerdict = 'undecided';
  if (relativeInterval.hi < -DET_NOISE) verdict = pointC && pointC[2] > 0 ? 'soft-xnor' : 'soft-xor';
  else if (relativeInterval.lo > DET_NOISE) verdict = 'not-saddle';
  // A fit that failed everywhere (too few cells) cannot decide anything.
  if (rel.every((v) => !Number.isFinite(v))) verdict = 'undecided';
  return { verdict, relativeDet: relativeInterval, hessianDet: detInterval, resamples };
}
