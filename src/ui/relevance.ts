/**
 * Which settings matter for the chosen model. A control that does nothing for this model is
 * shown disabled with the reason, rather than silently ignored.
 */
import { isGeneratedDataset, isImageDataset, type Params } from '../core/params';

const INNER_KEYS = new Set<keyof Params>(['inner', 'innerAct', 'innerShared', 'pretrain', 'sessionOne']);

export function whyInactive(key: keyof Params, p: Params): string | null {
  const generated = isGeneratedDataset(p.dataset);
  if ((key === 'noise' || key === 'n') && !generated) {
    return p.dataset === 'custom' ? 'Your own data set is used as drawn or uploaded.' : 'Image data sets come as they are.';
  }
  if (key === 'train' && isImageDataset(p.dataset)) return 'Image data sets come with their own training and test images.';
  if (p.compare.length > 0) {
    // Compare mode trains the models chosen above its grid, every baseline matched to g(a, b).
    if (key === 'model') return 'Compare mode trains the models chosen above the grid.';
    if (key === 'match') return 'Compare mode always matches every baseline to the two-argument network’s parameter count.';
    const learnedAny = p.compare.includes('twoArg') || p.compare.includes('oneArg');
    if (INNER_KEYS.has(key) && !learnedAny) return 'None of the compared models learns its activation, so there is no g to shape.';
    return null;
  }
  const learned = p.model === 'twoArg' || p.model === 'oneArg';
  if (INNER_KEYS.has(key) && !learned) return `${p.model} has a fixed activation, so there is no g to shape.`;
  if (key === 'sessionOne' && p.pretrain === 0) return 'Session I is off (its length is 0), so g starts from its Xavier initialisation.';
  if (key === 'match' && p.model === 'twoArg') return 'The two-argument network is the reference the baselines are matched to.';
  return null;
}
