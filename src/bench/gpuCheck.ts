/**
 * The WebGPU fused step against the CPU fused engine, for the browser tests (gpu-check.html).
 * Each case builds CPU runs (the WebAssembly kernel, else the TypeScript one), trains them a few
 * steps so Adam's slots and step count are not zero, copies their state into one GPU group (one
 * workgroup per run), then trains both 10 more steps and reports how far apart the weights,
 * optimizer slots, losses and norms are. The page exposes `window.gpuCheck(caseName)`, and for the
 * bench `window.gpuThroughput(runs, steps)`: many runs of the default preset in one group vs the CPU.
 * Over 300 lines because the cases, the CPU-vs-GPU comparison and the throughput probe share the
 * same run set-up; split, each would rebuild it.
 */
import type { ModelConfig, TrainConfig } from '../core/config';
import { generateDataset2D } from '../core/data/datasets2d';
import { defaultParams } from '../core/params';
import { specFromParams } from '../core/spec';
import { FusedRun } from '../core/fused';
import { GpuRunCursor } from '../core/fused/gpu/chunkPlan';
import { gpuUnsupportedReason, planGpu } from '../core/fused/gpu/gpuPlan';
import { stateOfFusedRun } from '../core/fused/gpu/runState';
import type { TrainingData } from '../core/train/trainer';
import { loadFusedKernels } from '../worker/fusedLoader';
import { requestFusedGpuDevice } from '../worker/gpu/device';
import { fusedEngine, type TrainEngine } from '../worker/engine';
import { gpuFusedEngine } from '../worker/gpu/gpuEngine';
import { GpuFusedGroup } from '../worker/gpu/fusedGroup';
import { relDiff } from './relDiff';
// The comparison's seeds in one dispatch, through the worker's hosts (window.gpuGroupCheck).
import './gpuGroupCheck';

interface CheckCase {
  model: ModelConfig;
  train: TrainConfig;
  seeds: number[];
  /** Session III before the copy: g frozen, only the outer weights train. */
  sessionThree?: boolean;
}

const base: ModelConfig = {
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

export const CHECK_CASES: Record<string, CheckCase> = {
  twoArg: { model: base, train: adam, seeds: [11] },
  relu: {
    model: { ...base, kind: 'relu', hidden: [5, 4] },
    train: { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, batchSize: 8, l2: 1e-3 },
    seeds: [12],
  },
  threeRuns: { model: base, train: adam, seeds: [21, 22, 23] },
  oneArgPerLayer: {
    model: { ...base, kind: 'oneArg', hidden: [3, 3, 2], inner: { hidden: [4, 4, 4], activation: 'tanh' }, innerShared: false },
    train: { ...adam, l2: 0 },
    seeds: [31, 32],
  },
  sessionThree: { model: base, train: adam, seeds: [41], sessionThree: true },
  // The playground's default preset (LayerNorm, g 2-16-16-1, batch 32) and its parameter-matched ReLU twin.
  defaultPreset: { ...presetCase('twoArg'), seeds: [51, 52] },
  reluMatched: { ...presetCase('relu'), seeds: [61] },
};

function presetCase(model: 'twoArg' | 'relu'): CheckCase {
  const spec = specFromParams({ ...defaultParams(), model, match: true });
  return { model: spec.model, train: spec.train, seeds: [] };
}

/** Steps on the CPU before the state moves to the GPU, and steps compared after. */
const PRE_STEPS = 5;
const STEPS = 10;

function data(): TrainingData {
  // 64 training points: batches of 8 cross an epoch boundary (a reshuffle) within the 15 steps.
  const d = generateDataset2D('xor', { n: 80, noise: 0.1, trainFraction: 0.8, seed: 7 });
  return { inputSize: 2, trainX: d.trainX, trainY: d.trainY, testX: d.testX, testY: d.testY };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), 1e-12);

export interface RunComparison {
  seed: number;
  /** After the copy to the GPU and back, before training: must be exactly 0. */
  roundTrip: number;
  params: number;
  slot1: number;
  slot2: number;
  loss: number;
  norm: number;
  /** Whether the weights moved at all over the compared steps (a check that cannot pass by standing still). */
  moved: number;
}

export interface CheckResult {
  adapter: string;
  fallback: boolean;
  cpuKernel: string;
  runs: RunComparison[];
  gpuMs: number;
}

