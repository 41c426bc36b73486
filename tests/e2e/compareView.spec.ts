/**
 * Compare mode's switch and form: the header switch enters compare mode with the paper's three
 * models and leaves it again, by mouse and keyboard; the link follows every choice and a compare
 * link opens the view with its choices. (The runs themselves are the worker pool's; see its spec.)
 */
import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

test('the header switch enters compare mode with the default models, the form edits the link, and Single run returns', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(page.getByTestId('activation-heatmap')).toBeVisible();
  await expect(page.getByTestId('mode-compare')).toHaveAttribute('aria-pressed', 'false');

  await page.getByTestId('mode-compare').click();
  await expect(page).toHaveURL(/[#&]compare=twoArg,oneArg,relu(&|$)/);
  await expect(page.getByTestId('mode-compare')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  // The single run's columns give way; the shared settings and the run buttons stay.
  await expect(page.getByTestId('activation-heatmap')).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page.getByTestId('step-count')).toBeVisible();
  await expect(page.locator('.compare-view .compare-actions')).toHaveCount(1);

  // Models and seeds: the link follows; the last model cannot be removed.
  await page.getByTestId('compare-model-oneArg').uncheck();
  await expect(page).toHaveURL(/[#&]compare=twoArg,relu(&|$)/);
  await page.getByTestId('compare-seeds').selectOption('2');
  await expect(page).toHaveURL(/[#&]seeds=2(&|$)/);
  await page.getByTestId('compare-model-relu').uncheck();
  await expect(page).toHaveURL(/[#&]compare=twoArg(&|$)/);
  await expect(page.getByTestId('compare-model-twoArg')).toBeDisabled();

  // Back to one run from the keyboard.
  await page.getByTestId('mode-single').focus();
  await page.keyboard.press('Enter');
  await expect(page).not.toHaveURL(/compare=/);
  await expect(page.getByTestId('activation-heatmap')).toBeVisible();
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a compare link opens compare mode with its models and seeds chosen', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./#compare=relu,twoArg&seeds=3');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('compare-model-relu')).toBeChecked();
  await expect(page.getByTestId('compare-model-twoArg')).toBeChecked();
  await expect(page.getByTestId('compare-model-oneArg')).not.toBeChecked();
  await expect(page.getByTestId('compare-seeds')).toHaveValue('3');
  // In compare mode the single model is not a setting: it says why.
  await expect(page.getByLabel('Model', { exact: true })).toBeDisabled();
  expect(errors).toEqual([]);
});
