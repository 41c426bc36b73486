/**
 * `npm run bench`: builds the app, serves it, opens headless Chromium and measures, per
 * backend, training steps per second of the default preset and of its parameter-matched ReLU
 * twin (bare loop vs the normal loop with snapshots: the bookkeeping cost), time to the first
 * heatmap in the real app, and main-thread long tasks while training, per view (2D data, image
 * data): the smoothness target is no task over 50 ms (the browser tests only reject real blocking,
 * over 250 ms, since a busy machine stretches ordinary frames). Prints a table and JSON, and
 * writes bench-results/bench.json. A benchmark, not a test: nothing here fails on speed.
 *
 * Options: BENCH_MS (duration of each measurement, default 4000), BENCH_BACKENDS
 * (comma list, default fused,webgpu-fused,webgpu,webgl,wasm,cpu; fused is the fused CPU engine,
 * webgpu-fused its step as WGSL compute shaders, the others tfjs). The WebGPU fused step is also
 * measured training many runs in one group (gpu-check.html), compare mode's workload.
 * The paper's g (2-64-64-1 with hidden 16,16) is measured on fused and wasm when they are listed,
 * and the fused/wasm ratios are printed (issue 9: targets >= 30x default, >= 10x paper g).
 *
 * Compare mode (issue 10): 3 models x 4 seeds of the default preset on the compare backend
 * (BENCH_COMPARE_BACKEND, default fused) in lockstep, for pool sizes 1 and 2 (BENCH_POOLS): time to
 * the first full grid, steps per second per run and in total, against the single-run figures of the
 * three models on the same backend (the reference: pool size x their harmonic mean, what lockstep
 * can reach at best), and against every run of the comparison alone (its model and seed), bare, over
 * the same training steps as the comparison's window: the like-for-like reference, since early steps
 * cost more. For pool sizes above 1, also against those runs alone, as many side by side as the
 * pool has workers: what this machine's cores allow any set of independent runs.
 * BENCH_ONLY=compare runs only these rows (and their single-run references).
 * Then the same comparison on webgpu-fused with one worker (BENCH_COMPARE_GPU=0 skips it): the seeds
 * of each model share one GPU dispatch. On this machine's software adapter (SwiftShader) the row
 * says so; its figures are the software adapter's, not a GPU's.
 * BENCH_ONLY=worker runs only the worker rows of the default preset, its ReLU twin and the paper's g.
 * BENCH_NETWORK=1 reads the network view in every full snapshot (its panel on screen); by default
 * it is not read, as on the app's first screen where the panel is below the fold.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { build, preview } from 'vite';
import { z } from 'zod';
import { chromiumLaunchOptions } from '../tests/e2e/chromium';
import { clearLongTasks, longTasks, observeLongTasks, stepCount, waitForFirstHeatmap } from '../tests/e2e/helpers';
import { defaultParams } from '../src/core/params';
import { countParams } from '../src/core/model/paramCount';
import { specFromParams } from '../src/core/spec';
import { comparePlan } from '../src/core/compare/plan';

const MS = Number(process.env.BENCH_MS ?? 4000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'fused,webgpu-fused,webgpu,webgl,wasm,cpu').split(',');
const ONLY_COMPARE = process.env.BENCH_ONLY === 'compare';
const ONLY_WORKER = process.env.BENCH_ONLY === 'worker';
const NETWORK = process.env.BENCH_NETWORK === '1' ? '&network=1' : '';
const COMPARE_BACKEND = process.env.BENCH_COMPARE_BACKEND ?? 'fused';
const POOLS = (process.env.BENCH_POOLS ?? '1,2').split(',').map(Number);
const COMPARE_MODELS = ['twoArg', 'oneArg', 'relu'] as const;
const COMPARE_SEEDS = 4;
const COMPARE_GPU = process.env.BENCH_COMPARE_GPU !== '0';
const PORT = 4179;
const BASE = `http://127.0.0.1:${PORT}/`;

// What bench.html writes into #result (src/bench/benchMain.ts): the worker's benchmark message
// plus the time to the first snapshot, or the worker's error. Checked, so a changed page fails loudly.
const benchPageResult = z.union([
  z.object({ error: z.string() }),
  z.object({
    poolSize: z.number(),
    runs: z.number(),
    firstFullGridMs: z.number(),
    stepsPerSecondPerRun: z.number(),
    stepsPerSecondTotal: z.number(),
    longestTaskMs: z.number(),
    failed: z.array(z.string()),
    fromStep: z.number(),
    toStep: z.number(),
  }),
  z.object({
    backend: z.string(),
    firstSnapshotMs: z.number().nullable(),
    bareStepsPerSecond: z.number(),
    playingStepsPerSecond: z.number(),
    snapshotsWhilePlaying: z.number(),
    fullSnapshotsWhilePlaying: z.number(),
    durationMs: z.number(),
  }),
]);

interface WorkerRow {
  backend: string;
  model: string;
  activeBackend: string;
  params: number;
  firstSnapshotMs: number | null;
  bareStepsPerSecond: number;
  playingStepsPerSecond: number;
  bookkeepingCostPercent: number;
  snapshotsWhilePlaying: number;
  /** Full snapshots (g, density, decision surface) per second while playing (issue 9: target >= 10). */
  fullSnapshotsPerSecond: number;
}