async function check(name: string): Promise<CheckResult> {
  const c = CHECK_CASES[name];
  if (!c) throw new Error(`no case ${name}`);
  const why = gpuUnsupportedReason(c.model, c.train);
  if (why) throw new Error(`the GPU step declines this case: ${why}`);
  const { gpu, why: noGpu } = await requestFusedGpuDevice();
  if (!gpu) throw new Error(noGpu);
  const kernels = await loadFusedKernels();
  const training = data();
  const cpu: FusedRun[] = [];
  for (const seed of c.seeds) {
    const run = await FusedRun.create({ model: c.model, train: c.train, seed, pretrainSteps: 0 }, training, kernels.factory);
    if (c.sessionThree) {
      run.trainSteps(PRE_STEPS - 2);
      run.startSessionThree();
      run.trainSteps(2);
    } else {
      run.trainSteps(PRE_STEPS);
    }
    cpu.push(run);
  }
  const plan = planGpu(c.model, c.train.batchSize, !c.sessionThree);
  const group = await GpuFusedGroup.create(gpu.device, plan, cpu.length, { x: training.trainX, y: training.trainY });
  try {
    const cursors = cpu.map((run, r) => {
      const { state, optimizer, t } = stateOfFusedRun(run);
      group.writeRun(r, state);
      const cursor = GpuRunCursor.fromSeed(c.seeds[r], training.trainY.length, c.train);
      cursor.skip(PRE_STEPS);
      cursor.optimizer = optimizer;
      cursor.t = t;
      return cursor;
    });
    const before = await group.readRuns();
    const roundTrip = cpu.map((run, r) => {
      const { state } = stateOfFusedRun(run);
      return Math.max(
        relDiff(state.params, before[r].params),
        relDiff(state.slot1, before[r].slot1),
        relDiff(state.slot2, before[r].slot2),
      );
    });
    const t0 = performance.now();
    group.train(cursors, STEPS);
    const report = await group.readReport();
    const gpuMs = performance.now() - t0;
    const after = await group.readRuns();
    const runs = cpu.map((run, r): RunComparison => {
      const loss = run.trainSteps(STEPS);
      const { state } = stateOfFusedRun(run);
      return {
        seed: c.seeds[r],
        roundTrip: roundTrip[r],
        params: relDiff(state.params, after[r].params),
        slot1: relDiff(state.slot1, after[r].slot1),
        slot2: relDiff(state.slot2, after[r].slot2),
        loss: rel(loss, report[r].loss),
        norm: rel(run.weightNormSquared(), report[r].norm),
        moved: relDiff(state.params, before[r].params),
      };
    });
    return { adapter: gpu.description, fallback: gpu.fallback, cpuKernel: kernels.kind, runs, gpuMs };
  } finally {
    group.destroy();
    gpu.device.destroy();
  }
}

export interface ThroughputResult {
  adapter: string;
  fallback: boolean;
  cpuKernel: string;
  runs: number;
  steps: number;
  /** Training steps per second of each run: all runs in one GPU group, chunks of 64 steps, the loss read after each. */
  gpuStepsPerSecondPerRun: number;
  /** The same runs one after another on the CPU fused engine. */
  cpuStepsPerSecondPerRun: number;
}

/**
 * Compare mode's workload on both engines: `runs` seeds of the default preset, `steps` steps each.
 * The GPU trains them together (one workgroup per run); the CPU one after another.
 */
