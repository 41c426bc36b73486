/**
 * Finite-difference gradient checks of the two-argument layer, of g and of LayerNorm: the
 * analytic gradients tfjs computes through our forward code agree with central differences.
 * tanh inside g keeps the function smooth so differences are meaningful in float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/core/config';
import { layerNorm } from '../../src/core/model/activations';
import { InnerNet } from '../../src/core/model/innerNet';
import { Network } from '../../src/core/model/network';
import { Rng } from '../../src/core/rng';
import { read, useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

/**
 * Compares d f / d v (analytic, via tf.grad) with central differences at `probes` random
 * coordinates of v. Returns the worst relative error.
 */
async function worstGradientError(f: () => tf.Scalar, v: tf.Variable, probes = 12, eps = 1e-2): Promise<number> {
  const analytic = await read(tf.tidy(() => tf.variableGrads(f, [v]).grads[v.name]));
  const base = await read(tf.clone(v));
  const rng = new Rng(7);
  let worst = 0;
  for (let p = 0; p < probes; p++) {
    const i = rng.int(base.length);
    const at = async (delta: number) => {
      const shifted = base.slice();
      shifted[i] += delta;
      tf.tidy(() => v.assign(tf.tensor(shifted, v.shape)));
      return (await read(tf.tidy(f)))[0];
    };
    const numeric = ((await at(eps)) - (await at(-eps))) / (2 * eps);
    const err = Math.abs(numeric - analytic[i]) / Math.max(1e-2, Math.abs(numeric) + Math.abs(analytic[i]));
    worst = Math.max(worst, err);
  }
  tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
  return worst;
}

function smoothTwoArg(layerNormOn: boolean): ModelConfig {
  return {
    kind: 'twoArg',
    inputSize: 3,
    hidden: [4, 3],
    outputSize: 1,
    head: 'regression',
    layerNorm: layerNormOn,
    inner: { hidden: [6, 5], activation: 'tanh' },
    innerShared: true,
    dropout: 0,
  };
}

describe('gradient checks', () => {
  it('two-argument layers: outer weights and the shared g', async () => {
    const net = new Network(smoothTwoArg(false), 3);
    const rng = new Rng(11);
    const x = tf.tensor2d(rng.uniformArray(5 * 3, -1, 1), [5, 3]);
    const w = tf.tensor2d(rng.uniformArray(5, -1, 1), [5, 1]);
    const f = () => tf.sum<tf.Scalar>(tf.mul(net.forward(x).logits, w));
    for (const v of net.variables()) {
      expect(await worstGradientError(f, v)).toBeLessThan(2e-2);
    }
    net.dispose();
    x.dispose();
    w.dispose();
  });

  it('g on its own, one and two inputs', async () => {
    for (const inputs of [1, 2] as const) {
      const g = new InnerNet({ hidden: [8, 8], activation: 'tanh' }, inputs, new Rng(5));
      const x = tf.tensor2d(new Rng(6).uniformArray(7 * inputs, -2, 2), [7, inputs]);
      const f = () => tf.sum<tf.Scalar>(tf.square(g.apply(x)));
      for (const v of g.variables) expect(await worstGradientError(f, v)).toBeLessThan(2e-2);
      g.dispose();
      x.dispose();
    }
  });

  it('LayerNorm, alone and inside a two-argument network', async () => {
    const rng = new Rng(21);
    const v = tf.variable(tf.tensor2d(rng.uniformArray(4 * 6, -2, 2), [4, 6]));
    const w = tf.tensor2d(rng.uniformArray(4 * 6, -1, 1), [4, 6]);
    const f = () => tf.sum<tf.Scalar>(tf.mul(layerNorm(v as tf.Tensor2D), w));
    expect(await worstGradientError(f, v, 20)).toBeLessThan(2e-2);

    const net = new Network(smoothTwoArg(true), 4);
    const x = tf.tensor2d(rng.uniformArray(5 * 3, -1, 1), [5, 3]);
    const g = () => tf.sum<tf.Scalar>(tf.square(net.forward(x).logits));
    for (const variable of net.outerVariables()) expect(await worstGradientError(g, variable)).toBeLessThan(2e-2);
    // LayerNorm output has zero mean and unit variance per example.
    const normed = await read(layerNorm(w));
    for (let r = 0; r < 4; r++) {
      const row = Array.from(normed.slice(r * 6, r * 6 + 6));
      const mean = row.reduce((a, b) => a + b, 0) / 6;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 6;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(variance).toBeCloseTo(1, 3);
    }
    net.dispose();
    v.dispose();
    w.dispose();
    x.dispose();
  });
});
