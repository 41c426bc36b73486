/**
 * g(a, b) from its weights alone, in plain TypeScript: what the Experiments page draws for every
 * run of a summary file (a few thousand grid points through a 2-64-64-1 MLP: milliseconds), with
 * no tfjs and no worker. Weights come in the network's order: W0 [in, h1] row-major, b0, W1, ...
 */
import type { GridSpec } from '../grid';
import { gridPoints } from '../grid';

const ACTIVATIONS: Record<string, (x: number) => number> = {
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
};

/** Checks that the weights fit a 2 -> hidden... -> 1 network; returns a reason when they do not. */
export function gWeightsProblem(hidden: readonly number[], weights: readonly (readonly number[])[]): string | null {
  const sizes = [2, ...hidden, 1];
  if (weights.length !== 2 * (sizes.length - 1))
    return `expected ${2 * (sizes.length - 1)} weight arrays for g 2-${hidden.join('-')}-1, got ${weights.length}`;
  for (let k = 0; k + 1 < sizes.length; k++) {
    if (weights[2 * k].length !== sizes[k] * sizes[k + 1]) return `weight ${2 * k} should hold ${sizes[k] * sizes[k + 1]} values`;
    if (weights[2 * k + 1].length !== sizes[k + 1]) return `bias ${2 * k + 1} should hold ${sizes[k + 1]} values`;
  }
  return null;
}

/** g on every point of the grid (row-major, b outer, a inner), like evaluateInnerOnGrid. */
export function gOnGridFromWeights(
  hidden: readonly number[],
  activation: string,
  weights: readonly (readonly number[])[],
  grid: GridSpec,
): Float32Array {
  const problem = gWeightsProblem(hidden, weights);
  if (problem) throw new Error(problem);
  const act = ACTIVATIONS[activation];
  if (!act) throw new Error(`unknown activation ${activation}`);
  const sizes = [2, ...hidden, 1];
  const points = gridPoints(grid);
  const n = grid.size * grid.size;
  const out = new Float32Array(n);
  let h = new Float64Array(Math.max(...sizes));
  let next = new Float64Array(h.length);
  for (let p = 0; p < n; p++) {
    h[0] = points[2 * p];
    h[1] = points[2 * p + 1];
    for (let k = 0; k + 1 < sizes.length; k++) {
      const [fanIn, fanOut] = [sizes[k], sizes[k + 1]];
      const W = weights[2 * k];
      const b = weights[2 * k + 1];
      for (let j = 0; j < fanOut; j++) {
        let s = b[j];
        for (let i = 0; i < fanIn; i++) s += h[i] * W[i * fanOut + j];
        next[j] = k + 2 < sizes.length ? act(s) : s;
      }
      [h, next] = [next, h];
    }
    out[p] = h[0];
  }
  return out;
}
