/**
 * Robustness tests against an oracle: on a linear binary classifier z = w.x + b the worst-case
 * L-infinity change of the logit is exactly eps * ||w||_1 (move every input by eps against
 * sign(w)). FGSM must equal it, PGD must reach it; noise of size 0 changes nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/core/config';
import { Network } from '../../src/core/model/network';
import { Rng } from '../../src/core/rng';
import { AttackCancelled, perturbChunk, robustnessCurve } from '../../src/core/robustness/attacks';
import { tfjsAttackTarget } from '../../src/core/robustness/tfjsTarget';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

const linear: ModelConfig = {
  kind: 'linear',
  inputSize: 4,
  hidden: [],
  outputSize: 1,
  head: 'binary',
  layerNorm: false,
  inner: { hidden: [4], activation: 'relu' },
  innerShared: true,
  dropout: 0,
};

async function weightsOf(net: Network): Promise<{ w: Float32Array; b: number }> {
  const [w, b] = await net.exportWeights();
  return { w, b: b[0] };
}

function logits(x: Float32Array, w: Float32Array, b: number, d: number): number[] {
  const out: number[] = [];
  for (let e = 0; e < x.length / d; e++) {
    let z = b;
    for (let j = 0; j < d; j++) z += w[j] * x[e * d + j];
    out.push(z);
  }
  return out;
}

describe('attacks on a linear classifier', () => {
  const batch = 8;
  const eps = 0.1;

  it('FGSM changes each logit by exactly eps * ||w||_1 against the label; PGD reaches the same', async () => {
    const net = new Network(linear, 3);
    const { w, b } = await weightsOf(net);
    const l1 = w.reduce((s, v) => s + Math.abs(v), 0);
    const rng = new Rng(1);
    const x = rng.uniformArray(batch * 4, -1, 1);
    const clean = logits(x, w, b, 4);
    // Half the labels 1, half 0, so the attack is checked in both directions.
    const y = Float32Array.from({ length: batch }, (_, i) => i % 2);
    const target = tfjsAttackTarget(net, 'binary', batch);
    for (const kind of ['fgsm', 'pgd'] as const) {
      const { x: adv } = await perturbChunk(target, kind, x, y, eps, new Rng(2), { steps: 12 });
      const attacked = logits(adv, w, b, 4);
      for (let e = 0; e < batch; e++) {
        // Label 1: the attack lowers z; label 0: it raises z.
        const expected = clean[e] + (y[e] === 1 ? -1 : 1) * eps * l1;
        expect(attacked[e]).toBeCloseTo(expected, 4);
      }
      for (let i = 0; i < x.length; i++) expect(Math.abs(adv[i] - x[i])).toBeLessThanOrEqual(eps + 1e-6);
    }
    net.dispose();
  });

  it('clips to the valid input range and reports accuracy per size; noise 0 equals clean accuracy', async () => {
    const net = new Network(linear, 4);
    const rng = new Rng(9);
    const n = 20; // not a multiple of the batch: the last chunk is padded
    const x = rng.uniformArray(n * 4, -1, 1);
    const { w, b } = await weightsOf(net);
    // Labels = the model's own predictions, so clean accuracy is exactly 1.
    const y = Float32Array.from(logits(x, w, b, 4), (z) => (z > 0 ? 1 : 0));
    const target = tfjsAttackTarget(net, 'binary', batch);
    const noise = await robustnessCurve(target, 'noise', [0, 0.5], x, y, { seed: 1 });
    expect(noise.diverged).toBe(false);
    if (!noise.diverged) {
      expect(noise.curve.accuracy[0]).toBe(1);
      expect(noise.curve.examples).toBe(n);
    }
    const sizes = [0, 0.05, 0.2, 1];
    const pgd = await robustnessCurve(target, 'pgd', sizes, x, y, { clip: [-1, 1], seed: 1 });
    const fgsm = await robustnessCurve(target, 'fgsm', sizes, x, y, { clip: [-1, 1], seed: 1 });
    if (pgd.diverged || fgsm.diverged) throw new Error('unexpected divergence');
    expect(pgd.curve.accuracy[0]).toBe(1);
    // Larger balls never help the model; PGD is at least as strong as FGSM on a linear model.
    for (let s = 1; s < sizes.length; s++) {
      expect(pgd.curve.accuracy[s]).toBeLessThanOrEqual(pgd.curve.accuracy[s - 1]);
      expect(pgd.curve.accuracy[s]).toBeLessThanOrEqual(fgsm.curve.accuracy[s]);
    }
    // Perturbed inputs never leave the valid range.
    const adv = await perturbChunk(target, 'fgsm', x.subarray(0, batch * 4), y.subarray(0, batch), 1, new Rng(0), { clip: [-1, 1] });
    for (const v of adv.x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    net.dispose();
  });

  it('noise of size 0, FGSM and PGD at eps 0 all equal the clean accuracy, also when it is below 1', async () => {
    const net = new Network(linear, 6);
    const rng = new Rng(12);
    const n = 29;
    const x = rng.uniformArray(n * 4, -1, 1);
    const { w, b } = await weightsOf(net);
    // Labels that disagree with the model on a known set of examples.
    const y = Float32Array.from(logits(x, w, b, 4), (z, i) => (z > 0 ? 1 : 0) ^ (i % 3 === 0 ? 1 : 0));
    const clean = logits(x, w, b, 4).filter((z, i) => (z > 0 ? 1 : 0) === y[i]).length / n;
    expect(clean).toBeGreaterThan(0.5);
    expect(clean).toBeLessThan(1);
    const target = tfjsAttackTarget(net, 'binary', batch);
    for (const kind of ['noise', 'fgsm', 'pgd'] as const) {
      const r = await robustnessCurve(target, kind, [0, 0.3], x, y, { seed: 2 });
      if (r.diverged) throw new Error('unexpected divergence');
      expect(r.curve.accuracy[0]).toBeCloseTo(clean, 12);
    }
    net.dispose();
  });

  it('reports a diverged model instead of NaN curves, and can be cancelled', async () => {
    const net = new Network(linear, 5);
    const [w, b] = await net.exportWeights();
    net.importWeights([w.map(() => NaN), b]);
    const x = new Rng(3).uniformArray(batch * 4, -1, 1);
    const y = new Float32Array(batch);
    const target = tfjsAttackTarget(net, 'binary', batch);
    const tensorsBefore = tf.memory().numTensors;
    const result = await robustnessCurve(target, 'fgsm', [0.1], x, y);
    expect(result.diverged).toBe(true);
    if (result.diverged) expect(result.reason).toContain('NaN');
    net.importWeights([w, b]);
    await expect(robustnessCurve(target, 'pgd', [0.1], x, y, { cancelled: () => true })).rejects.toBeInstanceOf(AttackCancelled);
    const seen: number[] = [];
    await robustnessCurve(target, 'noise', [0, 0.1, 0.2], x, y, { onProgress: (done, total) => seen.push(done / total) });
    expect(seen).toEqual([1 / 3, 2 / 3, 1]);
    await robustnessCurve(target, 'pgd', [0.1], x, y);
    // Every chunk's tensors were freed (tidy + dispose after data()).
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    net.dispose();
  });
});
