/**
 * `npx tsx scripts/bench-fused.ts`: training steps per second in Node of the tfjs path (cpu
 * backend), the fused WebAssembly SIMD engine and its plain TypeScript fallback, for the
 * default preset, its parameter-matched ReLU twin and the paper's g (2-64-64-1, hidden 16,16),
 * and the time of one full snapshot's work (metrics and read-outs).
 * A benchmark, not a test: it prints figures and fails on nothing.
 * Options: BENCH_MS (time per measurement, default 2000), BENCH_ENGINES (comma list, default
 * tfjs-cpu,tfjs-wasm,fused-wasm,fused-ts).
 */
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { loadavg } from 'node:os';
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
const tfWasm = await import('@tensorflow/tfjs-backend-wasm');
// The wasm backend's binaries, read from disk in Node (single-threaded SIMD build, as in the browser here).
tfWasm.setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
const { compileFusedModule, wasmKernelFactory } = await import('../src/core/fused/wasmKernel');
const { tsKernel } = await import('../src/core/fused/tsKernel');
const { FusedRun } = await import('../src/core/fused/fusedRun');
const { defaultParams } = await import('../src/core/params');
const { datasetFromParams, Run, specFromParams, trainingDataFrom2D } = await import('../src/core/run');

const MS = Number(process.env.BENCH_MS ?? 2000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'tfjs-cpu,tfjs-wasm,fused-wasm,fused-ts').split(',');

/**
 * Steps per second of `chunk` (which runs n steps) over about MS, after a short warm-up: per
 * second of wall time, and per second of this process's CPU time (the figure that survives a
 * machine shared with other jobs).
 */
async function rate(chunk: (n: number) => Promise<void> | void): Promise<{ wall: number; cpu: number }> {
  const warm = performance.now();
  while (performance.now() - warm < MS / 5) await chunk(1);
  let steps = 0;
  let n = 1;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < MS) {
    const c0 = performance.now();
    await chunk(n);
    steps += n;
    // chunks of about 20 ms, as the worker's adaptive loop does
    if (performance.now() - c0 < 20) n *= 2;
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall: (steps * 1000) / wall, cpu: (steps * 1e6) / (cpu.user + cpu.system) };
}

/** Mean wall time of one full snapshot's work (metrics + every read-out), over a few repetitions. */
async function meanMs(work: () => Promise<void> | void): Promise<number> {
  await work();
  const reps = 5;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await work();
  return (performance.now() - t0) / reps;
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
  const rows: { preset: string; engine: string; stepsPerSecond: number; stepsPerCpuSecond: number; snapshotMs: number }[] = [];
  for (const [name, overrides] of presets) {
    const p = { ...defaultParams(), pretrain: 0, ...overrides };
    const spec = specFromParams(p);
    const data = trainingDataFrom2D(datasetFromParams(p));
    for (const backend of ['cpu', 'wasm']) {
      if (!ENGINES.includes(`tfjs-${backend}`)) continue;
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to start`);
      await tf.ready();
      const run = await Run.create(spec, data);
      const tfRate = await rate(async (n) => {
        const loss = run.trainer.trainSteps(n);
        await loss.data();
        loss.dispose();
      });
      const snapshotMs = await meanMs(async () => {
        await run.evaluate();
        await run.inspect({ decision: true });
      });
      run.dispose();
      rows.push({ preset: name, engine: `tfjs-${backend}`, stepsPerSecond: tfRate.wall, stepsPerCpuSecond: tfRate.cpu, snapshotMs });
    }
    for (const [engine, kernels] of engines.filter(([e]) => ENGINES.includes(e))) {
      const fused = await FusedRun.create(spec, data, kernels);
      const r = await rate((n) => void fused.trainSteps(n));
      const snapshotMs = await meanMs(() => {
        fused.evaluate();
        fused.inspect({ decision: true });
      });
      rows.push({ preset: name, engine, stepsPerSecond: r.wall, stepsPerCpuSecond: r.cpu, snapshotMs });
    }
  }
  // Session I of the default preset (300 steps of g on its random surface), as a build costs it.
  const p1 = defaultParams();
  const spec1 = specFromParams(p1);
  const data1 = trainingDataFrom2D(datasetFromParams(p1));
  const sessionOne: string[] = [];
  for (const backend of ['cpu', 'wasm'].filter((b) => ENGINES.includes(`tfjs-${b}`))) {
    await tf.setBackend(backend);
    const t0 = performance.now();
    (await Run.create(spec1, data1)).dispose();
    sessionOne.push(`tfjs-${backend} ${(performance.now() - t0).toFixed(0)} ms`);
  }
  for (const [engine, kernels] of engines.filter(([e]) => ENGINES.includes(e))) {
    const t0 = performance.now();
    await FusedRun.create(spec1, data1, kernels);
    sessionOne.push(`${engine} ${(performance.now() - t0).toFixed(0)} ms`);
  }
  console.log(
    'Node',
    process.version,
    `BENCH_MS=${MS}`,
    'load average',
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' '),
  );
  console.log(`build of the default preset with Session I (${p1.pretrain} steps): ${sessionOne.join(' | ')}`);
  console.log('one full snapshot (evaluate + inspect with decision surface), ms:');
  for (const [name] of presets) {
    const cells = rows.filter((r) => r.preset === name).map((r) => `${r.engine} ${r.snapshotMs.toFixed(1)}`);
    console.log(`  ${name}: ${cells.join(' | ')}`);
  }
  for (const key of ['stepsPerSecond', 'stepsPerCpuSecond'] as const) {
    const unit = key === 'stepsPerSecond' ? 'steps per second (wall clock)' : 'steps per CPU second of this process';
    console.log(`${unit}; ratios against ${ENGINES.includes('tfjs-wasm') ? 'tfjs-wasm' : 'tfjs-cpu'}:`);
    for (const [name] of presets) {
      const of = (e: string) => rows.find((r) => r.preset === name && r.engine === e)?.[key] ?? NaN;
      const base = ENGINES.includes('tfjs-wasm') ? of('tfjs-wasm') : of('tfjs-cpu');
      const cells = ENGINES.map((e) => `${e} ${of(e).toFixed(0)}` + (Number.isNaN(base) ? '' : ` (${(of(e) / base).toFixed(1)}x)`));
      console.log(`  ${name}: ${cells.join(' | ')}`);
    }
  }
  console.log(JSON.stringify(rows));
}

await main();
