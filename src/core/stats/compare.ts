/**
 * Comparing two groups of seeds honestly: the difference of means with a Welch 95% interval
 * (t quantile with Welch-Satterthwaite degrees of freedom, since 4-8 seeds are far from the
 * normal limit), and a three-way call on a claimed direction: reproduced when the whole
 * interval agrees with the claim, not reproduced when it is entirely against it, inconclusive
 * otherwise. Rates are compared by their Wilson intervals the same way.
 */
import { mean, sampleSd, Z95, type Interval, type Rate } from './summary';

export type ClaimVerdict = 'reproduced' | 'not reproduced' | 'inconclusive' | 'not measured';

/**
 * Upper 97.5% quantile of Student's t with df degrees of freedom (Cornish-Fisher expansion;
 * within 0.1% of the exact value for df >= 3, and exact in the normal limit).
 */
export function t975(df: number): number {
  if (!(df > 0)) return NaN;
  if (!Number.isFinite(df)) return Z95;
  const z = Z95;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export interface Difference extends Interval {
  /** mean(a) - mean(b). */
  diff: number;
}

/** Difference of means a - b with a Welch 95% interval; NaN bounds with fewer than two values per group. */
export function welchDifference(a: readonly number[], b: readonly number[]): Difference {
  const fa = a.filter(Number.isFinite);
  const fb = b.filter(Number.isFinite);
  const diff = mean(fa) - mean(fb);
  if (fa.length < 2 || fb.length < 2) return { diff, lo: NaN, hi: NaN };
  const va = sampleSd(fa) ** 2 / fa.length;
  const vb = sampleSd(fb) ** 2 / fb.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { diff, lo: diff, hi: diff };
  const df = (va + vb) ** 2 / (va ** 2 / (fa.length - 1) + vb ** 2 / (fb.length - 1));
  const half = t975(df) * se;
  return { diff, lo: diff - half, hi: diff + half };
}

/** The call on "a is higher than b", from an interval of a - b. */
export function directionVerdict(d: Interval): ClaimVerdict {
  if (!Number.isFinite(d.lo) || !Number.isFinite(d.hi)) return 'not measured';
  if (d.lo > 0) return 'reproduced';
  if (d.hi < 0) return 'not reproduced';
  return 'inconclusive';
}

/** The call on "rate a is higher than rate b": their Wilson intervals must not overlap to decide. */
export function rateDirectionVerdict(a: Rate, b: Rate): ClaimVerdict {
  if (!(a.n > 0) || !(b.n > 0)) return 'not measured';
  if (a.lo > b.hi) return 'reproduced';
  if (a.hi < b.lo) return 'not reproduced';
  return 'inconclusive';
}
