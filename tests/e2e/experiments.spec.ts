/**
 * The Experiments page: it opens the shipped sweep summary by default and shows the claims, one
 * table row per model, the curves and one g per two-argument run; a hostile or broken summary is
 * refused with reasons and changes nothing on the page.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';
import type { SummaryFile } from '../../src/core/experiment/summaryFile';

const shipped = JSON.parse(readFileSync('public/results/paper-digits/summary.json', 'utf8')) as SummaryFile;

test('the shipped summary opens with its claims, table, curves and the g of every run', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/experiments.html');
  await expect(page.getByTestId('sweep-name')).toContainText(shipped.sweep);
  await expect(page.getByTestId('claims-table').locator('tbody tr')).toHaveCount(shipped.summary.claims.length);
  const rows = page.getByTestId('experiments-table').locator('tbody tr');
  await expect(rows).toHaveCount(shipped.summary.models.length);
  for (const m of shipped.summary.models) {
    const pct = `${(100 * m.finalTestAcc.mean).toFixed(1)}%`;
    await expect(page.locator(`tr[data-model="${m.model}"]`).getByTestId('final-accuracy')).toContainText(pct);
  }
  const withG = shipped.runs.filter((r) => r.gWeights && r.verdictBest);
  await expect(page.getByTestId('experiments-g')).toHaveCount(withG.length);
  // Each g is drawn: its canvas holds more than one colour.
  const colours = await page
    .getByTestId('experiments-g')
    .locator('canvas')
    .evaluateAll((canvases) =>
      canvases.map((c) => {
        const ctx = (c as HTMLCanvasElement).getContext('2d')!;
        const d = ctx.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
      }),
    );
  expect(colours.every((n) => n > 3)).toBe(true);
  await expect(page.getByTestId('experiments-curves').locator('.main-svg').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('the playground links to the Experiments page', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('experiments-link').click();
  await expect(page).toHaveURL(/experiments\.html$/);
  await expect(page.getByTestId('sweep-name')).toContainText(shipped.sweep);
});

test('a hostile or broken summary is refused with reasons and the page keeps what it showed', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/experiments.html');
  await expect(page.getByTestId('sweep-name')).toContainText(shipped.sweep);
  const input = page.getByTestId('summary-input');
  const hostile = JSON.stringify({ ...shipped, __proto__: { polluted: 1 } }).replace('{', '{"__proto__": {"polluted": 1},');
  await input.setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(hostile) });
  await expect(page.getByTestId('summary-errors')).toContainText('hostile.json was not opened');
  await expect(page.getByTestId('summary-errors')).toContainText('__proto__');
  expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();

  const badNumbers = JSON.stringify({ ...shipped, summary: { ...shipped.summary, runs: 'NaN' } });
  await input.setInputFiles({ name: 'numbers.json', mimeType: 'application/json', buffer: Buffer.from(badNumbers) });
  await expect(page.getByTestId('summary-errors')).toContainText('summary.runs');

  await input.setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(21 * 1024 * 1024, 0x20) });
  await expect(page.getByTestId('summary-errors')).toContainText('larger than 20 MB');

  // Nothing changed: the same sweep, the same rows.
  await expect(page.getByTestId('sweep-name')).toContainText(shipped.sweep);
  await expect(page.getByTestId('experiments-table').locator('tbody tr')).toHaveCount(shipped.summary.models.length);
  expect(errors).toEqual([]);
});