async function throughput(runs: number, steps: number): Promise<ThroughputResult> {
  const c = presetCase('twoArg');
  const { gpu, why } = await requestFusedGpuDevice();
  if (!gpu) throw new Error(why);
  const kernels = await loadFusedKernels();
  const training = data();
  const cpu: FusedRun[] = [];
  for (let r = 0; r < runs; r++)
    cpu.push(await FusedRun.create({ model: c.model, train: c.train, seed: 100 + r, pretrainSteps: 0 }, training, kernels.factory));
  const chunk = 64;
  const group = await GpuFusedGroup.create(
    gpu.device,
    planGpu(c.model, c.train.batchSize),
    runs,
    { x: training.trainX, y: training.trainY },
    chunk,
  );
  try {
    const cursors = cpu.map((run, r) => {
      group.writeRun(r, stateOfFusedRun(run).state);
      return GpuRunCursor.fromSeed(100 + r, training.trainY.length, c.train);
    });
    // Warm-up: the first dispatch compiles and uploads.
    group.train(cursors, 1);
    await group.readReport();
    const t0 = performance.now();
    for (let done = 0; done < steps; done += chunk) {
      group.train(cursors, Math.min(chunk, steps - done));
      await group.readReport();
    }
    const gpuS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (const run of cpu) run.trainSteps(steps);
    const cpuS = (performance.now() - t1) / 1000;
    return {
      adapter: gpu.description,
      fallback: gpu.fallback,
      cpuKernel: kernels.kind,
      runs,
      steps,
      gpuStepsPerSecondPerRun: steps / gpuS,
      cpuStepsPerSecondPerRun: steps / cpuS,
    };
  } finally {
    group.destroy();
    gpu.device.destroy();
  }
}

export interface EngineCheckResult {
  /** Per phase of the script: the relative weight difference, both step counts, and whether the GPU engine trained on its shadow. */
  phases: { phase: string; weights: number; gpuStep: number; cpuStep: number; gpuSession: number; cpuSession: number }[];
}

/**
 * The engine API over the GPU step (what the worker trains through) against the CPU fused engine,
 * through a script of what the app does to a run: live learning rate, a new batch size (a new
 * pipeline), a checkpoint and its restore, dropout on and off (the GPU engine trains on its CPU
 * shadow meanwhile, on the same batch stream), SGD, Session III. Both start from the same seed.
 */
async function engineCheck(): Promise<EngineCheckResult> {
  const c = presetCase('twoArg');
  const { gpu, why } = await requestFusedGpuDevice();
  if (!gpu) throw new Error(why);
  const kernels = await loadFusedKernels();
  const training = data();
  const spec = { model: c.model, train: { ...c.train, batchSize: 16 }, seed: 77, pretrainSteps: 0 };
  const engines = [await gpuFusedEngine(spec, training, gpu, kernels.factory), await fusedEngine(spec, training, kernels.factory)];
  const phases: EngineCheckResult['phases'] = [];
  const both = async (phase: string, f: (e: TrainEngine) => unknown) => {
    for (const e of engines) await f(e);
    const [a, b] = await Promise.all(engines.map((e) => e.exportWeights()));
    phases.push({
      phase,
      weights: Math.max(...a.map((w, i) => relDiff(b[i], w))),
      gpuStep: engines[0].step,
      cpuStep: engines[1].step,
      gpuSession: engines[0].session,
      cpuSession: engines[1].session,
    });
  };
  try {
    await both('train 5', (e) => e.trainChunk(5));
    await both('checkpoint, lr 0.01, train 4', async (e) => {
      e.saveCheckpoint();
      e.updateSettings({ ...spec.train, learningRate: 0.01 });
      await e.trainChunk(4);
    });
    await both('batch 8, train 3', async (e) => {
      e.updateSettings({ ...spec.train, learningRate: 0.01, batchSize: 8 });
      await e.trainChunk(3);
    });
    await both('restore checkpoint, train 2', async (e) => {
      e.restoreCheckpoint();
      await e.trainChunk(2);
    });
    await both('dropout 0.2, train 3', async (e) => {
      e.setDropout(0.2);
      await e.trainChunk(3);
    });
    await both('dropout 0, SGD, train 4', async (e) => {
      e.setDropout(0);
      e.updateSettings({ ...spec.train, optimizer: 'sgd', momentum: 0.9, learningRate: 0.05, batchSize: 8 });
      await e.trainChunk(4);
    });
    await both('Session III, train 4', async (e) => {
      e.startSessionThree();
      await e.trainChunk(4);
    });
    return { phases };
  } finally {
    for (const e of engines) e.dispose();
    gpu.device.destroy();
  }
}

declare global {
  interface Window {
    gpuEngineCheck?: () => Promise<EngineCheckResult>;
    gpuCheck?: (name: string) => Promise<CheckResult>;
    gpuThroughput?: (runs: number, steps: number) => Promise<ThroughputResult>;
  }
}

window.gpuCheck = check;
window.gpuThroughput = throughput;
window.gpuEngineCheck = engineCheck;
document.getElementById('result')!.textContent = 'ready';
