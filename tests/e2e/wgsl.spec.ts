/**
 * The WebGPU fused step (src/core/fused/gpu, src/worker/gpu) against the CPU fused engine, on
 * the software adapter (SwiftShader: slow, exact enough). From the same state, 10 steps on the GPU
 * and 10 on the CPU give weights and optimizer slots equal to 1e-4 of the largest value; one
 * dispatch trains several runs, each equal to its own CPU run. Shapes are small: SwiftShader is slow.
 * Then the engine in the app: chosen by link, switched away from, and its device lost.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import type { CheckResult } from '../../src/bench/gpuCheck';
import type { GroupCheckResult } from '../../src/bench/gpuGroupCheck';
import type { CompareModel } from '../../src/core/compare/plan';
import type { GpuGroupStats } from '../../src/worker/gpu/gpuGrouping';
import { readValue, stepCount, waitForFirstHeatmap, watchErrors } from './helpers';

async function runCase(page: Page, name: string): Promise<CheckResult> {
  await page.goto('/gpu-check.html');
  await expect(page.locator('#result')).toHaveText('ready');
  return page.evaluate((n) => window.gpuCheck!(n), name);
}

function expectClose(result: CheckResult, runs: number): void {
  expect(result.runs).toHaveLength(runs);
  for (const run of result.runs) {
    // The copy onto the GPU and back is exact.
    expect(run.roundTrip).toBe(0);
    // The compared steps changed the weights well beyond the tolerance...
    expect(run.moved).toBeGreaterThan(1e-2);
    // ...and both engines changed them the same way.
    expect(run.params).toBeLessThan(1e-4);
    expect(run.slot1).toBeLessThan(1e-4);
    expect(run.slot2).toBeLessThan(1e-4);
    expect(run.loss).toBeLessThan(1e-4);
    expect(run.norm).toBeLessThan(1e-4);
  }
}

for (const [name, runs] of [
  ['twoArg', 1],
  ['relu', 1],
  ['threeRuns', 3],
  ['oneArgPerLayer', 2],
  ['sessionThree', 1],
  ['defaultPreset', 2],
  ['reluMatched', 1],
] as const) {
  test(`WebGPU fused step = CPU fused engine over 10 steps: ${name} (${runs} run${runs > 1 ? 's' : ''} in one dispatch)`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    const result = await runCase(page, name);
    console.log(`${name}: ${JSON.stringify(result)}`);
    // The test machine's adapter is SwiftShader; on a GPU machine this says which one ran.
    expect(result.adapter).not.toBe('');
    expectClose(result, runs);
    expect(errors).toEqual([]);
  });
}

test('the engine API over the GPU step follows the CPU fused engine through live settings, checkpoints, dropout, SGD and Session III', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/gpu-check.html');
  await expect(page.locator('#result')).toHaveText('ready');
  const { phases } = await page.evaluate(() => window.gpuEngineCheck!());
  console.log(JSON.stringify(phases));
  expect(phases.map((p) => p.gpuStep)).toEqual([5, 9, 12, 14, 17, 21, 25]);
  for (const p of phases) {
    expect(p.gpuStep, p.phase).toBe(p.cpuStep);
    expect(p.gpuSession, p.phase).toBe(p.cpuSession);
    expect(p.weights, p.phase).toBeLessThan(1e-4);
  }
  expect(phases.at(-1)?.gpuSession).toBe(3);
  expect(errors).toEqual([]);
});

/** The training worker (the page may run others, e.g. the CSV parser). */
async function trainingWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes('train'))).toBe(true);
  return page.workers().find((w) => w.url().includes('train'))!;
}

test('#backend=webgpu-fused trains the default preset on the GPU step; switching to fused keeps weights and steps', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#backend=webgpu-fused&pretrain=0');
  await waitForFirstHeatmap(page, 120_000);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveText('webgpu-fused');
  // Chosen by hand: auto never picks the software adapter, and the badge says it is one.
  await expect(badge).toHaveAttribute('title', /chosen, using webgpu-fused \(google swiftshader, a software adapter: slow\)/);
  const heatmap = page.getByTestId('activation-heatmap');
  const before = await heatmap.screenshot();
  const lossBefore = await readValue(page, 'train-loss');
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(300);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  expect(await readValue(page, 'train-loss')).toBeLessThan(lossBefore);
  expect((await heatmap.screenshot()).equals(before)).toBe(false);
  const steps = await stepCount(page);
  const loss = await readValue(page, 'train-loss');
  await page.getByTestId('backend-picker').selectOption('fused');
  await expect(badge).toHaveText('fused');
  expect(await stepCount(page)).toBe(steps);
  // Same weights, same evaluation data: the same loss up to float32 rounding.
  expect(Math.abs((await readValue(page, 'train-loss')) - loss)).toBeLessThan(1e-4);
  expect(errors).toEqual([]);
});

