/**
 * The CPU half of the WebGPU fused step, without a GPU: what it covers, its memory plan, the
 * batches and optimizer constants it uploads (the CPU fused engine's, step for step), and moving
 * a run's state between engines. The kernel itself is checked against the CPU engine in the
 * browser (tests/e2e/wgsl.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ModelConfig, TrainConfig } from '../../src/core/config';
import { generateDataset2D } from '../../src/core/data/datasets2d';
import { FusedRun } from '../../src/core/fused/fusedRun';
import { chunkArrays, fillChunk, GpuRunCursor } from '../../src/core/fused/gpu/chunkPlan';
import { GPU_MAX_BATCH, gpuUnsupportedReason, planGpu } from '../../src/core/fused/gpu/gpuPlan';
import { loadStateIntoFusedRun, stateOfFusedRun } from '../../src/core/fused/gpu/runState';
import { fusedStepWgsl, HYPER_WORDS } from '../../src/core/fused/gpu/wgsl';
import { adamStepConstants } from '../../src/core/fused/optimizerStep';
import { defaultParams } from '../../src/core/params';
import { specFromParams } from '../../src/core/spec';
import type { TrainingData } from '../../src/core/train/trainer';
import { ts32Kernels } from './fusedHelpers';

const twoArg: ModelConfig = {
  kind: 'twoArg',
  inputSize: 2,
  hidden: [4, 3],
  outputSize: 1,
  head: 'binary',
  layerNorm: false,
  inner: { hidden: [8, 8], activation: 'relu' },
  innerShared: true,
  dropout: 0,
};
const adam: TrainConfig = { optimizer: 'adam', learningRate: 0.03, momentum: 0, batchSize: 8, l2: 1e-3 };

function xorData(): TrainingData {
  const d = generateDataset2D('xor', { n: 80, noise: 0.1, trainFraction: 0.8, seed: 7 });
  return { inputSize: 2, trainX: d.trainX, trainY: d.trainY, testX: d.testX, testY: d.testY };
}

describe('what the WebGPU fused step covers', () => {
  it('takes the default preset and its matched ReLU twin, with Adam or SGD and L2', () => {
    const p = defaultParams();
    for (const model of ['twoArg', 'relu', 'oneArg', 'tanh', 'sigmoid'] as const) {
      const spec = specFromParams({ ...p, model, match: true });
      expect(gpuUnsupportedReason(spec.model, spec.train)).toBeNull();
      expect(gpuUnsupportedReason(spec.model, { ...spec.train, optimizer: 'sgd', momentum: 0.9, l2: 0.01 })).toBeNull();
    }
    expect(gpuUnsupportedReason({ ...twoArg, innerShared: false, inner: { hidden: [64, 64, 64], activation: 'elu' } }, adam)).toBeNull();
    expect(gpuUnsupportedReason({ ...twoArg, layerNorm: true })).toBeNull();
  });

  it('declines what it does not implement, saying what', () => {
    expect(gpuUnsupportedReason({ ...twoArg, dropout: 0.5 })).toBe('dropout');
    expect(gpuUnsupportedReason({ ...twoArg, head: 'multiclass', outputSize: 3 })).toBe('the multiclass head');
    expect(gpuUnsupportedReason({ ...twoArg, head: 'regression' })).toBe('the regression head');
    expect(gpuUnsupportedReason({ ...twoArg, hidden: [] })).toBe('a model without hidden layers');
    expect(gpuUnsupportedReason(twoArg, { ...adam, batchSize: GPU_MAX_BATCH + 1 })).toMatch(/batches over/);
    expect(
      gpuUnsupportedReason(
        { ...twoArg, hidden: [1024, 1024], inner: { hidden: [64, 64, 64], activation: 'relu' } },
        { ...adam, batchSize: 512 },
      ),
    ).toBe('a model this large');
    // Invalid input is a reason, never a throw.
    expect(gpuUnsupportedReason({ ...twoArg, kind: 'nope' as ModelConfig['kind'] })).toMatch(/kind/);
  });
});

describe('the memory plan', () => {
  const configs: [string, ModelConfig][] = [
    ['twoArg shared', twoArg],
    [
      'oneArg per layer, g depth 3',
      { ...twoArg, kind: 'oneArg', hidden: [3, 5, 2], inner: { hidden: [4, 6, 2], activation: 'tanh' }, innerShared: false },
    ],
    ['relu', { ...twoArg, kind: 'relu', hidden: [7] }],
    ['twoArg with LayerNorm', { ...twoArg, layerNorm: true }],
    ['tanh with LayerNorm', { ...twoArg, kind: 'tanh', hidden: [5, 6], layerNorm: true }],
  ];
  for (const [name, config] of configs) {
    it(`gives every scratch block its own floats inside the stride: ${name}`, () => {
      const B = 6;
      const plan = planGpu(config, B);
      const blocks: [number, number][] = [
        [plan.logits, B],
        [plan.dlogits, B],
      ];
      const gs = plan.gSizes;
      for (const l of plan.layers) {
        blocks.push([l.a, B * l.units], [l.dh, B * l.units], [l.dz, B * l.width]);
        if (config.layerNorm) blocks.push([l.sd, B]);
        if (plan.perUnit > 0 || config.layerNorm) blocks.push([l.z, B * l.width]);
        if (plan.perUnit > 0) blocks.push(...l.gAct.map((at, k): [number, number] => [at, B * l.units * gs[k + 1]]));
      }
      if (plan.perUnit > 0) {
        const rows = Math.max(...plan.layers.map((l) => B * l.units));
        const width = Math.max(...gs.slice(1, -1));
        blocks.push([plan.delta[0], rows * width], [plan.delta[1], rows * width]);
      }
      const sorted = [...blocks].sort((a, b) => a[0] - b[0]);
      sorted.forEach(([at, size], i) => {
        expect(at + size).toBeLessThanOrEqual(plan.scratchStride);
        if (i > 0) expect(at).toBeGreaterThanOrEqual(sorted[i - 1][0] + sorted[i - 1][1]);
      });
      // L2 covers exactly the weight matrices, in the CPU engine's parameter block.
      const matrices = plan.layout.variables.filter((_, v) => v % 2 === 0).map((v): [number, number] => [v.offset, v.offset + v.size]);
      expect(plan.matrices).toEqual(matrices);
      expect(plan.stateStride).toBe(4 * plan.layout.paramCount);
      expect(fusedStepWgsl(plan)).toContain('@compute @workgroup_size(64)');
    });
  }

  it('trains only the outer weights in Session III', () => {
    const plan = planGpu(twoArg, 8, false);
    expect(plan.learnInner).toBe(false);
    expect(plan.trainableCount).toBe(plan.layout.outerParamCount);
    expect(plan.matrices.every(([, end]) => end <= plan.layout.outerParamCount)).toBe(true);
  });
});

describe('what the CPU side uploads per step', () => {
  it('draws the CPU fused engine’s batches, across epochs, and Adam’s constants of each step', async () => {
    const data = xorData();
    const n = data.trainY.length;
    const run = await FusedRun.create({ model: twoArg, train: adam, seed: 5, pretrainSteps: 0 }, data, ts32Kernels);
    const cursor = GpuRunCursor.fromSeed(5, n, adam);
    const steps = 20; // 8 steps per epoch of 64 examples: two reshuffles
    const arrays = chunkArrays(1, steps, 8);
    fillChunk([cursor], arrays, steps, steps, 8);
    for (let s = 0; s < steps; s++) {
      run.trainSteps(1);
      const F = run.net.kernel.floats();
      const x = run.net.layout.x >> 2;
      for (let b = 0; b < 8; b++) {
        const row = arrays.batches[s * 8 + b];
        expect([F[x + 2 * b], F[x + 2 * b + 1]]).toEqual([data.trainX[2 * row], data.trainX[2 * row + 1]]);
      }
      const { stepSize, epsHat } = adamStepConstants(s + 1, adam.learningRate);
      expect(Array.from(arrays.hyper.subarray(s * HYPER_WORDS, (s + 1) * HYPER_WORDS))).toEqual([
        Math.fround(stepSize),
        Math.fround(epsHat),
        Math.fround(adam.l2),
        0,
      ]);
    }
    expect(cursor.epoch).toBe(run.epoch);
    expect(cursor.epoch).toBe(2);
  });

  it('lays several runs out one after another, each with its own stream and SGD words', () => {
    const sgd: TrainConfig = { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, batchSize: 4, l2: 0 };
    const cursors = [1, 2, 3].map((seed) => GpuRunCursor.fromSeed(seed, 40, sgd));
    const alone = GpuRunCursor.fromSeed(2, 40, sgd);
    const arrays = chunkArrays(3, 5, 4);
    fillChunk(cursors, arrays, 3, 5, 4);
    const own = chunkArrays(1, 5, 4);
    fillChunk([alone], own, 3, 5, 4);
    // Run 1's steps start at (1 * 5 + s) * 4: the chunk's capacity, not the steps filled.
    expect(Array.from(arrays.batches.subarray(5 * 4, 5 * 4 + 12))).toEqual(Array.from(own.batches.subarray(0, 12)));
    expect(Array.from(arrays.hyper.subarray(5 * HYPER_WORDS, 5 * HYPER_WORDS + 4))).toEqual([Math.fround(0.1), Math.fround(0.9), 0, 1]);
    expect(() => fillChunk(cursors, arrays, 6, 5, 4)).toThrow(/holds 5 steps/);
    expect(() => fillChunk(cursors, arrays, 1, 5, 8)).toThrow(/batches of 4/);
  });

  it('skips the batches a run took on another engine', async () => {
    const data = xorData();
    const run = await FusedRun.create({ model: twoArg, train: adam, seed: 9, pretrainSteps: 0 }, data, ts32Kernels);
    run.trainSteps(7);
    const cursor = GpuRunCursor.fromSeed(9, data.trainY.length, adam);
    cursor.skip(7);
    const arrays = chunkArrays(1, 1, 8);
    fillChunk([cursor], arrays, 1, 1, 8);
    run.trainSteps(1);
    const F = run.net.kernel.floats();
    const x = run.net.layout.x >> 2;
    expect(F[x]).toBe(data.trainX[2 * arrays.batches[0]]);
    expect(cursor.step).toBe(8);
  });
});

describe('moving a run between engines', () => {
  for (const [name, train, sessionThree] of [
    ['Adam', adam, false],
    ['SGD', { ...adam, optimizer: 'sgd', momentum: 0.9 } as TrainConfig, false],
    ['Adam in Session III', adam, true],
  ] as const) {
    it(`copies weights, slots and the step count exactly: ${name}`, async () => {
      const data = xorData();
      const spec = { model: twoArg, train, seed: 3, pretrainSteps: 0 };
      const a = await FusedRun.create(spec, data, ts32Kernels);
      const b = await FusedRun.create({ ...spec, seed: 4 }, data, ts32Kernels);
      if (sessionThree) {
        a.startSessionThree();
        b.startSessionThree();
      }
      a.trainSteps(3);
      const { state, optimizer, t } = stateOfFusedRun(a);
      expect(t).toBe(3);
      if (train.optimizer === 'sgd') expect(state.slot2.every((v) => v === 0)).toBe(true);
      loadStateIntoFusedRun(b, state, optimizer, t);
      expect(b.exportWeights()).toEqual(a.exportWeights());
      expect(b.exportOptimizerState()).toEqual(a.exportOptimizerState());
    });
  }
});