interface AppRow {
  view: string;
  backend: string;
  firstHeatmapMs: number | null;
  stepsPerSecondShown: number;
  longTasksOver50ms: number;
  longestTaskMs: number;
}

interface CompareRow {
  backend: string;
  poolSize: number;
  runs: number;
  firstFullGridMs: number;
  stepsPerSecondPerRun: number;
  stepsPerSecondTotal: number;
  /** Pool size x the harmonic mean of the three models' single-run steps/s (playing): lockstep's best. */
  referenceTotal: number;
  percentOfReference: number;
  /**
   * Pool size x the harmonic mean of the 12 runs' bare steps/s, each alone, over the same
   * training steps as the comparison's window (fromStep-toStep): a learned-activation model's
   * step costs ~1.5x as much early in training as after step ~10,000, where the single-run rows
   * above are measured, so this is the like-for-like reference; bare (no read-outs at all), so
   * stricter than the playing one by the single run's bookkeeping (null where not measured).
   */
  sameStepsBareReferenceTotal: number | null;
  percentOfSameStepsBare: number | null;
  /**
   * Pool sizes above 1: the same single runs, bare over the same steps, but poolSize of them at
   * once (each in its own page and worker), so they compete for the cores as the pool's workers
   * do. On a machine with as many cores as workers plus the page, this equals the same-steps
   * reference; where it falls short, the machine, not compare mode, sets the ceiling.
   */
  sideBySideAloneTotal: number | null;
  percentOfSideBySideAlone: number | null;
  fromStep: number;
  toStep: number;
  longestTaskMs: number;
}

async function measureWorker(
  browser: Browser,
  backend: string,
  model: 'twoArg' | 'relu' | 'oneArg',
  inner?: string,
  hidden?: string,
): Promise<WorkerRow> {
  const page = await browser.newPage();
  // The software WebGPU adapter is very slow; a shorter run still shows its rate.
  const ms = backend === 'webgpu' || backend === 'webgpu-fused' ? Math.min(MS, 3000) : MS;
  const hash = `backend=${backend}&model=${model}&match=1${inner ? `&inner=${inner}` : ''}${hidden ? `&hidden=${hidden}` : ''}`;
  await page.goto(`${BASE}bench.html?ms=${ms}${NETWORK}#${hash}`);
  await page.waitForSelector('#result[data-done="1"]', { timeout: 180_000 });
  const result = benchPageResult.parse(JSON.parse((await page.textContent('#result')) ?? '{}'));
  await page.close();
  if ('error' in result) throw new Error(`${backend}/${model}: ${result.error}`);
  if (!('backend' in result)) throw new Error(`${backend}/${model}: not a single-run result`);
  const innerWidths = inner ? inner.split(',').map(Number) : defaultParams().inner;
  const hiddenWidths = hidden ? hidden.split(',').map(Number) : defaultParams().hidden;
  const spec = specFromParams({ ...defaultParams(), model, match: true, inner: innerWidths, hidden: hiddenWidths });
  const g = inner ? `two-arg, g 2-${inner.replace(/,/g, '-')}-1` : '';
  return {
    backend,
    model: hidden ? `${g}, hidden ${hidden}` : inner ? g : model === 'twoArg' ? 'two-arg (default)' : `${model} (matched)`,
    activeBackend: result.backend,
    params: countParams(spec.model).total,
    firstSnapshotMs: result.firstSnapshotMs,
    bareStepsPerSecond: result.bareStepsPerSecond,
    playingStepsPerSecond: result.playingStepsPerSecond,
    bookkeepingCostPercent: 100 * (1 - result.playingStepsPerSecond / result.bareStepsPerSecond),
    snapshotsWhilePlaying: result.snapshotsWhilePlaying,
    fullSnapshotsPerSecond: (result.fullSnapshotsWhilePlaying * 1000) / result.durationMs,
  };
}

