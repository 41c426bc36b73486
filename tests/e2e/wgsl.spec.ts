/**
 * The WebGPU fused step (src/core/fused/gpu, src/worker/gpu) against the CPU fused engine, on
 * the software adapter (SwiftShader: slow, exact enough). From the same state, 10 steps on the GPU
 * and 10 on the CPU give weights and optimizer slots equal to 1e-4 of the largest value; one
 * dispatch trains several runs, each equal to its own CPU run. Shapes are small: SwiftShader is slow.
 * Then the engine in the app: chosen by link, switched away from, and its device lost.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import type { CheckResult } from '../../src/bench/gpuCheck';
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
