/**
 * What the network view draws (TF Playground's diagram, for units with two arguments): every
 * hidden unit's output over the 2D input plane, the arguments (a, b) it computes there and for
 * the first training examples, and the weights of the links between the drawn units. Computed
 * in plain TypeScript from the exported weights, so both engines (tfjs and fused) give the same
 * read-out; pure, no tensors. Weights come in the tfjs Network's order: per hidden layer W
 * [fanIn, units * perUnit] row-major (unit i's arguments in columns perUnit*i...), b; the output
 * layer's W, b; then g's copies (W0, b0, W1, b1, ...), one copy or one per layer.
 */
import { hasInnerNet, type ModelConfig, type ModelKind } from './config';
import { gridPoints, type GridSpec } from './grid';
import { argumentsPerUnit } from './model/paramCount';

/** Units drawn per layer (the first ones); TF Playground draws at most 8. */
export const MAX_DRAWN_UNITS = 12;
/** Examples whose arguments are marked on g (the first ones of the training set, as the density's). */
export const VIEW_EXAMPLES = 256;
/**
 * Multiply-adds one read-out may cost: at most about 20 ms of the worker, paid only at full
 * snapshots (whose cost the pacing already counts). The default preset costs 2.8 M (about
 * 30 ms measured on a 2-core machine at load 12, so a few ms when quiet). A larger network gets
 * coarser pictures and fewer examples, then none (see viewResolution).
 */
export const VIEW_BUDGET_MACS = 20e6;
/** Picture sizes and example counts tried in turn until the read-out fits the budget. */
const RESOLUTIONS: readonly { size: number; examples: number }[] = [
  { size: 17, examples: 256 },
  { size: 13, examples: 128 },
  { size: 9, examples: 64 },
];

export interface NetworkViewLayer {
  /** Units in the layer, and how many of them (the first ones) the view draws. */
  units: number;
  drawn: number;
  /** Weights into the drawn units from the previous layer's drawn units (or the inputs): [from][unit][argument]. */
  weights: Float32Array;
  /** Each drawn unit's output over the plane: [unit][cell], cells row-major (y outer, x inner). */
  outputs: Float32Array;
  /** Each drawn unit's arguments over the plane: [unit][argument][cell] (a, then b). */
  argPlanes: Float32Array;
  /** Each drawn unit's arguments for the first examples: [unit][example][argument]. */
  dataArgs: Float32Array;
}

export interface NetworkView {
  kind: ModelKind;
  /** Arguments per unit: 2 for two-argument units (a, b), 1 otherwise. */
  perUnit: 1 | 2;
  /** The input plane the pictures are drawn on. */
  grid: GridSpec;
  /** Examples in dataArgs (the first training examples). */
  examples: number;
  layers: NetworkViewLayer[];
  /** Output units, and the weights into them from the last layer's drawn units (or the inputs): [from][output]. */
  outputs: number;
  outputWeights: Float32Array;
}

/** Activations by code, so g's hot loop calls no function for the common ReLU. */
const ACT_CODES: Record<string, number> = { relu: 0, tanh: 1, sigmoid: 2, elu: 3, linear: 4 };

function activate(code: number, x: number): number {
  switch (code) {
    case 0:
      return x > 0 ? x : 0;
    case 1:
      return Math.tanh(x);
    case 2:
      return 1 / (1 + Math.exp(-x));
    case 3:
      return x > 0 ? x : Math.expm1(x);
    default:
      return x;
  }
}

/** g (an MLP perUnit -> hidden... -> 1) from its weights, evaluated one point at a time. */
class PlainInner {
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly W: Float64Array[];
  private readonly bias: Float64Array[];

  constructor(
    private readonly sizes: readonly number[],
    weights: readonly Float32Array[],
    private readonly act: number,
  ) {
    const widest = Math.max(...sizes);
    this.a = new Float64Array(widest);
    this.b = new Float64Array(widest);
    this.W = sizes.slice(1).map((_, k) => Float64Array.from(weights[2 * k]));
    this.bias = sizes.slice(1).map((_, k) => Float64Array.from(weights[2 * k + 1]));
  }