/**
 * The comparison on `poolSize` workers (bench.html?pool=N); `singles`: the three models' single-run
 * rows on the same backend; `label`: the row's backend as printed (default: the backend).
 */
async function measureCompare(
  browser: Browser,
  poolSize: number,
  singles: WorkerRow[],
  backend = COMPARE_BACKEND,
  label = backend,
): Promise<CompareRow> {
  const page = await browser.newPage();
  const hash = `backend=${backend}&compare=${COMPARE_MODELS.join(',')}&seeds=${COMPARE_SEEDS}`;
  // The software WebGPU adapter is very slow; a shorter run still shows its rate.
  const ms = backend === 'webgpu-fused' ? Math.min(MS, 3000) : MS;
  await page.goto(`${BASE}bench.html?ms=${ms}&pool=${poolSize}#${hash}`);
  await page.waitForSelector('#result[data-done="1"]', { timeout: 300_000 });
  const result = benchPageResult.parse(JSON.parse((await page.textContent('#result')) ?? '{}'));
  await page.close();
  if ('error' in result) throw new Error(`compare pool ${poolSize}: ${result.error}`);
  if (!('poolSize' in result)) throw new Error(`compare pool ${poolSize}: not a compare result`);
  if (result.failed.length) throw new Error(`compare pool ${poolSize}: runs failed: ${result.failed.join('; ')}`);
  const harmonic = singles.length / singles.reduce((sum, r) => sum + 1 / r.playingStepsPerSecond, 0);
  const referenceTotal = result.poolSize * harmonic;
  // Every run of the comparison alone over the window's steps (the software WebGPU adapter: not measured, too slow).
  let sameSteps: number | null = null;
  let pooledAlone: number | null = null;
  if (backend !== 'webgpu-fused') {
    const plans = comparePlan({ ...defaultParams(), compare: [...COMPARE_MODELS], seeds: COMPARE_SEEDS });
    let secondsPerStep = 0;
    for (const plan of plans)
      secondsPerStep += 1 / (await measureOverSteps(browser, backend, plan.model, plan.seed, result.fromStep, result.toStep));
    sameSteps = result.poolSize * (plans.length / secondsPerStep);
    if (result.poolSize > 1) pooledAlone = await aloneSideBySide(browser, backend, plans, result.poolSize, result.fromStep, result.toStep);
  }
  return {
    backend: label,
    poolSize: result.poolSize,
    runs: result.runs,
    firstFullGridMs: result.firstFullGridMs,
    stepsPerSecondPerRun: result.stepsPerSecondPerRun,
    stepsPerSecondTotal: result.stepsPerSecondTotal,
    referenceTotal,
    percentOfReference: (100 * result.stepsPerSecondTotal) / referenceTotal,
    sameStepsBareReferenceTotal: sameSteps,
    percentOfSameStepsBare: sameSteps === null ? null : (100 * result.stepsPerSecondTotal) / sameSteps,
    sideBySideAloneTotal: pooledAlone,
    percentOfSideBySideAlone: pooledAlone === null ? null : (100 * result.stepsPerSecondTotal) / pooledAlone,
    fromStep: result.fromStep,
    toStep: result.toStep,
    longestTaskMs: result.longestTaskMs,
  };
}

