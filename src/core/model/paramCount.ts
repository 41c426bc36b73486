/**
 * Parameter counts computed from a configuration alone (no tensors), and the width search
 * that makes a baseline match the two-argument model's total (the paper's fair comparison).
 */
import { hasInnerNet, type InnerConfig, type ModelConfig, type ModelKind } from '../config';

export interface ParamCount {
  /** Weights and biases of the outer (per-unit) layers and the output layer. */
  outer: number;
  /** All copies of the learned activation network g (one, or one per layer). */
  inner: number;
  total: number;
}

/** Parameters of g with the given input size (2 for two-argument, 1 for one-argument). */
export function innerParamCount(inner: InnerConfig, inputs: number): number {
  let count = 0;
  let prev = inputs;
  for (const width of inner.hidden) {
    count += prev * width + width;
    prev = width;
  }
  return count + prev + 1;
}

/** Pre-activations per unit: two for the two-argument model, one otherwise. */
export function argumentsPerUnit(kind: ModelKind): number {
  return kind === 'twoArg' ? 2 : 1;
}

export function countParams(c: ModelConfig): ParamCount {
  const perUnit = argumentsPerUnit(c.kind);
  let outer = 0;
  let prev = c.inputSize;
  for (const units of c.hidden) {
    outer += prev * units * perUnit + units * perUnit;
    prev = units;
  }
  outer += prev * c.outputSize + c.outputSize;
  let inner = 0;
  if (hasInnerNet(c.kind) && c.hidden.length > 0) {
    const copies = c.innerShared ? 1 : c.hidden.length;
    inner = copies * innerParamCount(c.inner, perUnit);
  }
  return { outer, inner, total: outer + inner };
}

/**
 * Widths for a baseline of kind `kind` with the same depth as `reference`, chosen so its total
 * parameter count is as close as possible to `target`. Uniform widths are tried first; then
 * when the best uniform width misses by more than 1%, each layer may move a little around it,
 * because in small networks one step of a uniform width can change the count by far more than 2%. Among equally close
 * candidates, the most uniform wins.
 */
export function matchWidths(reference: ModelConfig, kind: ModelKind, target: number): number[] {
  const depth = reference.hidden.length;
  if (depth === 0) return [];
  const countFor = (hidden: number[]) => countParams({ ...reference, kind, hidden }).total;
  const uniform = (w: number) => countFor(new Array<number>(depth).fill(w));
  // The paper's rule: the widest uniform layers whose count does not exceed the target.
  let below = 1;
  while (below < 8192 && uniform(below + 1) <= target) below += 1;
  if (Math.abs(uniform(below) - target) <= 0.01 * target) return new Array<number>(depth).fill(below);
  const best = Math.abs(uniform(below + 1) - target) < Math.abs(uniform(below) - target) ? below + 1 : below;
  // Otherwise a local search: every layer within +-radius of the best uniform width.
  const radius = depth <= 4 ? 3 : depth <= 6 ? 2 : 1;
  let bestHidden = new Array<number>(depth).fill(best);
  let bestErr = Math.abs(uniform(best) - target);
  const spread = (ws: number[]) => Math.max(...ws) - Math.min(...ws);
  const widths = new Array<number>(depth).fill(0);
  const visit = (layer: number) => {
    if (layer === depth) {
      const err = Math.abs(countFor(widths) - target);
      if (err < bestErr || (err === bestErr && spread(widths) < spread(bestHidden))) {
        bestErr = err;
        bestHidden = [...widths];
      }
      return;
    }
    for (let w = Math.max(1, best - radius); w <= best + radius; w++) {
      widths[layer] = w;
      visit(layer + 1);
    }
  };
  visit(0);
  return bestHidden;
}
