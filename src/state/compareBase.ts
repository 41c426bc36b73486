/** Where a comparison came from: its base params, from the page or rebuilt from its plan. */
import { comparePlan, type CompareModel } from '../core/compare/plan';
import type { Params } from '../core/params';
import type { CompareState } from './compareTypes';

/**
 * The base params a comparison was planned from: the page's params when their plan is the
 * comparison's (compare mode as usual), else rebuilt from the plan itself (an imported
 * comparison shown while the page's params are another configuration).
 */
export function comparisonBaseParams(state: Pick<CompareState, 'plans'>, pageParams: Params): Params {
  const ids = (plans: readonly { runId: string; dataSeed: number }[]) => plans.map((p) => `${p.runId}@${p.dataSeed}`).join(' ');
  if (pageParams.compare.length > 0 && ids(comparePlan(pageParams)) === ids(state.plans)) return pageParams;
  const first = state.plans[0];
  if (!first) return pageParams;
  const models = [...new Set(state.plans.map((p) => p.model))] as CompareModel[];
  // A plan's params are the base's with the run's model and seed (comparePlan): undo that.
  return {
    ...structuredClone(first.params),
    seed: first.dataSeed,
    compare: models,
    seeds: state.plans.filter((p) => p.model === first.model).length,
  };
}