/** One run of `model` with `seed` alone: its bare steps/s over training steps `from` to `to` (bench.html?from&to). */
async function measureOverSteps(browser: Browser, backend: string, model: string, seed: number, from: number, to: number): Promise<number> {
  const page = await browser.newPage();
  await page.goto(`${BASE}bench.html?from=${from}&to=${to}${NETWORK}#backend=${backend}&model=${model}&match=1&seed=${seed}`);
  await page.waitForSelector('#result[data-done="1"]', { timeout: 180_000 });
  const result = benchPageResult.parse(JSON.parse((await page.textContent('#result')) ?? '{}'));
  await page.close();
  if ('error' in result) throw new Error(`${backend}/${model} seed ${seed} over steps ${from}-${to}: ${result.error}`);
  if (!('backend' in result)) throw new Error(`${backend}/${model}: not a single-run result`);
  return result.bareStepsPerSecond;
}

/**
 * The comparison's runs alone, bare over steps `from` to `to`, `width` at a time side by side: the
 * total steps/s of `width` lanes, each lane's time per step summed over the runs it got.
 */
async function aloneSideBySide(
  browser: Browser,
  backend: string,
  plans: readonly { model: string; seed: number }[],
  width: number,
  from: number,
  to: number,
): Promise<number> {
  let secondsPerStep = 0;
  for (let i = 0; i < plans.length; i += width) {
    const group = plans.slice(i, i + width);
    const rates = await Promise.all(group.map((p) => measureOverSteps(browser, backend, p.model, p.seed, from, to)));
    secondsPerStep += rates.reduce((sum, r) => sum + 1 / r, 0);
  }
  return width * (plans.length / secondsPerStep);
}

/** The three models' single runs on `backend` (measured unless `workerRows` has them). */
async function singleRuns(browser: Browser, workerRows: WorkerRow[], backend: string): Promise<WorkerRow[]> {
  const singles: WorkerRow[] = [];
  for (const model of COMPARE_MODELS) {
    const known = workerRows.find((r) => r.backend === backend && r.model.startsWith(model === 'twoArg' ? 'two-arg (default)' : model));
    if (known) {
      singles.push(known);
      continue;
    }
    process.stdout.write(`worker ${backend} ${model}... `);
    const row = await measureWorker(browser, backend, model);
    console.log(`${row.playingStepsPerSecond.toFixed(0)} steps/s`);
    singles.push(row);
    workerRows.push(row);
  }
  return singles;
}

/** The browser's WebGPU adapter in words ("google swiftshader, software"), or null without one. */
async function webGpuAdapter(browser: Browser): Promise<string | null> {
  const page = await browser.newPage();
  await page.goto(`${BASE}gpu-check.html`);
  const adapter = await page.evaluate(async () => {
    type Info = { vendor?: string; architecture?: string };
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: Info; isFallbackAdapter?: boolean } | null> } }).gpu;
    const a = await gpu?.requestAdapter();
    if (!a) return null;
    const name = [a.info?.vendor, a.info?.architecture].filter(Boolean).join(' ') || 'unknown adapter';
    return a.isFallbackAdapter || /swiftshader/i.test(name) ? `${name}, software` : name;
  });
  await page.close();
  return adapter;
}

/** The three models' single runs on the compare backend, then the comparison for each pool size (and on webgpu-fused). */
async function compareRows(browser: Browser, workerRows: WorkerRow[]): Promise<CompareRow[]> {
  const singles = await singleRuns(browser, workerRows, COMPARE_BACKEND);
  const rows: CompareRow[] = [];
  for (const size of POOLS) {
    process.stdout.write(`compare ${COMPARE_MODELS.length}x${COMPARE_SEEDS} pool ${size}... `);
    const row = await measureCompare(browser, size, singles);
    console.log(`${row.stepsPerSecondTotal.toFixed(0)} steps/s in total, first full grid ${row.firstFullGridMs.toFixed(0)} ms`);
    rows.push(row);
  }
  if (COMPARE_GPU && COMPARE_BACKEND !== 'webgpu-fused') {
    const adapter = await webGpuAdapter(browser);
    if (adapter === null) console.log('compare on webgpu-fused: no WebGPU adapter, skipped');
    else {
      // Each model's seeds share one GPU dispatch (one worker: all of them in it).
      const gpuSingles = await singleRuns(browser, workerRows, 'webgpu-fused');
      process.stdout.write(`compare ${COMPARE_MODELS.length}x${COMPARE_SEEDS} on webgpu-fused (${adapter}), pool 1... `);
      const row = await measureCompare(browser, 1, gpuSingles, 'webgpu-fused', `webgpu-fused, seeds in one dispatch (${adapter})`);
      console.log(`${row.stepsPerSecondTotal.toFixed(0)} steps/s in total, first full grid ${row.firstFullGridMs.toFixed(0)} ms`);
      rows.push(row);
    }
  }
  return rows;
}

