/**
 * Robustness curves pooled per model: mean +- sample sd over the seeds' curves at each
 * perturbation size (core/stats' meanSd), for the chart and the exports alike. Diverged runs
 * carry no curve and are counted apart, never averaged in.
 */
import { meanSd } from '../stats/summary';
import type { RobustnessCurve } from './attacks';

export interface RobustnessBand {
  model: string;
  sizes: number[];
  mean: number[];
  sd: number[];
  /** Curves pooled (runs of this model with a finished curve on these sizes). */
  runs: number;
}

/**
 * One band per model, in the order models first appear. Curves of a model must share their
 * sizes (one test measures every run on the same grid); a curve on other sizes is left out.
 */
export function robustnessBands(curves: readonly { model: string; curve: RobustnessCurve }[]): RobustnessBand[] {
  const byModel = new Map<string, RobustnessCurve[]>();
  for (const { model, curve } of curves) {
    const list = byModel.get(model);
    if (list) list.push(curve);
    else byModel.set(model, [curve]);
  }
  const bands: RobustnessBand[] = [];
  for (const [model, list] of byModel) {
    const sizes = list[0].sizes;
    const same = list.filter((c) => c.sizes.length === sizes.length && c.sizes.every((s, i) => s === sizes[i]));
    const stats = sizes.map((_, i) => meanSd(same.map((c) => c.accuracy[i])));
    bands.push({ model, sizes: [...sizes], mean: stats.map((s) => s.mean), sd: stats.map((s) => s.sd), runs: same.length });
  }
  return bands;
}
