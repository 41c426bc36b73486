/**
 * The worker's one engine API on both engines (tfjs on the cpu backend, the fused engine on the
 * committed wasm module), the run host switching between them, and auto's choice as a pure
 * function of measured speeds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, type Params } from '../../src/core/params';
import { specFromParams, datasetFromParams, trainingDataFrom2D } from '../../src/core/run';
import { pickFastest } from '../../src/worker/autoChoice';
import { fusedEngine, tfjsEngine, type TrainEngine } from '../../src/worker/engine';
import type { Snapshot } from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import { maxDiff, wasmKernels } from './fusedHelpers';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

async function both(overrides: Partial<Params> = {}): Promise<[TrainEngine, TrainEngine]> {
  const params = { ...defaultParams(), pretrain: 0, ...overrides };
  const spec = specFromParams(params);
  const data = trainingDataFrom2D(datasetFromParams(params));
  return [await tfjsEngine(spec, data), await fusedEngine(spec, data, await wasmKernels())];
}

function relative(a: Float32Array[], b: Float32Array[]): number {
  const { diff, scale } = maxDiff(a, b);
  return diff / Math.max(scale, 1e-12);
}

describe('TrainEngine on both engines', () => {
  it('from the same seed: the same weights, the same first 10 losses (1e-4), norms and metrics', async () => {
    const [ref, fused] = await both();
    try {
      expect(relative(await fused.exportWeights(), await ref.exportWeights())).toBeLessThan(1e-6);
      expect(fused.paramCount).toEqual(ref.paramCount);
      expect(fused.hiddenUnits).toEqual(ref.hiddenUnits);
      expect(fused.hasG2).toBe(true);
      expect(ref.hasG2).toBe(true);
      for (let s = 0; s < 10; s++) {
        const [a, b] = [await ref.trainChunk(1), await fused.trainChunk(1)];
        expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-4);
        expect(Math.abs(a.norm - b.norm) / a.norm).toBeLessThan(1e-4);
      }
      expect(fused.step).toBe(10);
      expect(ref.step).toBe(10);
      const [m1, m2] = [await ref.evaluate(), await fused.evaluate()];
      expect(m2.trainLoss).toBeCloseTo(m1.trainLoss, 3);
      const [v1, v2] = [await ref.inspect({ decision: true }), await fused.inspect({ decision: true })];
      expect(relative([v2.g!, v2.decision!], [v1.g!, v1.decision!])).toBeLessThan(1e-3);
      expect(relative(await fused.innerWeights(), await ref.innerWeights())).toBeLessThan(1e-3);
    } finally {
      ref.dispose();
      fused.dispose();
    }
  });

  it('weights copied from one engine to the other; checkpoints restore; Session III agrees', async () => {
    const [ref, fused] = await both({ seed: 7 });
    try {
      await ref.trainChunk(25);
      fused.importWeights(await ref.exportWeights());
      fused.saveCheckpoint();
      const before = await fused.exportWeights();
      await fused.trainChunk(5);
      expect(relative(await fused.exportWeights(), before)).toBeGreaterThan(1e-6);
      fused.restoreCheckpoint();
      expect(relative(await fused.exportWeights(), before)).toBe(0);
      ref.startSessionThree();
      fused.startSessionThree();
      expect(fused.session).toBe(3);
      // Session III re-initialises the outer weights from the seed and keeps g: same on both.
      expect(relative(await fused.exportWeights(), await ref.exportWeights())).toBeLessThan(1e-5);
      // (Their batch streams are at different places: compare on the whole evaluation set.)
      expect((await fused.evaluate()).trainLoss).toBeCloseTo((await ref.evaluate()).trainLoss, 4);
    } finally {
      ref.dispose();
      fused.dispose();
    }
  });
});

describe('optimizer state between engines', () => {
  it("Adam's slots and step count cross from tfjs to fused and back unchanged, and the next step agrees", async () => {
    const [ref, fused] = await both({ seed: 3 });
    try {
      await ref.trainChunk(12);
      const state = await ref.exportOptimizerState();
      expect(state.name).toBe('adam');
      expect(state.slots.length).toBe(2 * (await ref.exportWeights()).length);
      fused.importWeights(await ref.exportWeights());
      fused.importOptimizerState(state);
      fused.importStreams(ref.exportStreams()); // the same next batch on both
      const there = await fused.exportOptimizerState();
      expect(there.t).toBe(state.t);
      expect(relative(there.slots, state.slots)).toBe(0);
      // The slots must sit under the right variables: with the wrong order the next Adam step
      // would move different weights on each engine.
      await Promise.all([ref.trainChunk(1), fused.trainChunk(1)]);
      expect(relative(await fused.exportWeights(), await ref.exportWeights())).toBeLessThan(1e-5);
      ref.importOptimizerState(await fused.exportOptimizerState());
      expect(relative((await ref.exportOptimizerState()).slots, (await fused.exportOptimizerState()).slots)).toBe(0);
    } finally {
      ref.dispose();
      fused.dispose();
    }
  });
});

describe('the run host switching engine', () => {
  it('fused -> cpu -> fused mid-run keeps the weights and the step count', async () => {
    const snapshots: Snapshot[] = [];
    const h = new RunHost(
      'main',
      { ...defaultParams(), pretrain: 0 },
      { name: 'fused', reason: 'test' },
      {
        snapshot: (s) => snapshots.push(s),
        dataset: () => undefined,
        progress: () => undefined,
      },
    );
    try {
      await h.build();
      expect(h.trainedRun?.kind).toBe('fused');
      await h.step(7);
      const weights = await h.trainedRun!.exportWeights();
      const loss = snapshots[snapshots.length - 1].history.at(-1)?.trainLoss ?? NaN;
      await h.importAfterSwitch({ name: 'cpu', reason: 'test' }, await h.exportWeights());
      expect(h.trainedRun?.kind).toBe('tfjs');
      expect(h.totalSteps).toBe(7);
      expect(snapshots[snapshots.length - 1].backend).toBe('cpu');
      expect(relative(await h.trainedRun!.exportWeights(), weights)).toBe(0);
      expect((await h.trainedRun!.evaluate()).trainLoss).toBeCloseTo(loss, 4);
      await h.step(3);
      const onCpu = await h.trainedRun!.exportWeights();
      await h.importAfterSwitch({ name: 'fused', reason: 'test' }, await h.exportWeights());
      expect(h.trainedRun?.kind).toBe('fused');
      expect(h.totalSteps).toBe(10);
      expect(snapshots[snapshots.length - 1].step).toBe(10);
      expect(relative(await h.trainedRun!.exportWeights(), onCpu)).toBe(0);
      await h.step(1);
      expect(h.totalSteps).toBe(11);
    } finally {
      await h.dispose();
    }
  });
});

describe('a lost WebGPU device', () => {
  // tfjs runs on cpu here; the host only needs to believe it is on WebGPU to keep copies off the device.
  function webgpuHost(snapshots: Snapshot[]): RunHost {
    return new RunHost(
      'main',
      { ...defaultParams(), pretrain: 0 },
      { name: 'webgpu', reason: 'test' },
      {
        snapshot: (s) => snapshots.push(s),
        dataset: () => undefined,
        progress: () => undefined,
      },
    );
  }
  const lost = { name: 'fused', reason: 'WebGPU device lost: continued on fused from the last checkpoint' } as const;

  it('the host continues on the next engine from the last checkpoint it read off the device', async () => {
    const h = webgpuHost([]);
    try {
      await h.build();
      const weightsAt = [await h.trainedRun!.exportWeights()];
      for (let s = 1; s <= 8; s++) {
        await h.step(1);
        weightsAt.push(await h.trainedRun!.exportWeights());
      }
      await h.recoverFromDeviceLoss(lost);
      // Checkpoints come at most once a second: which step had the last one depends on the clock.
      const resumedAt = h.totalSteps;
      expect(resumedAt).toBeGreaterThanOrEqual(0);
      expect(resumedAt).toBeLessThanOrEqual(8);
      expect(h.trainedRun?.kind).toBe('fused');
      expect(relative(await h.trainedRun!.exportWeights(), weightsAt[resumedAt])).toBe(0);
    } finally {
      await h.dispose();
    }
  });

  it('a run that was playing plays on, on the new engine, and says why', async () => {
    const snapshots: Snapshot[] = [];
    const h = webgpuHost(snapshots);
    try {
      await h.build();
      h.play();
      while (h.totalSteps < 20) await new Promise((r) => setTimeout(r, 20));
      await h.recoverFromDeviceLoss(lost);
      const resumedAt = h.totalSteps;
      expect(h.trainedRun?.kind).toBe('fused');
      while (h.totalSteps < resumedAt + 50) await new Promise((r) => setTimeout(r, 20));
      await h.pause();
      const last = snapshots[snapshots.length - 1];
      expect(last.backend).toBe('fused');
      expect(last.backendReason).toMatch(/^WebGPU device lost/);
      expect(last.status).toBe('paused');
    } finally {
      await h.dispose();
    }
  });
});

describe("auto's choice from measurements", () => {
  it('picks the fastest measured engine and lists every figure, those without one last', () => {
    expect(
      pickFastest([
        { name: 'fused', stepsPerSecond: 9_812.4 },
        { name: 'webgpu', stepsPerSecond: null, why: 'software WebGPU adapter' },
        { name: 'wasm', stepsPerSecond: 260.2 },
      ]),
    ).toEqual({ name: 'fused', reason: 'auto: fused 9,812 steps/s, wasm 260, webgpu n/a' });
    expect(
      pickFastest([
        { name: 'fused', stepsPerSecond: 1_900 },
        { name: 'webgpu', stepsPerSecond: 25_000 },
        { name: 'wasm', stepsPerSecond: 260 },
      ]),
    ).toEqual({ name: 'webgpu', reason: 'auto: webgpu 25,000 steps/s, fused 1,900, wasm 260' });
  });

  it('ignores failed or non-finite measurements; nothing measured is no choice', () => {
    expect(
      pickFastest([
        { name: 'fused', stepsPerSecond: Number.NaN },
        { name: 'wasm', stepsPerSecond: 12 },
      ])?.name,
    ).toBe('wasm');
    expect(
      pickFastest([
        { name: 'fused', stepsPerSecond: null },
        { name: 'wasm', stepsPerSecond: null },
      ]),
    ).toBeNull();
    expect(pickFastest([])).toBeNull();
  });
});
