/**
 * Summary statistics for comparing runs across seeds: mean and sample standard deviation,
 * mean +- sd bands over runs that share step numbers, the median, and Wilson score intervals
 * for rates ("8 of 16 seeds became saddles"). Pure functions, no tfjs: the compare view, the
 * exports and the experiment report all compute their numbers here, so they always agree.
 */

/** Mean of the finite values (NaN when there are none). */
export function mean(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    sum += v;
    n += 1;
  }
  return n > 0 ? sum / n : NaN;
}

/**
 * Sample standard deviation (n - 1 in the denominator) of the finite values: 0 for a single
 * value (one seed has no spread to show), NaN for none.
 */
export function sampleSd(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return NaN;
  if (finite.length === 1) return 0;
  const m = mean(finite);
  let ss = 0;
  for (const v of finite) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (finite.length - 1));
}

/** Median of the finite values (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The q-quantile (0..1) of the finite values by linear interpolation between order statistics
 * (the "type 7" rule of R and numpy's default); NaN for none.
 */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Interval {
  lo: number;
  hi: number;
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for k successes in n trials. Unlike the normal approximation it stays
 * inside [0, 1] and is sensible at 0/n and n/n, which is where small seed counts put us.
 * n = 0 gives the uninformative [0, 1].
 */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (!(n > 0)) return { lo: 0, hi: 1 };
  if (k < 0 || k > n) throw new RangeError(`successes ${k} must lie between 0 and ${n}`);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At k = 0 and k = n the bound is exactly 0 or 1; say so rather than 0.9999999999999999.
  return { lo: k === 0 ? 0 : Math.max(0, centre - half), hi: k === n ? 1 : Math.min(1, centre + half) };
}

/** Mean and sample sd of the finite values, and how many there were. */
export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const finite = values.filter(Number.isFinite);
  return { mean: mean(finite), sd: sampleSd(finite), n: finite.length };
}

/** A rate with its Wilson interval, ready to show and export. */
export interface Rate extends Interval {
  k: number;
  n: number;
  rate: number;
}

export function rateOf(k: number, n: number): Rate {
  return { k, n, rate: n > 0 ? k / n : NaN, ...wilsonInterval(k, n) };
}

export interface BandPoint {
  step: number;
  mean: number;
  sd: number;
  /** How many runs had a finite value at this step. */
  n: number;
}

/**
 * Mean +- sd over runs of a per-step series. Runs advance in lockstep, so a step is kept only
 * when every run recorded it (histories are thinned identically when their lengths match); a
 * step some run lacks would mix different seeds into one point.
 */
export function meanSdBand(series: readonly (readonly { step: number; value: number }[])[]): BandPoint[] {
  if (series.length === 0) return [];
  const byStep = new Map<number, number[]>();
  for (const run of series) {
    for (const { step, value } of run) {
      const list = byStep.get(step);
      if (list) list.push(value);
      else byStep.set(step, [value]);
    }
  }
  const out: BandPoint[] = [];
  for (const [step, values] of byStep) {
    if (values.length !== series.length) continue;
    const finite = values.filter(Number.isFinite);
    out.push({ step, mean: mean(finite), sd: sampleSd(finite), n: finite.length });
  }
  return out.sort((a, b) => a.step - b.step);
}
