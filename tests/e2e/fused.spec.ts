/**
 * The fused CPU engine in the app: picked by link, picked by auto from its measured speed,
 * switched to and from tfjs keeping the run, and taking over when the WebGPU device is lost.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { readValue, stepCount, waitForFirstHeatmap, watchErrors } from './helpers';

/** The training worker (the page may run others, e.g. the CSV parser). */
async function trainingWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes('train'))).toBe(true);
  return page.workers().find((w) => w.url().includes('train'))!;
}

test('#backend=fused trains: the step count rises, the loss falls and g changes', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#backend=fused');
  await waitForFirstHeatmap(page);
  await expect(page.getByTestId('backend')).toHaveText('fused');
  await expect(page.getByTestId('backend')).toHaveAttribute('title', /chosen, using fused/);
  const heatmap = page.getByTestId('activation-heatmap');
  const before = await heatmap.screenshot();
  const lossBefore = await readValue(page, 'train-loss');
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(2000);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  expect(await readValue(page, 'train-loss')).toBeLessThan(lossBefore / 2);
  expect((await heatmap.screenshot()).equals(before)).toBe(false);
  expect(errors).toEqual([]);
});

test('auto times the engines, picks fused here, and the badge gives the measured steps/s of each', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitForFirstHeatmap(page);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveText('fused');
  // The software WebGPU adapter is not timed (50-80x slower than wasm, shared/browser.md).
  const reason = (await badge.getAttribute('title')) ?? '';
  expect(reason).toMatch(/^auto: fused [\d,]+ steps\/s, wasm [\d,]+, webgpu n\/a/);
  const [fused, wasm] = [...reason.matchAll(/(fused|wasm) ([\d,]+)/g)].map((m) => Number(m[2].replace(/,/g, '')));
  expect(fused).toBeGreaterThan(wasm);
  expect(wasm).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('switching fused -> wasm -> fused keeps the weights and the step count', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#backend=fused&pretrain=0');
  await waitForFirstHeatmap(page);
  await expect(page.getByTestId('backend')).toHaveText('fused');
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(3);
  const loss = await readValue(page, 'train-loss');
  await page.getByTestId('backend-picker').selectOption('wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 30_000 });
  expect(await stepCount(page)).toBe(3);
  // Same weights, same evaluation data: the same loss up to float32 rounding.
  expect(Math.abs((await readValue(page, 'train-loss')) - loss)).toBeLessThan(1e-4);
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(4);
  const lossOnWasm = await readValue(page, 'train-loss');
  await page.getByTestId('backend-picker').selectOption('fused');
  await expect(page.getByTestId('backend')).toHaveText('fused');
  expect(await stepCount(page)).toBe(4);
  expect(Math.abs((await readValue(page, 'train-loss')) - lossOnWasm)).toBeLessThan(1e-4);
  expect(errors).toEqual([]);
});

test('a lost WebGPU device: the run continues on the fused engine from its last checkpoint, no reload', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  // The software adapter is never picked by auto: pick WebGPU explicitly.
  await page.goto('/#backend=webgpu&pretrain=0');
  await waitForFirstHeatmap(page, 120_000);
  await expect(page.getByTestId('backend')).toHaveText('webgpu', { timeout: 60_000 });
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(5);
  const worker = await trainingWorker(page);
  // Inside the worker: tfjs's engine is the global _tfengine; its webgpu backend holds the device.
  const destroyed = await worker.evaluate(() => {
    const engine = (self as unknown as { _tfengine?: { registry: Record<string, { device?: { destroy(): void } }> } })._tfengine;
    const device = engine?.registry.webgpu?.device;
    device?.destroy();
    return device !== undefined;
  });
  expect(destroyed).toBe(true);
  const lostAt = await stepCount(page);
  await expect(page.getByTestId('backend')).toHaveText('fused (WebGPU device lost)', { timeout: 30_000 });
  await expect(page.getByTestId('backend')).toHaveAttribute('title', /continued on fused from the last checkpoint/);
  // Still playing: the count goes on from the checkpoint (at step >= 0, taken before the loss) well past it.
  await expect(page.getByTestId('run-status')).toHaveText('training');
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(lostAt + 500);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  expect(errors).toEqual([]);
});
