/** What every browser test needs: error watching and reading the app's status line. */
import type { Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions for the whole test. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function stepCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('step-count').first().textContent())?.replace(/\D/g, '') || 0);
}

/** A read-out's value: its full-precision data-value when present, else its text ("97.3%" -> 0.973). */
export async function readValue(page: Page, testId: string): Promise<number> {
  const el = page.getByTestId(testId).first();
  const exact = await el.getAttribute('data-value');
  if (exact !== null) return Number(exact);
  const text = ((await el.textContent()) ?? '').trim();
  return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
}

/** Waits until the run has been built and drawn (the first heatmap is on screen). */
export async function waitForFirstHeatmap(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => performance.getEntriesByName('first-heatmap').length > 0, null, { timeout });
}

type LongTaskWindow = { __longTasks: number[] };

/** Runs in the page: collects long-task durations into window.__longTasks. */
function recordLongTasks(): void {
  const w = window as unknown as LongTaskWindow;
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push(e.duration);
  }).observe({ type: 'longtask' });
}

/** Records main-thread long tasks from page load on (call before goto). */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(recordLongTasks);
}

/** Records main-thread long tasks from now on, in a page already open. */
export async function observeLongTasksNow(page: Page): Promise<void> {
  await page.evaluate(recordLongTasks);
}

/** Forgets the long tasks recorded so far (to measure a clean window). */
export async function clearLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as LongTaskWindow).__longTasks = []));
}

/** Durations (ms) of the long tasks recorded since observing or clearing. */
export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as LongTaskWindow).__longTasks);
}

/**
 * A main-thread task this long means real blocking: work that belongs in the worker ran on the
 * page's thread. Smoothness (no task over 50 ms) depends on how busy the machine is, so that
 * target is measured by `npm run bench` (count and longest task per view), not asserted here:
 * on a loaded 2-core CI machine ordinary 20 ms frames stretch to 55-75 ms.
 */
export const BLOCKING_TASK_MS = 250;

/** The long tasks recorded since observing or clearing that count as blocking the page. */
export async function blockingTasks(page: Page): Promise<number[]> {
  return (await longTasks(page)).filter((d) => d > BLOCKING_TASK_MS);
}