/** The views whose main-thread smoothness is measured: the hash that opens each. */
const VIEWS: Record<string, string> = { '2D': '', images: 'dataset=digits&' };

/** The real app: first heatmap, then 5 s of training with a long-task observer. */
async function measureApp(browser: Browser, view: string, backend: string): Promise<AppRow> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await observeLongTasks(page);
  await page.goto(`${BASE}#${VIEWS[view]}backend=${backend}`);
  await waitForFirstHeatmap(page, 180_000);
  const firstHeatmapMs = await page.evaluate(() => performance.getEntriesByName('first-heatmap')[0]?.startTime ?? null);
  await clearLongTasks(page);
  await page.getByTestId('play').click();
  await page.waitForTimeout(1000);
  const s0 = await stepCount(page);
  const t0 = Date.now();
  await page.waitForTimeout(5000);
  const s1 = await stepCount(page);
  const elapsed = (Date.now() - t0) / 1000;
  const tasks = await longTasks(page);
  await page.close();
  return {
    view,
    backend,
    firstHeatmapMs,
    stepsPerSecondShown: (s1 - s0) / elapsed,
    longTasksOver50ms: tasks.filter((d) => d > 50).length,
    longestTaskMs: Math.max(0, ...tasks),
  };
}

// What gpu-check.html's gpuThroughput returns (src/bench/gpuCheck.ts).
const gpuGroupResult = z.object({
  adapter: z.string(),
  fallback: z.boolean(),
  cpuKernel: z.string(),
  runs: z.number(),
  steps: z.number(),
  gpuStepsPerSecondPerRun: z.number(),
  cpuStepsPerSecondPerRun: z.number(),
});
type GpuGroupRow = z.infer<typeof gpuGroupResult>;

/** Runs of the default preset trained together in one WebGPU group vs one after another on the CPU fused engine. */
async function measureGpuGroup(browser: Browser, runs: number): Promise<GpuGroupRow> {
  const page = await browser.newPage();
  await page.goto(`${BASE}gpu-check.html`);
  await page.waitForFunction(() => document.getElementById('result')?.textContent === 'ready');
  // Fewer steps on a software adapter: its rate shows within a few seconds.
  const steps = 256;
  const row = gpuGroupResult.parse(await page.evaluate(([r, s]) => window.gpuThroughput!(r, s), [runs, steps] as const));
  await page.close();
  return row;
}

/** Per model measured on both, fused bare steps/s over tfjs-wasm's (one run, so the ratio is fair). */
function fusedRatios(rows: WorkerRow[]): { model: string; ratio: number }[] {
  return rows
    .filter((r) => r.backend === 'fused')
    .flatMap((f) => {
      const w = rows.find((r) => r.backend === 'wasm' && r.model === f.model);
      return w ? [{ model: f.model, ratio: f.bareStepsPerSecond / w.bareStepsPerSecond }] : [];
    });
}

function table(rows: object[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]);
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell((r as Record<string, unknown>)[k]).length)));
  const line = (vals: string[]) => '| ' + vals.map((v, i) => v.padEnd(widths[i])).join(' | ') + ' |';
  return [
    line(keys),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => cell((r as Record<string, unknown>)[k])))),
  ].join('\n');
}

async function main() {
  console.log('Building...');
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: PORT, host: '127.0.0.1', strictPort: true }, logLevel: 'warn' });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const workerRows: WorkerRow[] = [];
  const appRows: AppRow[] = [];
  let compare: CompareRow[];
  const gpuRows: GpuGroupRow[] = [];
  try {
    if (!ONLY_COMPARE) await measureAll(browser, workerRows, appRows, gpuRows);
    compare = ONLY_WORKER ? [] : await compareRows(browser, workerRows);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  report(workerRows, appRows, compare, gpuRows);
}