  apply(x0: number, x1: number): number {
    let h = this.a;
    let next = this.b;
    h[0] = x0;
    h[1] = x1;
    const last = this.sizes.length - 2;
    for (let k = 0; k <= last; k++) {
      const fanIn = this.sizes[k];
      const fanOut = this.sizes[k + 1];
      const W = this.W[k];
      const bias = this.bias[k];
      for (let j = 0; j < fanOut; j++) next[j] = bias[j];
      // Row by row: W is [fanIn, fanOut] row-major, so the inner loop runs along memory.
      for (let i = 0; i < fanIn; i++) {
        const hi = h[i];
        if (hi === 0) continue; // ReLU zeros are common; they add nothing
        const row = i * fanOut;
        for (let j = 0; j < fanOut; j++) next[j] += hi * W[row + j];
      }
      if (k < last) for (let j = 0; j < fanOut; j++) next[j] = activate(this.act, next[j]);
      const t = h;
      h = next;
      next = t;
    }
    return h[0];
  }
}

/** Multiply-adds of one point through the network (outer layers and every unit's g). */
export function macsPerPoint(config: ModelConfig): number {
  const perUnit = argumentsPerUnit(config.kind);
  const inner = hasInnerNet(config.kind) ? [perUnit, ...config.inner.hidden, 1] : [];
  let gMacs = 0;
  for (let k = 0; k + 1 < inner.length; k++) gMacs += inner[k] * inner[k + 1];
  let total = 0;
  let prev = config.inputSize;
  for (const units of config.hidden) {
    total += prev * units * perUnit + units * gMacs;
    prev = units;
  }
  return total + prev * config.outputSize;
}

/** The finest picture size and example count within the budget, or null when even the coarsest is over. */
export function viewResolution(config: ModelConfig, budget = VIEW_BUDGET_MACS): { size: number; examples: number } | null {
  const perPoint = macsPerPoint(config);
  return RESOLUTIONS.find((r) => (r.size * r.size + r.examples) * perPoint <= budget) ?? null;
}

/** Why the weights do not fit the configuration, or null when they do. */
export function viewWeightsProblem(config: ModelConfig, weights: readonly Float32Array[]): string | null {
  const perUnit = argumentsPerUnit(config.kind);
  const expected: number[] = [];
  let prev = config.inputSize;
  for (const units of config.hidden) {
    expected.push(prev * units * perUnit, units * perUnit);
    prev = units;
  }
  expected.push(prev * config.outputSize, config.outputSize);
  if (hasInnerNet(config.kind) && config.hidden.length > 0) {
    const sizes = [perUnit, ...config.inner.hidden, 1];
    const copies = config.innerShared ? 1 : config.hidden.length;
    for (let c = 0; c < copies; c++) for (let k = 0; k + 1 < sizes.length; k++) expected.push(sizes[k] * sizes[k + 1], sizes[k + 1]);
  }
  if (weights.length !== expected.length) return `expected ${expected.length} weight arrays, got ${weights.length}`;
  const bad = expected.findIndex((n, i) => weights[i].length !== n);
  return bad < 0 ? null : `weight ${bad}: expected ${expected[bad]} values, got ${weights[bad].length}`;
}

/**
 * The network view of a 2D model, or null for other inputs, for a network too large to draw
 * within the budget, or for weights that do not fit the configuration. `examples`: interleaved
 * (x, y) training points (the first VIEW_EXAMPLES or fewer are used); `plane`: the range drawn.
 */
