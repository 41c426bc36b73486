/**
 * `npm run experiment:bench -- [--preset paper-digits] [--models twoArg,oneArg,relu] [--engine fused|tfjs]
 * [--backend cpu|wasm] [--ms 4000] [--data dir]`: the runner's training throughput in this process.
 * For each model it builds the preset's run (Session I skipped: it does not change the step's cost),
 * warms up, then trains in chunks of about 25 ms, reading the loss after each, as the browser
 * worker's bare benchmark loop does (src/worker/benchmark.ts), so the two compare like for like.
 * Prints one JSON line per model: steps and images per second.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fusedEngine, tfjsEngine, type EngineFactory, type EngineRun } from '../../core/experiment/engines';
import { compileFusedModule, fusedKernels } from '../../core/fused';
import { PLAYGROUND_MODELS, defaultParams } from '../../core/params';
import { applyPreset, isPresetName, PRESET_NAMES } from '../../core/presets';
import { specFromParams } from '../../core/spec';
import { loadRunData } from '../runData';
import { useWasmBackend } from '../wasmBackend';
import { parseArgs } from './args';

const WASM_FROM_BUNDLE = '../src/core/fused/fused.wasm';
const CHUNK_MS = 25;

async function engineFor(name: string): Promise<EngineFactory> {
  if (name === 'tfjs') return tfjsEngine;
  if (name !== 'fused') throw new Error(`--engine must be fused or tfjs (got ${name})`);
  const bytes = readFileSync(fileURLToPath(new URL(WASM_FROM_BUNDLE, import.meta.url)));
  return fusedEngine(fusedKernels(await compileFusedModule(bytes)).factory);
}

/** Steps per second of a bare loop over about `ms`, in chunks grown to about CHUNK_MS each. */
async function bareLoop(run: EngineRun, ms: number): Promise<number> {
  let chunk = 1;
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const c0 = performance.now();
    await run.trainSteps(chunk);
    steps += chunk;
    if (performance.now() - c0 < CHUNK_MS / 2) chunk *= 2;
  }
  return (steps * 1000) / (performance.now() - t0);
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2), ['preset', 'models', 'engine', 'backend', 'ms', 'data']);
  const preset = flags.get('preset') ?? 'paper-digits';
  if (!isPresetName(preset)) throw new Error(`--preset must be one of ${PRESET_NAMES.join(', ')} (got ${preset})`);
  const models = (flags.get('models') ?? 'twoArg,oneArg,relu').split(',');
  for (const m of models) if (!(PLAYGROUND_MODELS as readonly string[]).includes(m)) throw new Error(`unknown model ${m}`);
  const ms = Number(flags.get('ms') ?? 4000);
  if (!Number.isFinite(ms) || ms < 100) throw new Error('--ms must be a number of milliseconds >= 100');
  const backend = flags.get('backend') ?? 'cpu';
  if (backend === 'wasm') await useWasmBackend();
  else if (backend === 'cpu') await tf.setBackend('cpu');
  else throw new Error(`--backend must be cpu or wasm (got ${backend})`);
  await tf.ready();
  const engineName = flags.get('engine') ?? 'fused';
  const engine = await engineFor(engineName);
  for (const model of models) {
    const params = { ...applyPreset(defaultParams(), preset), model: model as (typeof PLAYGROUND_MODELS)[number], pretrain: 0 };
    const data = loadRunData(params, flags.get('data') ?? 'public/data');
    const run = await engine(specFromParams(params, data.training.inputSize, data.outputSize, data.head), data.training);
    try {
      // Warm up (JIT, chunk size) as the browser benchmark does, then time.
      await bareLoop(run, Math.min(1000, ms / 4));
      const stepsPerSecond = await bareLoop(run, ms);
      const row = {
        preset,
        model,
        engine: engineName,
        backend: engineName === 'fused' ? 'fused' : backend,
        hidden: run.hiddenUnits,
        params: run.paramCount.total,
        batch: params.batch,
        stepsPerSecond: Number(stepsPerSecond.toFixed(2)),
        imagesPerSecond: Math.round(stepsPerSecond * params.batch),
      };
      console.log(JSON.stringify(row));
    } finally {
      run.dispose();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
