/**
 * The playground as a user meets it, in Debian's Chromium against the production build:
 * the first heatmap before Play, training that visibly learns, a page that never blocks,
 * every backend, divergence handling, and the screenshot used in the README.
 */
import { expect, test } from '@playwright/test';
import { watchErrors, stepCount, readValue, waitForFirstHeatmap, observeLongTasks, clearLongTasks, blockingTasks } from './helpers';

test('the heatmap is on screen before Play; Play trains, the loss falls and g changes', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitForFirstHeatmap(page);
  const heatmap = page.getByTestId('activation-heatmap');
  await expect(heatmap).toHaveAttribute('data-kind', 'heatmap');
  // auto times the engines: the fused one is ~40x tfjs-wasm on any CPU (tests/e2e/fused.spec.ts).
  await expect(page.getByTestId('backend')).toHaveText('fused');
  expect(await stepCount(page)).toBe(0);
  const before = await heatmap.screenshot();
  const lossBefore = await readValue(page, 'train-loss');
  expect(lossBefore).toBeGreaterThan(0.3);

  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(300);
  await page.getByTestId('play').click(); // pause
  await expect(page.getByTestId('run-status')).toHaveText('paused');

  expect(await readValue(page, 'train-loss')).toBeLessThan(lossBefore / 2);
  await expect(page.getByTestId('loss-chart')).toBeVisible();
  await expect(page.getByTestId('decision-surface')).toBeVisible();
  const after = await heatmap.screenshot();
  expect(after.equals(before)).toBe(false);
  await expect(page.getByTestId('shape-verdict')).toHaveAttribute('data-verdict', /soft-xor|soft-xnor|not-saddle|undecided/);
  // Paused, the worker re-fits the shape on resampled data: the word is then the interval's verdict.
  const certainty = page.getByTestId('verdict-certainty');
  await expect(certainty).toHaveAttribute('data-state', /soft-xor|soft-xnor|not-saddle|undecided/, { timeout: 60_000 });
  const word = await page.getByTestId('shape-verdict').getAttribute('data-verdict');
  expect(await certainty.getAttribute('data-state')).toBe(word);
  await expect(certainty).toContainText('95% interval of the relative determinant');
  expect(Number(await page.getByTestId('verdict-history').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
  expect(errors).toEqual([]);
});

test('training never blocks the page: no main-thread task over 250 ms during 1,000 steps', async ({ page }) => {
  await observeLongTasks(page);
  await page.goto('/');
  await waitForFirstHeatmap(page);
  await page.getByTestId('play').click();
  // Let the first training snapshots arrive, then measure a clean window counted in steps.
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(10);
  await clearLongTasks(page);
  const start = await stepCount(page);
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(start + 1000);
  expect(await blockingTasks(page)).toEqual([]);
});

test('a single step advances by exactly one, and reset starts over', async ({ page }) => {
  await page.goto('/');
  await waitForFirstHeatmap(page);
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(1);
  await page.keyboard.press('s');
  await expect.poll(() => stepCount(page)).toBe(2);
  await page.getByTestId('reset').click();
  await expect.poll(() => stepCount(page)).toBe(0);
});

for (const backend of ['wasm', 'cpu', 'webgl'] as const) {
  test(`training runs when ${backend} is picked`, async ({ page }) => {
    const errors = watchErrors(page);
    // Session I skipped on the slow software backends so the test measures training.
    await page.goto(`/#backend=${backend}&pretrain=0`);
    await expect(page.getByTestId('backend')).toHaveText(backend, { timeout: 60_000 });
    await waitForFirstHeatmap(page);
    await page.getByTestId('play').click();
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(backend === 'webgl' ? 5 : 50);
    await page.getByTestId('play').click();
    expect(await readValue(page, 'train-loss')).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
}

test('WebGPU (software adapter here) trains a few steps when picked', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#backend=webgpu&pretrain=0');
  await expect(page.getByTestId('backend')).toHaveText('webgpu', { timeout: 60_000 });
  await waitForFirstHeatmap(page);
  for (let i = 1; i <= 3; i++) {
    await page.getByTestId('step').click();
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBe(i);
  }
  expect(Number.isFinite(await readValue(page, 'train-loss'))).toBe(true);
  expect(errors).toEqual([]);
});

test('switching backend keeps the weights and the step count', async ({ page }) => {
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  await page.getByTestId('step').click();
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(2);
  const loss = await readValue(page, 'train-loss');
  await page.getByTestId('backend-picker').selectOption('cpu');
  await expect(page.getByTestId('backend')).toHaveText('cpu');
  expect(await stepCount(page)).toBe(2);
  // Same weights, same evaluation data: the same loss up to backend rounding.
  expect(Math.abs((await readValue(page, 'train-loss')) - loss)).toBeLessThan(1e-3);
});

test('a diverging run pauses itself, says why and suggests a lower learning rate', async ({ page }) => {
  await page.goto('/#optimizer=sgd&lr=3&ln=0&pretrain=0');
  await waitForFirstHeatmap(page);
  await page.getByTestId('play').click();
  const notice = page.getByTestId('divergence');
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await expect(notice).toContainText(/lower learning rate/i);
  await expect(page.getByTestId('run-status')).toHaveText('diverged');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  // The last good weights are shown, not NaN.
  expect(Number.isFinite(await readValue(page, 'train-loss'))).toBe(true);
});

test('the README screenshot: g on XOR after training', async ({ page }) => {
  await page.goto('/');
  await waitForFirstHeatmap(page);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(600);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  // The picture taken once the heatmap shows the g of the step the run paused at.
  await expect(page.getByTestId('activation-heatmap')).toHaveAttribute('data-step', String(await stepCount(page)));
  await page.screenshot({ path: 'test-results/playground.png', fullPage: false });
});
