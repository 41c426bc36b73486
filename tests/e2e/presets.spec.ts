/**
 * The paper presets in the page: a `preset=` link applies the authors' settings to every control,
 * then leaves the address bar naming the settings instead; the worker runs the paper's Session I;
 * one click on a preset button does the same, and an unknown preset is reported, not guessed.
 */
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

/** The value a control shows: a select's choice, a number's or list's typed field, a switch's state. */
async function control(page: Page, name: string): Promise<string> {
  const root = page.locator(`[data-param="${name}"]`);
  const select = root.locator('select');
  if ((await select.count()) > 0) return select.inputValue();
  const checkbox = root.locator('input[type="checkbox"]');
  if ((await checkbox.count()) > 0) return String(await checkbox.isChecked());
  return root.locator('input:not([type="range"])').inputValue();
}

async function expectPaperMlp(page: Page, dataset: string, batch: string): Promise<void> {
  const expected: Record<string, string> = {
    dataset,
    model: 'twoArg',
    hidden: '64, 64, 64',
    inner: '64, 64',
    innerAct: 'relu',
    innerShared: 'true',
    ln: 'true',
    match: 'true',
    pretrain: '500',
    sessionOne: 'paper',
    optimizer: 'adam',
    lr: '0.001',
    batch,
    l2: '0',
    dropout: '0.5',
  };
  // Lists compare without spaces ("64, 64" and "64,64" are the same setting).
  for (const [name, value] of Object.entries(expected)) {
    await expect.poll(async () => (await control(page, name)).replace(/\s/g, ''), { message: name }).toBe(value.replace(/\s/g, ''));
  }
}

test('a preset= link applies the paper MLP on digits, runs the paper Session I, and leaves the params in the link', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#preset=paper-digits&seed=5');
  await expectPaperMlp(page, 'digits', '100');
  expect(await control(page, 'seed')).toBe('5');
  // The address bar now names the settings, not the preset.
  await expect(page).toHaveURL(/sessionOne=paper/);
  expect(page.url()).not.toContain('preset=');
  await expect(page.getByTestId('link-corrections')).toHaveCount(0);
  await expect(page.getByTestId('preset-paper-digits')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('preset-sizes')).toContainText('30,027 parameters');
  // The worker fits g with the authors' schedule: 500 epochs of 51 batches.
  await expect(page.getByTestId('dataset-progress')).toContainText('/25500 steps', { timeout: 120_000 });
  expect(errors).toEqual([]);
});

test('one click sets a preset; editing a setting makes them your own; a second click restores it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#seed=3&backend=wasm');
  await expect(page.getByTestId('preset-state')).toContainText('Your own settings');
  await page.getByTestId('preset-paper-fashion').click();
  await expectPaperMlp(page, 'fashion', '200');
  await expect(page.getByTestId('preset-paper-fashion')).toHaveAttribute('aria-pressed', 'true');
  // Matched baselines for 784 inputs: the paper's own table.
  await expect(page.getByTestId('preset-sizes')).toContainText('114·114·114 units, 121,213 parameters');
  await expect(page.getByTestId('preset-sizes')).toContainText('118·118·118 units, 121,904 parameters');
  await expect(page.getByTestId('g-init-session')).toHaveText("Session I: paper's scale");
  // Seed and backend are the user's, not the preset's.
  expect(await control(page, 'seed')).toBe('3');
  await expect(page).toHaveURL(/backend=wasm/);

  await page.locator('[data-param="batch"] input:not([type="range"])').fill('64');
  await page.locator('[data-param="batch"] input:not([type="range"])').press('Enter');
  await expect(page.getByTestId('preset-state')).toContainText('Your own settings');
  await expect(page.getByTestId('preset-paper-fashion')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('preset-paper-fashion').click();
  await expect.poll(() => control(page, 'batch')).toBe('200');
  expect(errors).toEqual([]);
});

test('an unknown preset is named in the corrections and the rest of the link applies', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#preset=paper-cifar&seed=4');
  const notice = page.getByTestId('link-corrections');
  await expect(notice).toContainText('Preset: "paper-cifar" is not a preset (known: paper-digits, paper-fashion)');
  expect(await control(page, 'seed')).toBe('4');
  expect(await control(page, 'dataset')).toBe('xor');
  await expect(page.getByTestId('preset-state')).toContainText('Your own settings');
  expect(page.url()).not.toContain('preset=');
  expect(errors).toEqual([]);
});
