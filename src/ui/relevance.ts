/**
 * Which settings matter for the chosen model. A control that does nothing for this model is
 * shown disabled with the reason, rather than silently ignored.
 */
import type { Params } from '../core/params';

const INNER_KEYS = new Set<keyof Params>(['inner', 'innerAct', 'innerShared', 'pretrain']);

export function whyInactive(key: keyof Params, p: Params): string | null {
  const learned = p.model === 'twoArg' || p.model === 'oneArg';
  if (INNER_KEYS.has(key) && !learned) return `${p.model} has a fixed activation, so there is no g to shape.`;
  if (key === 'match' && p.model === 'twoArg') return 'The two-argument network is the reference the baselines are matched to.';
  return null;
}
