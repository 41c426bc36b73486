/**
 * Finite-difference checks of the fused engine's hand-derived backward pass: on the float64
 * TypeScript kernel, central differences of the loss agree with the analytic gradient of every
 * parameter, for every part (two-argument / one-argument g of each depth and activation, fixed
 * activations, LayerNorm, dropout masks, the three heads, L2, Session I's g-only objective);
 * and the float32 WebAssembly kernel's gradients match the float64 ones.
 */
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/core/config';
import { FusedNet } from '../../src/core/fused/fusedNet';
import type { FusedKernel } from '../../src/core/fused/kernel';
import { Rng } from '../../src/core/rng';
import { tsKernel } from '../../src/core/fused/tsKernel';
import { wasmKernels } from './fusedHelpers';

const ROWS = 5;

function config(overrides: Partial<ModelConfig>): ModelConfig {
  return {
    kind: 'twoArg',
    inputSize: 3,
    hidden: [3, 2],
    outputSize: 1,
    head: 'regression',
    layerNorm: false,
    inner: { hidden: [5, 4], activation: 'tanh' },
    innerShared: true,
    dropout: 0,
    ...overrides,
  };
}

/** A network with a fixed batch (and dropout masks when asked) loaded into its kernel. */
function setup(c: ModelConfig, kernel: FusedKernel, seed: number, masks: boolean): FusedNet {
  const net = new FusedNet(c, kernel, ROWS, seed);
  const rng = new Rng(seed + 100);
  const F = kernel.floats();
  const { layout } = net;
  for (let i = 0; i < ROWS * c.inputSize; i++) F[(layout.x >> 2) + i] = rng.uniform(-1, 1);
  for (let r = 0; r < ROWS; r++) {
    F[(layout.y >> 2) + r] = c.head === 'binary' ? rng.int(2) : c.head === 'multiclass' ? rng.int(c.outputSize) : rng.uniform(-1, 1);
  }
  if (masks)
    for (const plan of layout.layers) for (let i = 0; i < ROWS * plan.units; i++) F[(plan.mask >> 2) + i] = rng.next() < 0.7 ? 1 / 0.7 : 0;
  return net;
}

function gradients(net: FusedNet, masks: boolean, l2: number, learnInner = true): { loss: number; grads: Float64Array } {
  const { layout, kernel } = net;
  const count = learnInner ? layout.paramCount : layout.outerParamCount;
  const loss = kernel.lossGrad(ROWS, masks ? 1 : 0, learnInner ? 1 : 0, l2, count);
  const g = layout.grads >> 2;
  return { loss, grads: Float64Array.from(kernel.floats().subarray(g, g + layout.paramCount)) };
}

/** Worst |analytic - numeric| / max(1e-6, max |analytic|) over every parameter. */
function worstFiniteDifferenceError(net: FusedNet, masks: boolean, l2: number, learnInner = true): number {
  const { grads } = gradients(net, masks, l2, learnInner);
  const F = net.kernel.floats();
  const p = net.layout.params >> 2;
  const count = learnInner ? net.layout.paramCount : net.layout.outerParamCount;
  const scale = Math.max(1e-6, ...Array.from(grads.subarray(0, count), Math.abs));
  const eps = 1e-6;
  let worst = 0;
  for (let i = 0; i < count; i++) {
    const keep = F[p + i];
    F[p + i] = keep + eps;
    const up = gradients(net, masks, l2, learnInner).loss;
    F[p + i] = keep - eps;
    const down = gradients(net, masks, l2, learnInner).loss;
    F[p + i] = keep;
    worst = Math.max(worst, Math.abs((up - down) / (2 * eps) - grads[i]) / scale);
  }
  return worst;
}