export function networkView(
  config: ModelConfig,
  weights: readonly Float32Array[],
  examples: Float32Array,
  plane: { min: number; max: number },
): NetworkView | null {
  if (config.inputSize !== 2 || viewWeightsProblem(config, weights)) return null;
  const resolution = viewResolution(config);
  if (!resolution) return null;
  const perUnit = argumentsPerUnit(config.kind) as 1 | 2;
  const grid: GridSpec = { min: plane.min, max: plane.max, size: resolution.size };
  const cells = grid.size * grid.size;
  const nExamples = Math.min(resolution.examples, Math.floor(examples.length / 2));
  const points = new Float32Array(2 * (cells + nExamples));
  points.set(gridPoints(grid));
  points.set(examples.subarray(0, 2 * nExamples), 2 * cells);

  const hidden = config.hidden;
  const inner = hasInnerNet(config.kind) && hidden.length > 0 ? innerNets(config, weights, perUnit) : [];
  const fixed = hasInnerNet(config.kind) ? -1 : ACT_CODES[config.kind];

  const layers: NetworkViewLayer[] = [];
  let prevDrawn = 2;
  for (let l = 0; l < hidden.length; l++) {
    const units = hidden[l];
    const drawn = Math.min(units, MAX_DRAWN_UNITS);
    const W = weights[2 * l];
    const cols = units * perUnit;
    const linkWeights = new Float32Array(prevDrawn * drawn * perUnit);
    for (let j = 0; j < prevDrawn; j++)
      for (let i = 0; i < drawn; i++)
        for (let k = 0; k < perUnit; k++) linkWeights[(j * drawn + i) * perUnit + k] = W[j * cols + i * perUnit + k];
    layers.push({
      units,
      drawn,
      weights: linkWeights,
      outputs: new Float32Array(drawn * cells),
      argPlanes: new Float32Array(drawn * perUnit * cells),
      dataArgs: new Float32Array(drawn * nExamples * perUnit),
    });
    prevDrawn = drawn;
  }
  const outputSize = config.outputSize;
  const Wout = weights[2 * hidden.length];
  const outputWeights = new Float32Array(prevDrawn * outputSize);
  for (let j = 0; j < prevDrawn; j++) for (let o = 0; o < outputSize; o++) outputWeights[j * outputSize + o] = Wout[j * outputSize + o];

  const widest = Math.max(2, ...hidden.map((u) => u * perUnit));
  let h = new Float64Array(widest);
  let out = new Float64Array(widest);
  const z = new Float64Array(widest);
  const nPoints = cells + nExamples;
  for (let p = 0; p < nPoints; p++) {
    h[0] = points[2 * p];
    h[1] = points[2 * p + 1];
    let fanIn = 2;
    for (let l = 0; l < hidden.length; l++) {
      const units = hidden[l];
      const cols = units * perUnit;
      const W = weights[2 * l];
      const b = weights[2 * l + 1];
      for (let c = 0; c < cols; c++) {
        let s = b[c];
        for (let i = 0; i < fanIn; i++) s += h[i] * W[i * cols + c];
        z[c] = s;
      }
      if (config.layerNorm) layerNorm(z, cols);
      const g = inner.length > 0 ? inner[config.innerShared ? 0 : l] : null;
      const view = layers[l];
      for (let i = 0; i < units; i++) {
        const a0 = z[perUnit * i];
        const a1 = perUnit === 2 ? z[perUnit * i + 1] : 0;
        const value = g ? g.apply(a0, a1) : activate(fixed, a0);
        out[i] = value;
        if (i >= view.drawn) continue;
        if (p < cells) {
          view.outputs[i * cells + p] = value;
          view.argPlanes[i * perUnit * cells + p] = a0;
          if (perUnit === 2) view.argPlanes[(i * perUnit + 1) * cells + p] = a1;
        } else {
          const e = p - cells;
          view.dataArgs[(i * nExamples + e) * perUnit] = a0;
          if (perUnit === 2) view.dataArgs[(i * nExamples + e) * perUnit + 1] = a1;
        }
      }
      [h, out] = [out, h];
      fanIn = units;
    }
  }
  return { kind: config.kind, perUnit, grid, examples: nExamples, layers, outputs: outputSize, outputWeights };
}

/** LayerNorm without scale or shift over the first n values, in place (eps as the model's). */
function layerNorm(z: Float64Array, n: number, eps = 1e-5): void {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += z[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (z[i] - mean) ** 2;
  const scale = 1 / Math.sqrt(variance / n + eps);
  for (let i = 0; i < n; i++) z[i] = (z[i] - mean) * scale;
}

function innerNets(config: ModelConfig, weights: readonly Float32Array[], perUnit: number): PlainInner[] {
  const sizes = [perUnit, ...config.inner.hidden, 1];
  const perCopy = 2 * (sizes.length - 1);
  const start = 2 * (config.hidden.length + 1);
  const copies = config.innerShared ? 1 : config.hidden.length;
  const act = ACT_CODES[config.inner.activation];
  return Array.from(
    { length: copies },
    (_, c) => new PlainInner(sizes, weights.slice(start + c * perCopy, start + (c + 1) * perCopy), act),
  );
}

/** The typed arrays of a view, for a transfer list. */
export function networkViewArrays(v: NetworkView): Float32Array[] {
  return [v.outputWeights, ...v.layers.flatMap((l) => [l.weights, l.outputs, l.argPlanes, l.dataArgs])];
}
