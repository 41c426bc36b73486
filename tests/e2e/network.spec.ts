/**
 * The network view (issue 12 item 4): the layers as columns of unit pictures with weighted
 * links; selecting a unit shows its output over the plane and marks its arguments (a, b) on g;
 * the caption makes the classic point (ReLU needs two units and a product; a saddle g, one).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { stepCount, waitForFirstHeatmap, watchErrors } from './helpers';

/** How many distinct colours a canvas shows (a blank or one-colour picture has 1). */
function distinctColours(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 16) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
}

async function train(page: Page, steps: number): Promise<void> {
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(steps);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
}

test('network view: columns of unit pictures with weighted links; a selected unit shows its output and marks its (a, b) on g', async ({
  page,
}) => {
  const errors = watchErrors(page);
  // A short window: the panel starts well below it (and below the half screen read ahead).
  await page.setViewportSize({ width: 1440, height: 600 });
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  const view = page.getByTestId('network-view');
  // Off screen the worker does not read the view (it costs as much as the rest of a snapshot).
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(0);
  await expect(view).toHaveAttribute('data-shape', '');
  // Scrolled to, the picture comes at once (the run is paused: no training needed).
  await view.scrollIntoViewIfNeeded();
  await expect(view).toHaveAttribute('data-shape', /./);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await expect(view).toBeVisible();
  // The default network: 2 inputs, two layers of 8 two-argument units, one output.
  await expect(view).toHaveAttribute('data-shape', 'twoArg|2|1|8/8|8/8');
  await expect(view.getByRole('img', { name: /^Input x[12]/ })).toHaveCount(2);
  await expect(view.getByRole('button', { name: /^Layer 1, unit \d+: computes g\(a, b\)/ })).toHaveCount(8);
  await expect(view.getByRole('button', { name: /^Layer 2, unit \d+/ })).toHaveCount(8);
  await expect(view.getByRole('img', { name: /^Output/ })).toHaveCount(1);
  await expect(page.getByTestId('network-caption')).toContainText('a ReLU network needs two units and a product-like feature');
  await expect(page.getByTestId('network-caption')).toContainText('a two-argument unit whose g is a saddle computes it alone');

  // Every picture and the links are drawn (more than one colour each).
  const unit = page.getByTestId('net-unit-0-2');
  await expect.poll(() => distinctColours(unit.locator('canvas'))).toBeGreaterThan(5);
  await expect.poll(() => distinctColours(view.locator('canvas.net-links'))).toBeGreaterThan(5);
  await expect.poll(() => distinctColours(view.getByRole('img', { name: /^Output/ }).locator('canvas'))).toBeGreaterThan(2);
  const before = await unit.screenshot();

  await train(page, 300);
  // The unit's picture follows training.
  await expect.poll(async () => (await unit.screenshot()).equals(before)).toBe(false);

  // Nothing selected: no dots on g. Selecting a unit (with the keyboard) shows it large and marks its (a, b) on g.
  const heatmap = page.getByTestId('activation-heatmap');
  await expect(page.getByTestId('unit-detail')).toContainText('Select a unit');
  await expect(heatmap).toHaveAttribute('data-unit-cloud', '0');
  const plain = await heatmap.screenshot();
  await unit.focus();
  await page.keyboard.press('Enter');
  await expect(unit).toHaveAttribute('aria-pressed', 'true');
  const detail = page.getByTestId('unit-detail');
  await expect(detail).toHaveAttribute('data-unit', '0-2');
  await expect(detail.getByRole('heading')).toHaveText('Layer 1 · unit 3');
  await expect(detail).toContainText('straight lines');
  await expect.poll(() => distinctColours(detail.getByRole('img'))).toBeGreaterThan(5);
  // Its arguments for the first 250 training points (xor: 500 samples, half for training).
  await expect(heatmap).toHaveAttribute('data-unit-cloud', '250');
  await expect.poll(async () => (await heatmap.screenshot()).equals(plain)).toBe(false);
  expect(
    await new AxeBuilder({ page })
      .include('[data-panel="network"]')
      .analyze()
      .then((r) => r.violations.map((v) => v.id)),
  ).toEqual([]);

  // Another unit moves the marks; pressing the selected one again clears them.
  const second = page.getByTestId('net-unit-1-0');
  await second.click();
  await expect(detail).toHaveAttribute('data-unit', '1-0');
  await expect(detail).toContainText('a deeper unit');
  await expect(unit).toHaveAttribute('aria-pressed', 'false');
  await second.click();
  await expect(heatmap).toHaveAttribute('data-unit-cloud', '0');
  await expect(detail).toContainText('Select a unit');
  expect(errors).toEqual([]);
});

test('network view of a ReLU network: one line per unit, no g to mark', async ({ page }) => {
  await page.goto('/#model=relu&pretrain=0');
  const view = page.getByTestId('network-view');
  await view.scrollIntoViewIfNeeded();
  await expect(view).toHaveAttribute('data-shape', /^relu\|1\|1\|/, { timeout: 60_000 });
  const unit = view.getByRole('button', { name: /^Layer 1, unit 1: applies relu/ });
  await unit.click();
  await expect(page.getByTestId('unit-detail')).toContainText('cannot make an XOR of two');
  await expect.poll(() => distinctColours(page.getByTestId('unit-detail').getByRole('img'))).toBeGreaterThan(2);
  await expect(page.getByTestId('activation-heatmap')).toHaveAttribute('data-kind', 'fixed');
});