test('a lost device under the WebGPU fused step: the run continues on the fused CPU engine from its last checkpoint', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#backend=webgpu-fused&pretrain=0');
  await waitForFirstHeatmap(page, 120_000);
  await expect(page.getByTestId('backend')).toHaveText('webgpu-fused');
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(50);
  const worker = await trainingWorker(page);
  const destroyed = await worker.evaluate(() => {
    const device = (self as unknown as { __fusedGpuDevice?: { destroy(): void } }).__fusedGpuDevice;
    device?.destroy();
    return device !== undefined;
  });
  expect(destroyed).toBe(true);
  const lostAt = await stepCount(page);
  await expect(page.getByTestId('backend')).toHaveText('fused (WebGPU device lost)', { timeout: 30_000 });
  await expect(page.getByTestId('backend')).toHaveAttribute('title', /continued on fused from the last checkpoint/);
  await expect(page.getByTestId('run-status')).toHaveText('training');
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(lostAt + 500);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  expect(errors).toEqual([]);
});

/** Gets the check page ready (as runCase does) and runs compare mode's grouped check there. */
async function runGroupCheck(page: Page, models: string[], seeds: number, steps: number): Promise<GroupCheckResult> {
  await page.goto('/gpu-check.html');
  await expect(page.locator('#result')).toHaveText('ready');
  return page.evaluate(([m, s, n]) => window.gpuGroupCheck!(m as CompareModel[], s, n), [models, seeds, steps] as const);
}

test("compare mode's seeds share one WebGPU dispatch: each run's weights equal the same run alone on the CPU fused engine", async ({
  page,
}) => {
  const errors = watchErrors(page);
  // 2 models x 3 seeds in one worker: two groups of three (a model's seeds together, the models apart).
  const steps = 12;
  const result = await runGroupCheck(page, ['twoArg', 'relu'], 3, steps);
  console.log(JSON.stringify(result));
  expect(result.runs).toHaveLength(6);
  for (const run of result.runs) {
    expect(run.backend, run.runId).toBe('webgpu-fused');
    expect(run.step, run.runId).toBe(steps);
    expect(run.cpuStep, run.runId).toBe(steps);
    expect(run.moved, run.runId).toBeGreaterThan(1e-3);
    expect(run.weights, run.runId).toBeLessThan(1e-4);
    const g = run.gpuGroup!;
    // Three runs per group, and every round of the group trained all three in one submission.
    expect(g.runs, run.runId).toBe(3);
    expect(g.chunks, run.runId).toBe(g.rounds);
    expect(g.runChunks, run.runId).toBe(3 * g.rounds);
    expect(g.submissions, run.runId).toBe(g.rounds);
    expect(g.rounds, run.runId).toBeGreaterThan(0);
  }
  // The two models are two groups: their round counts are their own.
  const twoArg = result.runs.filter((r) => r.runId.startsWith('twoArg')).map((r) => JSON.stringify(r.gpuGroup));
  expect(new Set(twoArg).size).toBe(1);
  expect(errors).toEqual([]);
});

/** Opens a comparison of 3 two-argument seeds on the WebGPU fused step and plays it past `steps`. */
async function playGpuComparison(page: Page, steps: number): Promise<void> {
  await page.goto('/#compare=twoArg&seeds=3&backend=webgpu-fused&pretrain=0');
  await expect(page.getByTestId('compare-run-states')).toHaveText('3 runs: 3 ready', { timeout: 120_000 });
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(steps);
}

test('a compare link on webgpu-fused trains its seeds in lockstep, one GPU dispatch for all the seeds of the model in a worker', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await playGpuComparison(page, 40);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('compare-run-states')).toHaveText('3 runs: 3 paused');
  const dispatch = page.getByTestId('gpu-dispatch');
  // Every run reports the same step (lockstep) and its group's counts.
  const stats = JSON.parse((await dispatch.getAttribute('data-values'))!) as Record<string, GpuGroupStats>;
  expect(Object.keys(stats)).toHaveLength(3);
  const workers = Number(await page.locator('.status-bar .stat', { hasText: 'workers' }).locator('.stat-value').textContent());
  for (const [runId, g] of Object.entries(stats)) {
    // On webgpu-fused each worker takes a block of runs; the seeds of the model in one worker form one group.
    expect(g.runs, runId).toBe(workers === 1 ? 3 : g.runs);
    expect(g.chunks, runId).toBe(g.rounds);
    expect(g.runChunks, runId).toBe(g.runs * g.rounds);
  }
  if (workers === 1) await expect(dispatch.locator('.stat-value')).toHaveText('3');
  expect(errors).toEqual([]);
});

test('a lost device in compare mode on webgpu-fused: every run goes on from its checkpoint on the fused CPU engine, in lockstep', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await playGpuComparison(page, 30);
  await expect(page.getByTestId('gpu-dispatch')).toBeVisible();
  // Every training worker's device (the pool's, and the paused main run's).
  const workers = page.workers().filter((w) => w.url().includes('train'));
  expect(workers.length).toBeGreaterThan(0);
  for (const worker of workers)
    await worker.evaluate(() => (self as unknown as { __fusedGpuDevice?: { destroy(): void } }).__fusedGpuDevice?.destroy());
  const lostAt = await stepCount(page);
  // The runs now train on the CPU fused engine: no GPU group is left to report, and none failed.
  await expect(page.getByTestId('gpu-dispatch')).toHaveCount(0, { timeout: 60_000 });
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(lostAt + 200);
  await expect(page.getByTestId('compare-run-states')).toHaveText('3 runs: 3 training');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('compare-run-states')).toHaveText('3 runs: 3 paused');
  expect(errors).toEqual([]);
});