/** Every backend's worker rows, g's size, the paper's g, and the app per view. */
async function measureAll(browser: Browser, workerRows: WorkerRow[], appRows: AppRow[], gpuRows: GpuGroupRow[]): Promise<void> {
  for (const backend of BACKENDS) {
    for (const model of ['twoArg', 'relu'] as const) {
      process.stdout.write(`worker ${backend} ${model}... `);
      const row = await measureWorker(browser, backend, model);
      console.log(`${row.playingStepsPerSecond.toFixed(0)} steps/s`);
      workerRows.push(row);
    }
  }
  // Why g is 16,16 by default: the cost of g's size on the fastest CPU-only backend.
  const innerRows: WorkerRow[] = [];
  for (const inner of ONLY_WORKER ? [] : ['8', '16,16', '32,32', '64,64']) {
    process.stdout.write(`worker wasm g ${inner}... `);
    const row = await measureWorker(browser, 'wasm', 'twoArg', inner);
    console.log(`${row.playingStepsPerSecond.toFixed(0)} steps/s`);
    innerRows.push(row);
  }
  workerRows.push(...innerRows);
  // The paper's g with the paper-like hidden widths: where the fused engine's lead is smallest.
  for (const backend of BACKENDS.filter((b) => b === 'fused' || b === 'wasm')) {
    process.stdout.write(`worker ${backend} paper g... `);
    const row = await measureWorker(browser, backend, 'twoArg', '64,64', '16,16');
    console.log(`${row.playingStepsPerSecond.toFixed(0)} steps/s`);
    workerRows.push(row);
  }
  if (ONLY_WORKER) return;
  const appRuns: [string, string][] = [
    ...['auto', ...BACKENDS.filter((b) => b !== 'webgpu' && b !== 'webgpu-fused')].map((b): [string, string] => ['2D', b]),
    ['images', 'auto'],
  ];
  if (BACKENDS.includes('webgpu-fused')) {
    for (const runs of [1, 12]) {
      process.stdout.write(`gpu group of ${runs}... `);
      const row = await measureGpuGroup(browser, runs);
      console.log(`${row.gpuStepsPerSecondPerRun.toFixed(0)} steps/s per run on ${row.adapter}`);
      gpuRows.push(row);
    }
  }
  for (const [view, backend] of appRuns) {
    process.stdout.write(`app ${view} ${backend}... `);
    const row = await measureApp(browser, view, backend);
    console.log(`first heatmap ${row.firstHeatmapMs?.toFixed(0)} ms, longest task ${row.longestTaskMs.toFixed(0)} ms`);
    appRows.push(row);
  }
}

function report(workerRows: WorkerRow[], appRows: AppRow[], compare: CompareRow[], gpuRows: GpuGroupRow[]): void {
  console.log('\nTraining steps per second, worker only (bare loop vs normal loop with snapshots and checks)\n');
  console.log(table(workerRows));
  const ratios = fusedRatios(workerRows);
  if (ratios.length)
    console.log(`\nfused vs tfjs-wasm, bare steps/s in this run: ${ratios.map((r) => `${r.model} ${r.ratio.toFixed(1)}x`).join(', ')}`);
  console.log(
    '\nThe app per view: time to first heatmap, steps/s shown while playing, main-thread long tasks in 5 s (target: none over 50 ms)\n',
  );
  console.log(table(appRows));
  if (gpuRows.length) {
    console.log(
      '\nThe WebGPU fused step training many runs of the default preset at once, vs the CPU fused engine one run after another\n',
    );
    console.log(table(gpuRows));
  }
  if (compare.length) {
    console.log(
      `\nCompare mode: ${COMPARE_MODELS.join(', ')} x ${COMPARE_SEEDS} seeds in lockstep (reference: pool size x the harmonic mean of their single-run steps/s; target >= 80%)\n`,
    );
    console.log(table(compare));
  }
  const json = {
    date: new Date().toISOString(),
    durationMs: MS,
    userAgent: 'headless chromium',
    worker: workerRows,
    app: appRows,
    fusedVsWasm: ratios,
    compare,
    gpuGroups: gpuRows,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/bench.json', JSON.stringify(json, null, 2));
  console.log('\n' + JSON.stringify(json));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
