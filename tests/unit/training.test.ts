import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type ModelConfig } from '../../src/core/config';
import { evaluateInnerOnGrid } from '../../src/core/inspect';
import { Network } from '../../src/core/model/network';
import { defaultParams, type Params } from '../../src/core/params';
import { ARGUMENT_GRID, datasetFromParams, Run, specFromParams, trainingDataFrom2D } from '../../src/core/run';
import { randomSmoothTarget } from '../../src/core/train/sessionOne';
import { read, useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

function params(overrides: Partial<Params> = {}): Params {
  return { ...defaultParams(), pretrain: 50, ...overrides };
}

async function buildRun(p: Params): Promise<Run> {
  return Run.create(specFromParams(p), trainingDataFrom2D(datasetFromParams(p)));
}

async function lossAfter(p: Params, steps: number): Promise<number> {
  const run = await buildRun(p);
  const loss = (await read(run.trainer.trainSteps(steps)))[0];
  run.dispose();
  return loss;
}

describe('determinism', () => {
  it('the same seed gives the same loss after 50 steps; another seed does not', async () => {
    const a = await lossAfter(params({ seed: 3 }), 50);
    const b = await lossAfter(params({ seed: 3 }), 50);
    const c = await lossAfter(params({ seed: 4 }), 50);
    expect(Number.isFinite(a)).toBe(true);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('dropout masks are seeded too', async () => {
    const p = params({ seed: 9, dropout: 0.3 });
    expect(await lossAfter(p, 20)).toBe(await lossAfter(p, 20));
  });
});

describe('tensor hygiene', () => {
  it('numTensors is the same after step 10 and after step 300, with evaluation and inspection', async () => {
    const run = await buildRun(params({ dropout: 0.2, l2: 1e-4 }));
    const cycle = async (steps: number) => {
      await read(run.trainer.trainSteps(steps));
      await run.evaluate();
      await run.inspect({ decision: true });
      run.saveCheckpoint();
    };
    await cycle(10);
    const after10 = tf.memory().numTensors;
    for (let i = 0; i < 29; i++) await cycle(10);
    expect(run.trainer.step).toBe(300);
    expect(tf.memory().numTensors).toBe(after10);
    const before = tf.memory().numTensors;
    run.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('disposing a run frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    const run = await buildRun(params());
    await read(run.trainer.trainSteps(5));
    run.startSessionThree();
    await read(run.trainer.trainSteps(5));
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('learning', () => {
  it.each([
    ['twoArg', 'xor'],
    ['twoArg', 'circle'],
    ['relu', 'xor'],
    ['relu', 'circle'],
  ] as const)('%s on %s reaches 95 percent test accuracy within 1500 steps', async (model, dataset) => {
    const run = await buildRun(params({ model, dataset, noise: 0, seed: 2, match: true }));
    let acc = 0;
    for (let chunk = 0; chunk < 15 && acc < 0.95; chunk++) {
      await read(run.trainer.trainSteps(100));
      acc = (await run.evaluate()).testAcc;
    }
    run.dispose();
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('the learning rate changes live, without a new model', async () => {
    const run = await buildRun(params({ seed: 5 }));
    const g0 = await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID);
    run.trainer.updateSettings({ ...run.trainer.currentSettings, learningRate: 1e-6 });
    await read(run.trainer.trainSteps(20));
    const g1 = await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID);
    const tinyChange = Math.max(...g1.map((v, i) => Math.abs(v - g0[i])));
    run.trainer.updateSettings({ ...run.trainer.currentSettings, learningRate: 0.05 });
    await read(run.trainer.trainSteps(20));
    const g2 = await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID);
    const bigChange = Math.max(...g2.map((v, i) => Math.abs(v - g1[i])));
    run.dispose();
    expect(bigChange).toBeGreaterThan(100 * tinyChange);
  });

  it('SGD with momentum trains too', async () => {
    const run = await buildRun(params({ optimizer: 'sgd', lr: 0.1, seed: 2, noise: 0 }));
    const start = (await run.evaluate()).trainLoss;
    await read(run.trainer.trainSteps(300));
    const end = (await run.evaluate()).trainLoss;
    run.dispose();
    expect(end).toBeLessThan(start * 0.7);
  });
});

describe('the three sessions', () => {
  it('Session I fits g to a seeded random smooth surface', async () => {
    const target1 = randomSmoothTarget(1, 2);
    expect(target1).toHaveLength(101 * 101);
    expect(Math.max(...target1.map(Math.abs))).toBeCloseTo(1, 5);
    expect(randomSmoothTarget(1, 2)).toEqual(target1);
    expect(randomSmoothTarget(2, 2)).not.toEqual(target1);
    // The surface is smooth: neighbours differ far less than independent noise would.
    let step = 0;
    for (let i = 1; i < 101; i++) step += Math.abs(target1[5050 + i] - target1[5050 + i - 1]);
    expect(step / 100).toBeLessThan(0.2);

    const short = await buildRun(params({ pretrain: 10 }));
    const long = await buildRun(params({ pretrain: 400 }));
    expect(long.sessionOneMse!).toBeLessThan(short.sessionOneMse!);
    const variance = target1.reduce((s, v) => s + v * v, 0) / target1.length;
    expect(long.sessionOneMse!).toBeLessThan(variance);
    short.dispose();
    long.dispose();
  });

  it('pretrain 0 keeps the Xavier-initialised g', async () => {
    const run = await buildRun(params({ pretrain: 0 }));
    expect(run.sessionOneMse).toBeNull();
    const fresh = new Network(run.net.config, run.spec.seed);
    const a = await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID);
    const b = await evaluateInnerOnGrid(fresh.inner[0], ARGUMENT_GRID);
    expect(a).toEqual(b);
    fresh.dispose();
    run.dispose();
  });

  it('Session III freezes g, re-initialises the outer weights and retrains them', async () => {
    const run = await buildRun(params({ seed: 6 }));
    await read(run.trainer.trainSteps(100));
    const gBefore = await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID);
    const outerBefore = await read(tf.clone(run.net.outerVariables()[0]));
    run.startSessionThree();
    const outerAfterReinit = await read(tf.clone(run.net.outerVariables()[0]));
    expect(outerAfterReinit).not.toEqual(outerBefore);
    const lossStart = (await run.evaluate()).trainLoss;
    await read(run.trainer.trainSteps(200));
    const lossEnd = (await run.evaluate()).trainLoss;
    const gAfter = await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID);
    run.dispose();
    expect(gAfter).toEqual(gBefore);
    expect(lossEnd).toBeLessThan(lossStart);
  });
});

describe('validation', () => {
  const good: ModelConfig = {
    kind: 'twoArg',
    inputSize: 2,
    hidden: [4],
    outputSize: 1,
    head: 'binary',
    layerNorm: true,
    inner: { hidden: [8], activation: 'relu' },
    innerShared: true,
    dropout: 0,
  };
  it.each([
    [{ hidden: [0] }, 'hidden[0]', '[1, 1024]'],
    [{ hidden: [-3] }, 'hidden[0]', '[1, 1024]'],
    [{ hidden: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, 'hidden.length', '[0, 8]'],
    [{ kind: 'swish' }, 'kind', 'twoArg'],
    [{ inner: { hidden: [128], activation: 'relu' } }, 'inner.hidden[0]', '[2, 64]'],
    [{ inner: { hidden: [8, 8, 8, 8], activation: 'relu' } }, 'inner.hidden.length', '[1, 3]'],
    [{ inner: { hidden: [8], activation: 'gelu' } }, 'inner.activation', 'relu'],
    [{ dropout: NaN }, 'dropout', '[0, 0.9]'],
    [{ inputSize: 2.5 }, 'inputSize', 'whole'],
    [{ outputSize: 3 }, 'outputSize', 'binary'],
  ])('rejects %j naming %s and the range', (patch, field, range) => {
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      new Network({ ...good, ...patch } as ModelConfig, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
    expect((error as Error).message).toContain(range);
    // Nothing is half-built.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects NaN and out-of-range learning rates', async () => {
    const run = await buildRun(params());
    for (const learningRate of [NaN, -1, 0, 100]) {
      expect(() => run.trainer.updateSettings({ ...run.trainer.currentSettings, learningRate })).toThrow(/learningRate/);
    }
    run.dispose();
  });
});
