/**
 * Session III tells its story (issue 12 item 6): after Freeze g the loss chart marks and labels
 * the step, the accuracy with the frozen g stands beside the accuracy before, and all of it
 * (g still frozen) survives a backend switch.
 */
import { expect, test, type Page } from '@playwright/test';
import { readValue, stepCount, waitForFirstHeatmap, watchErrors } from './helpers';

/** g at a few points of the heatmap, read from its hover read-out ("g 0.123"). */
async function gSamples(page: Page): Promise<string[]> {
  const frame = page.getByTestId('activation-heatmap');
  const box = (await frame.boundingBox())!;
  const out: string[] = [];
  for (const [fx, fy] of [
    [0.3, 0.3],
    [0.5, 0.5],
    [0.7, 0.6],
  ]) {
    await page.mouse.move(box.x + fx * box.width, box.y + fy * box.height);
    const tip = frame.locator('.hover-tip');
    await expect(tip).toContainText(/g -?\d/);
    out.push((await tip.innerText()).trim());
  }
  await page.mouse.move(0, 0);
  return out;
}

async function train(page: Page, steps: number): Promise<void> {
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(steps);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
}

test('Freeze g: a labelled line on the loss chart, accuracy before and after, kept across a backend switch', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  await train(page, 300);
  // One Step measures the metrics at this very step (a pause keeps the last ones measured).
  const paused = await stepCount(page);
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(paused + 1);
  const frozenAt = paused + 1;
  const accuracyBefore = await readValue(page, 'test-accuracy');
  await expect(page.getByTestId('session-three-story')).toHaveCount(0);

  await page.getByTestId('session-three').click();
  const story = page.getByTestId('session-three-story');
  await expect(story).toBeVisible();
  await expect(story).toContainText(`g frozen at step ${frozenAt.toLocaleString('en-US')}`);
  // The accuracy with the learned g is the one the read-out showed when g was frozen.
  expect(await readValue(page, 'session-three-before')).toBeCloseTo(accuracyBefore, 6);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-session-mark', String(frozenAt));
  await expect(page.getByTestId('session-badge')).toHaveText('session III');
  await expect(page.getByTestId('session-three')).toBeDisabled();

  // Retrained with the frozen g, the accuracy beside it moves on from the fresh network's.
  await train(page, frozenAt + 200);
  await expect(story).toContainText(/with g frozen, [\d,]+ steps on/);
  const after = await readValue(page, 'session-three-after');
  expect(after).toBeCloseTo(await readValue(page, 'test-accuracy'), 6);
  const g = await gSamples(page);

  // A backend switch keeps all of it: the badge, g frozen (Freeze g stays off), the line and the numbers.
  const stepsBefore = await stepCount(page);
  await page.getByTestId('backend-picker').selectOption('wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByTestId('session-badge')).toHaveText('session III');
  await expect(page.getByTestId('session-three')).toBeDisabled();
  await expect(page.getByTestId('session-three')).toHaveText('g frozen');
  expect(await stepCount(page)).toBe(stepsBefore);
  expect(await readValue(page, 'session-three-before')).toBeCloseTo(accuracyBefore, 6);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-session-mark', String(frozenAt));
  // g stays frozen on the new backend: more training leaves it as it was.
  await train(page, stepsBefore + 100);
  expect(await gSamples(page)).toEqual(g);
  expect(errors).toEqual([]);
});
