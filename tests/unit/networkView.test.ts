/**
 * The network view's read-out (core/networkView.ts) against the tfjs Network it describes:
 * every unit's arguments equal collectArguments', and the last layer's outputs through the
 * output weights give the network's logits. Plus the layout of links and the size limits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/core/config';
import { gridPoints } from '../../src/core/grid';
import { collectArguments } from '../../src/core/inspect';
import { Network } from '../../src/core/model/network';
import { MAX_DRAWN_UNITS, macsPerPoint, networkView, viewResolution, viewWeightsProblem } from '../../src/core/networkView';
import { Rng } from '../../src/core/rng';
import { read, useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

function config(patch: Partial<ModelConfig> = {}): ModelConfig {
  return {
    kind: 'twoArg',
    inputSize: 2,
    hidden: [5, 3],
    outputSize: 1,
    head: 'binary',
    layerNorm: true,
    inner: { hidden: [6, 5], activation: 'tanh' },
    innerShared: true,
    dropout: 0,
    ...patch,
  };
}

const PLANE = { min: -1.5, max: 1.5 };

/** Checks the view against tfjs on its grid and examples; returns the largest error. */
async function worstError(c: ModelConfig, seed: number): Promise<number> {
  const net = new Network(c, seed);
  const examples = new Rng(seed + 100).uniformArray(2 * 40, -1.5, 1.5);
  const weights = await net.exportWeights();
  const view = networkView(c, weights, examples, PLANE)!;
  expect(view).not.toBeNull();
  const cells = view.grid.size ** 2;
  const all = new Float32Array([...gridPoints(view.grid), ...examples]);
  const args = await collectArguments(net, all);
  const n = cells + view.examples;
  let worst = 0;
  view.layers.forEach((layer, l) => {
    const units = c.hidden[l];
    expect(layer.drawn).toBe(units);
    for (let i = 0; i < units; i++)
      for (let k = 0; k < view.perUnit; k++) {
        for (let p = 0; p < cells; p++)
          worst = Math.max(
            worst,
            Math.abs(layer.argPlanes[(i * view.perUnit + k) * cells + p] - args[l][(p * units + i) * view.perUnit + k]),
          );
        for (let e = 0; e < view.examples; e++)
          worst = Math.max(
            worst,
            Math.abs(layer.dataArgs[(i * view.examples + e) * view.perUnit + k] - args[l][((cells + e) * units + i) * view.perUnit + k]),
          );
      }
  });
  // The last layer's outputs, through the output layer, are the network's logits.
  const logits = await read(tf.tidy(() => net.forward(tf.tensor2d(all, [n, 2])).logits));
  const last = view.layers[view.layers.length - 1];
  const units = c.hidden[c.hidden.length - 1];
  const bias = weights[2 * c.hidden.length + 1][0];
  for (let p = 0; p < cells; p++) {
    let s = bias;
    for (let i = 0; i < units; i++) s += last.outputs[i * cells + p] * view.outputWeights[i];
    worst = Math.max(worst, Math.abs(s - logits[p]));
  }
  net.dispose();
  return worst;
}

describe('networkView', () => {
  it('matches tfjs for two-argument units, with and without LayerNorm, one g or one per layer', async () => {
    expect(await worstError(config(), 1)).toBeLessThan(1e-4);
    expect(await worstError(config({ layerNorm: false }), 2)).toBeLessThan(1e-4);
    expect(await worstError(config({ innerShared: false, inner: { hidden: [4], activation: 'relu' } }), 3)).toBeLessThan(1e-4);
  });

  it('matches tfjs for one-argument g and for fixed activations', async () => {
    expect(await worstError(config({ kind: 'oneArg' }), 4)).toBeLessThan(1e-4);
    expect(await worstError(config({ kind: 'relu' }), 5)).toBeLessThan(1e-4);
    expect(await worstError(config({ kind: 'tanh', layerNorm: false }), 6)).toBeLessThan(1e-4);
  });

  it('lays out the link weights [from][unit][argument] from the layer matrix', async () => {
    const c = config();
    const net = new Network(c, 7);
    const weights = await net.exportWeights();
    const view = networkView(c, weights, new Float32Array(0), PLANE)!;
    const W0 = weights[0]; // [2, 5 * 2]
    expect(view.layers[0].weights[(1 * 5 + 3) * 2 + 1]).toBe(W0[1 * 10 + 3 * 2 + 1]);
    const W1 = weights[2]; // [5, 3 * 2]
    expect(view.layers[1].weights[(4 * 3 + 2) * 2 + 0]).toBe(W1[4 * 6 + 2 * 2]);
    expect(Array.from(view.outputWeights)).toEqual(Array.from(weights[4]));
    expect(view.examples).toBe(0);
    net.dispose();
  });

  it('draws at most MAX_DRAWN_UNITS per layer and links only drawn units', async () => {
    const c = config({ hidden: [20, 14], inner: { hidden: [4], activation: 'relu' } });
    const net = new Network(c, 8);
    const view = networkView(c, await net.exportWeights(), new Float32Array(10), PLANE)!;
    expect(view.layers.map((l) => [l.units, l.drawn])).toEqual([
      [20, MAX_DRAWN_UNITS],
      [14, MAX_DRAWN_UNITS],
    ]);
    expect(view.layers[1].weights.length).toBe(MAX_DRAWN_UNITS * MAX_DRAWN_UNITS * 2);
    expect(view.outputWeights.length).toBe(MAX_DRAWN_UNITS);
    expect(view.examples).toBe(5);
    net.dispose();
  });

  it('shows no hidden layer as inputs wired to the output', async () => {
    const c = config({ hidden: [] });
    const net = new Network(c, 9);
    const view = networkView(c, await net.exportWeights(), new Float32Array(4), PLANE)!;
    expect(view.layers).toEqual([]);
    expect(view.outputWeights.length).toBe(2);
    net.dispose();
  });

  it('refuses images, weights that do not fit, and networks over the budget; coarsens before refusing', () => {
    expect(networkView(config({ inputSize: 3 }), [], new Float32Array(0), PLANE)).toBeNull();
    expect(viewWeightsProblem(config(), [new Float32Array(3)])).toMatch(/expected \d+ weight arrays/);
    expect(networkView(config(), [new Float32Array(3)], new Float32Array(0), PLANE)).toBeNull();
    // The default preset (8, 8; g 16-16) gets the finest pictures.
    const preset = config({ hidden: [8, 8], inner: { hidden: [16, 16], activation: 'relu' } });
    expect(viewResolution(preset)).toEqual({ size: 17, examples: 256 });
    // The paper's g (64-64) costs about 4,200 multiply-adds a unit: coarser pictures.
    const paperG = config({ hidden: [8, 8], inner: { hidden: [64, 64], activation: 'relu' } });
    expect(viewResolution(paperG)!.size).toBeLessThan(17);
    const huge = config({ hidden: [64, 64, 64, 64, 64, 64], inner: { hidden: [64, 64], activation: 'relu' } });
    expect(viewResolution(huge)).toBeNull();
    expect(macsPerPoint(config({ kind: 'relu', hidden: [3] }))).toBe(2 * 3 + 3);
  });
});