const PARTS: [string, Partial<ModelConfig>, boolean, number][] = [
  ['two-argument units, shared g 5-4 (tanh)', {}, false, 0],
  ['two-argument units with LayerNorm, dropout and L2', { layerNorm: true }, true, 0.05],
  ['one g per layer, sigmoid, depth 1', { innerShared: false, inner: { hidden: [6], activation: 'sigmoid' } }, false, 0],
  ['g of depth 3 with elu', { inner: { hidden: [4, 5, 3], activation: 'elu' } }, false, 0.01],
  ['g with relu, widths not multiples of 4', { inner: { hidden: [7, 6], activation: 'relu' } }, false, 0],
  ['one-argument learned activation, LayerNorm', { kind: 'oneArg', layerNorm: true }, true, 0],
  ['fixed tanh, binary head', { kind: 'tanh', head: 'binary' }, false, 0.02],
  ['fixed sigmoid, multi-class head', { kind: 'sigmoid', head: 'multiclass', outputSize: 4 }, true, 0],
  ['fixed relu with LayerNorm, multi-class head', { kind: 'relu', layerNorm: true, head: 'multiclass', outputSize: 3 }, false, 0],
  ['linear units', { kind: 'linear', hidden: [5] }, false, 0],
  ['no hidden layer (logistic regression)', { kind: 'twoArg', hidden: [], head: 'binary' }, false, 0.1],
  ['two-argument units, multi-class head, wide layers', { hidden: [9], head: 'multiclass', outputSize: 5, inputSize: 6 }, false, 0],
];

describe('fused gradients against central differences (float64 kernel)', () => {
  it.each(PARTS)('%s', (_, overrides, masks, l2) => {
    const net = setup(config(overrides), tsKernel(64), 3, masks);
    expect(worstFiniteDifferenceError(net, masks, l2)).toBeLessThan(1e-6);
  });

  it('Session III objective: only the outer weights, g frozen (no L2 on g)', () => {
    const net = setup(config({ layerNorm: true }), tsKernel(64), 4, false);
    expect(worstFiniteDifferenceError(net, false, 0.05, false)).toBeLessThan(1e-6);
  });

  it("Session I objective: g's MSE on its own inputs", () => {
    const net = new FusedNet(config({ inner: { hidden: [6, 5], activation: 'tanh' } }), tsKernel(64), 8, 5);
    const { layout, kernel } = net;
    const F = kernel.floats();
    const rng = new Rng(9);
    for (let i = 0; i < 16; i++) F[(layout.gIn >> 2) + i] = rng.uniform(-3, 3);
    for (let i = 0; i < 8; i++) F[(layout.gOut >> 2) + i] = rng.uniform(-1, 1);
    const start = layout.outerParamCount;
    const count = layout.paramCount - start;
    const loss = () => kernel.gLossGrad(0, layout.gIn, layout.gOut, 8, start, count);
    loss();
    const analytic = Float64Array.from(F.subarray((layout.grads >> 2) + start, (layout.grads >> 2) + start + count));
    const scale = Math.max(...Array.from(analytic, Math.abs));
    const p = (layout.params >> 2) + start;
    for (let i = 0; i < count; i++) {
      const keep = F[p + i];
      F[p + i] = keep + 1e-6;
      const up = loss();
      F[p + i] = keep - 1e-6;
      const down = loss();
      F[p + i] = keep;
      expect(Math.abs((up - down) / 2e-6 - analytic[i]) / scale).toBeLessThan(1e-6);
    }
  });
});

describe('the float32 WebAssembly kernel against the float64 one', () => {
  it.each(PARTS)('%s: same loss and gradients', async (_, overrides, masks, l2) => {
    const c = config(overrides);
    const ref = gradients(setup(c, tsKernel(64), 3, masks), masks, l2);
    const wasm = gradients(setup(c, await (await wasmKernels())(), 3, masks), masks, l2);
    const scale = Math.max(...Array.from(ref.grads, Math.abs));
    let worst = 0;
    ref.grads.forEach((g, i) => (worst = Math.max(worst, Math.abs(g - wasm.grads[i]))));
    expect(worst / scale).toBeLessThan(1e-5);
    expect(Math.abs(wasm.loss - ref.loss) / Math.max(1, Math.abs(ref.loss))).toBeLessThan(1e-5);
  });
});
