/**
 * Compare mode's runs: every chosen model x `seeds` seeds on the same data, each baseline
 * parameter-matched to the two-argument model (the paper's fair comparison). Pure: the pool
 * on the page hands each run's params to a worker, the summary and the export name runs by id.
 */
import { COMPARE_MODELS, PARAM_SPECS, type Params } from '../params';

export type CompareModel = (typeof COMPARE_MODELS)[number];

export interface CompareRunPlan {
  /** `${model}-s${seed}`: stable, readable, and the key of the run everywhere (protocol, store, export). */
  runId: string;
  model: CompareModel;
  /** The run's own seed: its initial weights and batch order. */
  seed: number;
  /** Index of the seed within its model (0 .. seeds - 1): the column in the small multiples. */
  seedIndex: number;
  /** The params the run is built from (params.seed is the run's seed). */
  params: Params;
  /**
   * The seed the generated data set is drawn from: the base seed for every run, so all runs
   * see the same data (RunHost builds generated data from it instead of params.seed).
   */
  dataSeed: number;
}

export function compareRunId(model: CompareModel, seed: number): string {
  return `${model}-s${seed}`;
}

/**
 * The runs of a comparison, model-major. The data set is the same for every run: it is drawn
 * from the base seed (the seed param) and only the model's seed varies, so differences between
 * runs of a model are initialisation and batch order, not data.
 */
export function comparePlan(base: Params): CompareRunPlan[] {
  const plans: CompareRunPlan[] = [];
  for (const model of base.compare as CompareModel[]) {
    for (let i = 0; i < base.seeds; i++) {
      // Wraps at the largest seed, so a link with the largest seed still gets distinct seeds.
      const seed = (base.seed + i) % (PARAM_SPECS.seed.max + 1);
      const params: Params = { ...structuredClone(base), model, seed, match: true, compare: [], autoplay: false, embed: false };
      plans.push({ runId: compareRunId(model, seed), model, seed, seedIndex: i, params, dataSeed: base.seed });
    }
  }
  return plans;
}

/** True in compare mode. */
export function isCompareMode(p: Params): boolean {
  return p.compare.length > 0;
}
