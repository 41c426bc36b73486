/**
 * The training worker runs out of memory. In Chromium that takes the whole tab down ("Aw, Snap!"),
 * so nothing in the page can restore the run; what survives is the checkpoint the page saved.
 * Opening the link again offers to continue from it. The JavaScript heap is made small for this
 * browser only, so the injected allocation loop (from the test, inside the worker) ends quickly.
 */
import { expect, test, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { stepCount, waitForFirstHeatmap, watchErrors } from './helpers';

/** The steps of the checkpoints the page has saved for after a crash (read from its IndexedDB). */
function savedSteps(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const open = indexedDB.open('soft-xor-playground');
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('crashSaves')) return resolve([]);
          const all = db.transaction('crashSaves').objectStore('crashSaves').getAll();
          all.onsuccess = () => resolve((all.result as { checkpoint: { step: number } }[]).map((s) => s.checkpoint.step));
        };
        open.onerror = () => resolve([]);
      }),
  );
}

const launch = chromiumLaunchOptions();
test.use({ launchOptions: { ...launch, args: [...launch.args, '--js-flags=--max-old-space-size=256'] } });

test('a worker that runs out of memory takes the tab down; opening the link again offers its last checkpoint, and continues from it', async ({
  page,
  context,
}) => {
  await page.goto('/#seed=5&pretrain=0');
  await waitForFirstHeatmap(page);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(200);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const paused = await stepCount(page);
  await expect.poll(async () => Math.max(0, ...(await savedSteps(page)))).toBeGreaterThanOrEqual(paused);
  const hash = await page.evaluate(() => location.hash);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(paused + 50);

  await expect.poll(() => page.workers().some((w) => w.url().includes('train.worker'))).toBe(true);
  const worker = page.workers().find((w) => w.url().includes('train.worker'))!;
  const crashed = page.waitForEvent('crash');
  await worker.evaluate(() => {
    const hog: number[][] = [];
    setTimeout(() => {
      for (;;) hog.push(new Array<number>(1_000_000).fill(0.5));
    }, 0);
  });
  await crashed;

  const again = await context.newPage();
  const errors = watchErrors(again);
  await again.goto(`/${hash}`);
  await waitForFirstHeatmap(again);
  const offer = again.getByTestId('crash-offer');
  await expect(offer).toContainText('closed unexpectedly');
  const saved = Number(await offer.getAttribute('data-step'));
  // At least the checkpoint of the pause (a later one when a periodic save came before the crash).
  expect(saved).toBeGreaterThanOrEqual(paused);
  await offer.getByTestId('crash-continue').click();
  await expect(offer).toHaveCount(0);
  await expect.poll(() => stepCount(again)).toBe(saved);
  await again.getByTestId('step').click();
  await expect.poll(() => stepCount(again)).toBe(saved + 1);
  await again.getByTestId('play').click();
  await expect.poll(() => stepCount(again), { timeout: 60_000 }).toBeGreaterThan(saved + 50);
  expect(await again.evaluate(() => location.hash)).toBe(hash);
  expect(errors).toEqual([]);
});

test('a page closed normally (a reload) offers nothing', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#seed=5&pretrain=0');
  await waitForFirstHeatmap(page);
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(1);
  // Saved: without the mark of a normal close, the reloaded page would offer it.
  await expect.poll(() => savedSteps(page)).toEqual([1]);
  await page.reload();
  await waitForFirstHeatmap(page);
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(1);
  await expect(page.getByTestId('crash-offer')).toHaveCount(0);
  expect(errors).toEqual([]);
});
