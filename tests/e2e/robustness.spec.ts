/**
 * The robustness panel on the UCI digits, in Debian's Chromium against the production build:
 * train a little, run FGSM (progress bar, then a finished chart with one line whose accuracy
 * falls with eps, training going on afterwards), then start a long PGD test and cancel it (the
 * panel says so and training resumes). No page errors.
 */
import { expect, test, type Page } from '@playwright/test';
import { stepCount, watchErrors } from './helpers';

/** The accuracies in the panel's table of values (one column: the single run's model). */
async function tableValues(page: Page): Promise<number[]> {
  return page
    .getByTestId('robustness-table')
    .locator('td')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
}

test('FGSM on digits completes with a chart; a PGD test can be cancelled and training resumes', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.goto('/#dataset=digits');
  await expect(page.getByTestId('run-status')).toHaveText('ready', { timeout: 90_000 });

  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(100);

  const panel = page.getByTestId('robustness-panel');
  await panel.locator('summary').click();
  await expect(panel).toHaveAttribute('open', '');
  await expect(panel).toContainText('[-1, 1] pixel scale');
  await page.getByTestId('robustness-kind').selectOption('fgsm');
  await page.getByTestId('robustness-run').click();

  const progress = page.getByRole('progressbar', { name: 'Robustness test progress' });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('data-testid', 'robustness-progress');
  await expect(page.getByTestId('robustness-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('robustness-status')).toContainText('FGSM on 297 test examples');
  await expect(page.getByTestId('robustness-chart')).toHaveAttribute('data-lines', '1');
  const values = await tableValues(page);
  // The default image grid: eps 0, 0.03, ..., 0.3.
  expect(values).toHaveLength(11);
  for (const v of values) expect(v).toBeGreaterThanOrEqual(0);
  expect(values[0]).toBeGreaterThan(0.3); // a model trained 100+ steps beats chance (10%)
  expect(values[10]).toBeLessThan(values[0]); // eps 0.3 hurts
  await expect(page.getByTestId('robustness-cancel')).toHaveCount(0);
  // Training went on after the test.
  const afterFgsm = await stepCount(page);
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(afterFgsm);

  // A long PGD test (100 steps per size), cancelled while it runs.
  await page.getByTestId('robustness-kind').selectOption('pgd');
  await page.getByTestId('robustness-pgd-steps').fill('100');
  await page.getByTestId('robustness-run').click();
  await expect(page.getByTestId('robustness-status')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('robustness-run')).toBeDisabled();
  await page.getByTestId('robustness-cancel').click();
  await expect(page.getByTestId('robustness-status')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.getByTestId('robustness-status')).toHaveText('Cancelled.');
  await expect(page.getByTestId('robustness-cancel')).toHaveCount(0);
  // The cancelled test left no curve; training resumes, and a new test may start.
  await expect(page.getByTestId('robustness-chart')).toHaveAttribute('data-lines', '0');
  await expect(page.getByTestId('robustness-run')).toBeEnabled();
  const afterCancel = await stepCount(page);
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(afterCancel);
  await expect(page.getByTestId('run-status')).toHaveText('training');
  expect(errors).toEqual([]);
});
