/**
 * `npx tsx scripts/bench-fused.ts`: training steps per second in Node of the tfjs path (cpu
 * backend), the fused WebAssembly SIMD engine and its plain TypeScript fallback, for the
 * default preset, its parameter-matched ReLU twin and the paper's g (2-64-64-1, hidden 16,16).
 * A benchmark, not a test: it prints figures and fails on nothing.
 * Options: BENCH_MS (time per measurement, default 2000).
 */
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import type { KernelFactory } from '../src/core/fused/kernel';
import type { Params } from '../src/core/params';

/**
 * Node cannot load tfjs-core's ESM gradient registrations (directory imports); the CommonJS
 * @tensorflow/tfjs registers the same gradients into the same (CommonJS) tfjs-core. So the
 * model code's side-effect import is pointed there, before anything loads tfjs.
 */
register(
  'data:text/javascript,' +
    encodeURIComponent(
      "export async function resolve(s, c, next) { return next(s === '@tensorflow/tfjs-core/dist/register_all_gradients' ? '@tensorflow/tfjs' : s, c); }",
    ),
);
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
const { compileFusedModule, wasmKernelFactory } = await import('../src/core/fused/wasmKernel');
const { tsKernel } = await import('../src/core/fused/tsKernel');
const { FusedRun } = await import('../src/core/fused/fusedRun');
const { defaultParams } = await import('../src/core/params');
const { datasetFromParams, Run, specFromParams, trainingDataFrom2D } = await import('../src/core/run');

const MS = Number(process.env.BENCH_MS ?? 2000);

/** Steps per second of `chunk` (which runs n steps) over about MS, after a short warm-up. */
async function rate(chunk: (n: number) => Promise<void> | void): Promise<number> {
  const warm = performance.now();
  while (performance.now() - warm < MS / 5) await chunk(1);
  let steps = 0;
  let n = 1;
  const t0 = performance.now();
  while (performance.now() - t0 < MS) {
    const c0 = performance.now();
    await chunk(n);
    steps += n;
    // chunks of about 20 ms, as the worker's adaptive loop does
    if (performance.now() - c0 < 20) n *= 2;
  }
  return (steps * 1000) / (performance.now() - t0);
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  const module = await compileFusedModule(readFileSync(new URL('../src/core/fused/fused.wasm', import.meta.url)));
  const engines: [string, KernelFactory][] = [
    ['fused-wasm', wasmKernelFactory(module)],
    ['fused-ts', () => tsKernel(32)],
  ];
  const presets: [string, Partial<Params>][] = [
    ['default (xor, 8,8 twoArg, g 2-16-16-1, batch 32)', {}],
    ['matched relu', { model: 'relu', match: true }],
    ['paper g (16,16; g 2-64-64-1)', { hidden: [16, 16], inner: [64, 64] }],
  ];
  const rows: { preset: string; engine: string; stepsPerSecond: number }[] = [];
  for (const [name, overrides] of presets) {
    const p = { ...defaultParams(), pretrain: 0, ...overrides };
    const spec = specFromParams(p);
    const data = trainingDataFrom2D(datasetFromParams(p));
    const run = await Run.create(spec, data);
    const tfRate = await rate(async (n) => {
      const loss = run.trainer.trainSteps(n);
      await loss.data();
      loss.dispose();
    });
    run.dispose();
    rows.push({ preset: name, engine: 'tfjs-cpu', stepsPerSecond: tfRate });
    for (const [engine, kernels] of engines) {
      const fused = await FusedRun.create(spec, data, kernels);
      rows.push({ preset: name, engine, stepsPerSecond: await rate((n) => void fused.trainSteps(n)) });
    }
  }
  console.log('steps/s in Node', process.version, `(BENCH_MS=${MS})`);
  for (const [name] of presets) {
    const of = (e: string) => rows.find((r) => r.preset === name && r.engine === e)!.stepsPerSecond;
    const base = of('tfjs-cpu');
    const cells = ['tfjs-cpu', 'fused-wasm', 'fused-ts'].map((e) => `${e} ${of(e).toFixed(0)} (${(of(e) / base).toFixed(1)}x)`);
    console.log(`${name}: ${cells.join(' | ')}`);
  }
  console.log(JSON.stringify(rows));
}

await main();
