/** A learned g needs hidden units: a model with no hidden layer has none to draw or freeze. */
import type { ModelKind } from '../core/config';

export function hasNoG(hidden: readonly number[] | null | undefined, model: ModelKind): boolean {
  return (model === 'twoArg' || model === 'oneArg') && !!hidden && hidden.length === 0;
}
