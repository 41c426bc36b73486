/**
 * Compare mode's switch and form: the header switch enters compare mode with the paper's three
 * models and leaves it again, by mouse and keyboard; the link follows every choice and a compare
 * link opens the view with its choices; a comparison trains: one cell per run with a learned
 * activation that changes as the runs train together, the table's rows, and a click on a cell
 * opens that run on its own.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { blockingTasks, clearLongTasks, observeLongTasks, stepCount, watchErrors } from './helpers';

/** A field of an object by its dotted path ("saddle.learned.rate"). */
function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o === null || o === undefined ? o : (o as Record<string, unknown>)[k]), obj);
}

/** Every number of the summary table, as model -> field -> value (the cells' data-values). */
async function tableNumbers(page: Page): Promise<Record<string, Record<string, unknown>>> {
  return page.getByTestId('compare-table').evaluate((table) => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const row of table.querySelectorAll('tbody tr[data-model]')) {
      const model = row.getAttribute('data-model')!;
      out[model] = {};
      for (const cell of row.querySelectorAll('[data-values]')) Object.assign(out[model], JSON.parse(cell.getAttribute('data-values')!));
    }
    return out;
  });
}

/** The pixels of a cell's learned picture, as a data URL (to see that it changed). */
function cellPicture(page: Page, index: number): Promise<string> {
  return page
    .getByTestId('compare-g')
    .nth(index)
    .locator('canvas.compare-pic')
    .first()
    .evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

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

test('3 models x 4 seeds train together: 4 heatmaps and 4 curves that change, the table equals the export, and a cell opens its run', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await observeLongTasks(page);
  await page.goto('./#compare=twoArg,oneArg,relu&seeds=4');
  await expect(page.getByTestId('compare-run-states')).toHaveText('12 runs: 12 ready', { timeout: 120_000 });
  const cells = page.getByTestId('compare-g');
  await expect(cells).toHaveCount(8);
  await expect(page.locator('[data-testid="compare-g"][data-kind="heatmap"]')).toHaveCount(4);
  await expect(page.locator('[data-testid="compare-g"][data-kind="curve"]')).toHaveCount(4);
  await expect(page.locator('.compare-row[data-model="relu"]')).toContainText('fixed activation, no g');
  await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('compare-row-facts').first()).toContainText(/reference: [\d,]+ params, widths \d/);
  const heatBefore = await cellPicture(page, 0);
  const curveBefore = await cellPicture(page, 4);

  // From here the page only trains and draws: no task may block it.
  await clearLongTasks(page);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(300);
  await page.keyboard.press(' '); // the shortcut pauses all runs
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('compare-run-states')).toHaveText('12 runs: 12 paused');
  await expect.poll(() => cellPicture(page, 0)).not.toBe(heatBefore);
  await expect.poll(() => cellPicture(page, 4)).not.toBe(curveBefore);
  // Every learned g has a verdict now, and the table a finite test accuracy for every model.
  await expect(page.locator('[data-testid="compare-g"][data-kind="heatmap"][data-verdict="building"]')).toHaveCount(0);
  for (const model of ['twoArg', 'oneArg', 'relu']) {
    const acc = page.locator(`[data-testid="compare-table"] tr[data-model="${model}"] td[data-column="acc"]`);
    expect(Number(await acc.getAttribute('data-value'))).toBeGreaterThan(0.5);
  }
  expect(await blockingTasks(page)).toEqual([]);

  // The exported JSON holds the table's numbers exactly (paused: nothing changes in between).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-json').click()]);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as { summary: { models: { model: string }[] } };
  const shown = await tableNumbers(page);
  expect(Object.keys(shown)).toEqual(['twoArg', 'oneArg', 'relu']);
  for (const model of file.summary.models) {
    const fields = shown[model.model];
    expect(Object.keys(fields).length).toBeGreaterThan(3);
    for (const [path, value] of Object.entries(fields))
      expect({ model: model.model, path, value: at(model, path) }).toEqual({ model: model.model, path, value });
  }

  // A cell opens its run in the single-run view, with that run's model and seed in the link.
  const seed = await cells.nth(1).getAttribute('data-seed');
  await cells.nth(1).click();
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
  await expect(page.getByTestId('activation-heatmap')).toBeVisible();
  await expect(page).not.toHaveURL(/compare=/);
  expect(new URL(page.url()).hash).toContain(`seed=${seed}`);
  expect(errors).toEqual([]);
});

test('robustness of a comparison on digits: FGSM for every run with a progress bar, and a PGD test that can be cancelled', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await page.goto('./#compare=twoArg,relu&seeds=2&dataset=digits');
  await expect(page.getByTestId('compare-run-states')).toHaveText('4 runs: 4 ready', { timeout: 180_000 });
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);

  const panel = page.getByTestId('robustness-panel');
  await panel.locator('summary').click();
  await expect(panel).toContainText('[-1, 1] pixel scale');
  await page.getByTestId('robustness-kind').selectOption('fgsm');
  await page.getByTestId('robustness-run').click();
  await expect(page.getByRole('progressbar', { name: 'Robustness test progress' })).toBeVisible();
  await expect(page.getByTestId('robustness-status')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  // One line per model (mean ± sd over its two seeds).
  await expect(page.getByTestId('robustness-chart')).toHaveAttribute('data-lines', '2');

  await page.getByTestId('robustness-kind').selectOption('pgd');
  await page.getByTestId('robustness-pgd-steps').fill('200');
  await page.getByTestId('robustness-run').click();
  await expect(page.getByTestId('robustness-status')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('robustness-cancel').click();
  await expect(page.getByTestId('robustness-status')).toHaveAttribute('data-state', 'cancelled');
  // The runs train again afterwards.
  const before = await stepCount(page);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(before);
  expect(errors).toEqual([]);
});
