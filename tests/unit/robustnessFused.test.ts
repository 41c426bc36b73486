/**
 * The fused engine's attack target against the oracle, the tfjs target on the same weights:
 * the same right/wrong/non-finite per example and the same input gradient (random models of
 * every kind, head, LayerNorm and dropout setting, on both kernels); the linear-classifier
 * attack oracle (eps * ||w||_1); and an attack between training steps changes no later step.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEADS, INNER_ACTIVATIONS, MODEL_KINDS, type ModelConfig } from '../../src/core/config';
import { FusedNet } from '../../src/core/fused/fusedNet';
import { FusedRun } from '../../src/core/fused/fusedRun';
import type { KernelFactory } from '../../src/core/fused/kernel';
import { Network } from '../../src/core/model/network';
import { defaultParams } from '../../src/core/params';
import { Rng } from '../../src/core/rng';
import { perturbChunk, robustnessCurve } from '../../src/core/robustness/attacks';
import { fusedAttackTarget } from '../../src/core/robustness/fusedTarget';
import { tfjsAttackTarget } from '../../src/core/robustness/tfjsTarget';
import { datasetFromParams, specFromParams, trainingDataFrom2D } from '../../src/core/run';
import { ts32Kernels, wasmKernels } from './fusedHelpers';
import { useCpuBackend } from './tfSetup';

let wasm: KernelFactory;
beforeAll(async () => {
  await useCpuBackend();
  wasm = await wasmKernels();
});

const configArb = fc
  .record({
    kind: fc.constantFrom(...MODEL_KINDS),
    hidden: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 0, maxLength: 3 }),
    inner: fc.array(fc.integer({ min: 2, max: 8 }), { minLength: 1, maxLength: 3 }),
    activation: fc.constantFrom(...INNER_ACTIVATIONS),
    innerShared: fc.boolean(),
    layerNorm: fc.boolean(),
    head: fc.constantFrom(...HEADS),
    inputSize: fc.integer({ min: 1, max: 9 }),
    classes: fc.integer({ min: 2, max: 5 }),
    dropout: fc.constantFrom(0, 0.3),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    batch: fc.integer({ min: 1, max: 20 }),
  })
  .map((c) => {
    const perUnit = c.kind === 'twoArg' ? 2 : 1;
    const config: ModelConfig = {
      kind: c.kind,
      inputSize: c.inputSize,
      // LayerNorm over <= 2 pre-activations is ill-conditioned in float32 (see fused.test.ts).
      hidden: c.kind === 'linear' ? [] : c.layerNorm ? c.hidden.map((w) => (w * perUnit <= 2 ? 3 : w)) : c.hidden,
      outputSize: c.head === 'multiclass' ? c.classes : 1,
      head: c.head,
      layerNorm: c.layerNorm,
      inner: { hidden: c.inner, activation: c.activation },
      innerShared: c.innerShared,
      dropout: c.dropout,
    };
    return { config, seed: c.seed, batch: c.batch };
  });

function labels(config: ModelConfig, n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () =>
    config.head === 'multiclass' ? rng.int(config.outputSize) : config.head === 'binary' ? rng.int(2) : rng.uniform(-1, 1),
  );
}

describe('the fused attack target against the tfjs target on the same weights', () => {
  it.each([
    ['WebAssembly', () => wasm],
    ['TypeScript fallback', () => ts32Kernels],
  ] as const)(
    '%s: same correctness and the same input gradient (to 1e-4 of the largest entry), dropout ignored',
    async (_, kernels) => {
      await fc.assert(
        fc.asyncProperty(configArb, async ({ config, seed, batch }) => {
          const fused = new FusedNet(config, await kernels()(), batch, seed);
          const net = new Network({ ...config, dropout: 0 }, seed);
          try {
            net.importWeights(fused.exportWeights());
            const rng = new Rng(seed ^ 0x5eed);
            const x = rng.uniformArray(batch * config.inputSize, -1.5, 1.5);
            const y = labels(config, batch, rng);
            const a = fusedAttackTarget(fused, batch);
            const b = tfjsAttackTarget(net, config.head, batch);
            expect(Array.from(await a.correct(x, y))).toEqual(Array.from(await b.correct(x, y)));
            const ga = await a.inputGradient(x, y);
            const gb = await b.inputGradient(x, y);
            expect(ga).toHaveLength(batch * config.inputSize);
            let scale = 0;
            let diff = 0;
            for (let i = 0; i < ga.length; i++) {
              scale = Math.max(scale, Math.abs(gb[i]));
              diff = Math.max(diff, Math.abs(ga[i] - gb[i]));
            }
            expect(diff).toBeLessThanOrEqual(1e-4 * scale + 1e-7);
          } finally {
            net.dispose();
          }
        }),
        { numRuns: 30, seed: 20261203 },
      );
    },
    120_000,
  );

  it('on a linear classifier FGSM moves each logit by exactly eps * ||w||_1 against the label, and PGD reaches it', async () => {
    const config: ModelConfig = {
      kind: 'linear',
      inputSize: 5,
      hidden: [],
      outputSize: 1,
      head: 'binary',
      layerNorm: false,
      inner: { hidden: [4], activation: 'relu' },
      innerShared: true,
      dropout: 0,
    };
    const batch = 6;
    const eps = 0.15;
    const fused = new FusedNet(config, await wasm(), batch, 7);
    const [w, bias] = fused.exportWeights();
    const l1 = w.reduce((s, v) => s + Math.abs(v), 0);
    const logit = (x: Float32Array, e: number) => bias[0] + w.reduce((s, wj, j) => s + wj * x[e * 5 + j], 0);
    const x = new Rng(4).uniformArray(batch * 5, -1, 1);
    const y = Float32Array.from({ length: batch }, (_, i) => i % 2);
    const target = fusedAttackTarget(fused, batch);
    for (const kind of ['fgsm', 'pgd'] as const) {
      const { x: adv } = await perturbChunk(target, kind, x, y, eps, new Rng(3), { steps: 12 });
      for (let e = 0; e < batch; e++) {
        expect(logit(adv, e)).toBeCloseTo(logit(x, e) + (y[e] === 1 ? -1 : 1) * eps * l1, 4);
      }
    }
  });

  it('a network with NaN weights is reported diverged', async () => {
    const config: ModelConfig = {
      kind: 'relu',
      inputSize: 2,
      hidden: [4],
      outputSize: 1,
      head: 'binary',
      layerNorm: false,
      inner: { hidden: [4], activation: 'relu' },
      innerShared: true,
      dropout: 0,
    };
    const fused = new FusedNet(config, await wasm(), 4, 1);
    fused.importWeights(fused.exportWeights().map((v) => v.map(() => NaN)));
    const x = new Rng(1).uniformArray(8, -1, 1);
    const result = await robustnessCurve(fusedAttackTarget(fused, 4), 'fgsm', [0, 0.1], x, new Float32Array(4));
    expect(result.diverged).toBe(true);
  });

  it('an attack between training steps leaves every later step as it would have been', async () => {
    const params = { ...defaultParams(), pretrain: 0, dropout: 0.2 };
    const spec = specFromParams(params);
    const data = trainingDataFrom2D(datasetFromParams(params));
    const [plain, attacked] = [await FusedRun.create(spec, data, wasm), await FusedRun.create(spec, data, wasm)];
    plain.trainSteps(5);
    attacked.trainSteps(5);
    const n = 40;
    const result = await robustnessCurve(fusedAttackTarget(attacked.net, 16), 'pgd', [0, 0.2], data.testX, data.testY, {
      limit: n,
      steps: 3,
    });
    expect(result.diverged).toBe(false);
    for (let s = 0; s < 5; s++) expect(attacked.trainSteps(1)).toBe(plain.trainSteps(1));
    expect(attacked.exportWeights()).toEqual(plain.exportWeights());
  });
});
