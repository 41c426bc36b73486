/**
 * Ready for the lecture hall (issue 12): zero axe-core violations on every view a class sees,
 * keyboard use, and the layout's geometry on projectors and phones, asserted from bounding boxes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { fullSnapshotDueStep } from '../../src/worker/pacing';
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

test('keyboard: a skip link to the picture; shortcuts work after Escape leaves a select; one arrow press moves the learning rate', async ({
  page,
}) => {
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

/** The element's box lies wholly inside the viewport (nothing cut, no scrolling needed). */
async function expectInViewport(page: Page, testId: string, what: string): Promise<{ width: number; height: number }> {
  const box = await page.getByTestId(testId).first().boundingBox();
  const vp = page.viewportSize()!;
  expect(box, `${what}: ${testId} is laid out`).not.toBeNull();
  const b = box!;
  expect(b.width * b.height, `${what}: ${testId} has an area`).toBeGreaterThan(0);
  expect(b.x, `${what}: ${testId} left`).toBeGreaterThanOrEqual(0);
  expect(b.y, `${what}: ${testId} top`).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width, `${what}: ${testId} right`).toBeLessThanOrEqual(vp.width + 0.5);
  expect(b.y + b.height, `${what}: ${testId} bottom`).toBeLessThanOrEqual(vp.height + 0.5);
  return b;
}

for (const [width, height] of [
  [1280, 720],
  [1366, 768],
] as const) {
  test(`projector ${width}x${height}: g (>= 360 px), the loss chart and the verdict without scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/#pretrain=0');
    await waitForFirstHeatmap(page);
    const g = await expectInViewport(page, 'activation-heatmap', 'normal view');
    expect(Math.min(g.width, g.height)).toBeGreaterThanOrEqual(360);
    await expectInViewport(page, 'loss-chart', 'normal view');
    await expectInViewport(page, 'shape-verdict', 'normal view');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
  });
}

for (const [width, height] of [
  [1024, 576],
  [1280, 720],
  [1920, 1080],
  [3840, 2160],
] as const) {
  test(`presentation mode at ${width}x${height} fits the screen, nothing cut`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/#pretrain=0');
    await waitForFirstHeatmap(page);
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveAttribute('data-present', '');
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(height);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    for (const id of ['activation-heatmap', 'loss-chart', 'shape-verdict', 'play', 'timeline'])
      await expectInViewport(page, id, 'presentation');
    const g = await expectInViewport(page, 'activation-heatmap', 'presentation');
    expect(Math.min(g.width, g.height), 'g is the largest thing on screen').toBeGreaterThan(height / 3);
    // The loss chart is a chart, not a sliver squeezed out by its read-outs.
    const loss = await expectInViewport(page, 'loss-chart', 'presentation');
    expect(loss.height, 'the loss chart has room for its axes').toBeGreaterThanOrEqual(120);
    if (width === 1280) {
      // Axis, tick and colour-bar labels are readable from the back of the room.
      const gTick = page.getByTestId('activation-heatmap').locator('.xtick text').first();
      await expect.poll(() => gTick.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(18);
      const barTick = page.locator('.colour-bar-ticks span').first();
      expect(await barTick.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(18);
      await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-tick-px'))).toBeGreaterThanOrEqual(18);
    }
  });
}

test('the first screen explains itself: a prompt by Play that follows the run, "untrained" at step 0, details folded, the explanation one click away', async ({
  page,
}) => {
  await page.goto('/#seed=7');
  await waitForFirstHeatmap(page);
  const prompt = page.getByTestId('play-prompt');
  await expect(prompt).toHaveText('Press Play and watch g(a, b) become a saddle.');
  await expect(prompt).toBeInViewport();
  const verdict = page.getByTestId('shape-verdict');
  await expect(verdict).toHaveText('untrained');
  await expect(verdict).toHaveAttribute('data-verdict', 'untrained');
  // The numbers of the fit wait behind "details".
  await expect(page.getByTestId('hessian-det')).toBeHidden();
  await page.getByTestId('verdict-details').locator('summary').click();
  await expect(page.getByTestId('hessian-det')).toBeVisible();

  await page.getByTestId('play').click();
  await expect(prompt).not.toHaveText('Press Play and watch g(a, b) become a saddle.');
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(0);
  await expect(verdict).not.toHaveText('untrained');
  await expect(verdict).toHaveAttribute('data-verdict', /soft-xor|soft-xnor|not-saddle/);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await expect(prompt).toHaveText(/Paused|soft XOR/);

  // The explanation is a jump within the page: the settings, the address and the run stay.
  const steps = await stepCount(page);
  await page.getByTestId('explain-link').click();
  await expect(page.getByRole('heading', { name: 'What am I looking at?' })).toBeInViewport();
  await expect.poll(() => page.url()).toContain('seed=7');
  expect(await stepCount(page)).toBe(steps);
  await expect(page.getByTestId('link-corrections')).toHaveCount(0);
});

for (const [width, height] of [
  [360, 740],
  [390, 844],
] as const) {
  test(`phone ${width}x${height}: nothing overflows sideways; every button is named on screen`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/#pretrain=0');
    await waitForFirstHeatmap(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
    await expect(page.getByTestId('theme-toggle')).toBeInViewport();
    await expect(page.getByTestId('session-three')).toHaveText('Freeze g');
    const buttons = page.locator('button:visible');
    const count = await buttons.count();
    expect(count).toBeGreaterThan(5);
    for (let i = 0; i < count; i++) {
      const button = buttons.nth(i);
      const text = ((await button.innerText()) ?? '').trim();
      if (text.length > 1) continue;
      // An icon button shows its name as a tooltip when focused (and on hover); a "?" its help.
      await button.focus();
      const tipShown = await button.evaluate((e) => {
        const own = getComputedStyle(e, '::after').content;
        if (!/^(none|normal|)$/.test(own)) return true;
        const help = document.getElementById(e.getAttribute('aria-describedby') ?? '');
        return help?.getAttribute('role') === 'tooltip' && help.checkVisibility();
      });
      expect(tipShown, `button ${i} (${await button.getAttribute('aria-label')})`).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), 'a tooltip stays on screen').toBe(width);
    }
  });
}

test('theme: one click always changes what is seen; auto stays in the menu', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/#pretrain=0');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const start = await bg();
  await page.getByTestId('theme-toggle').click();
  await expect.poll(bg).not.toBe(start);
  const dark = await bg();
  await page.getByTestId('theme-toggle').click();
  await expect.poll(bg).not.toBe(dark);
  await page.getByTestId('theme-menu').selectOption('auto');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  await expect.poll(bg).toBe(start);
});

test('settings scroll on their own: the last setting is reachable while g stays on screen', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  const lr = page.getByRole('slider', { name: 'Learning rate' });
  await lr.scrollIntoViewIfNeeded();
  await expect(lr).toBeInViewport();
  await expectInViewport(page, 'activation-heatmap', 'with the training settings in view');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('axe-core finds no violations in compare mode: the grid, curves, table and robustness panel, paused after training', async ({
  page,
}) => {
  await page.goto('/#compare=twoArg,oneArg,relu&seeds=2&pretrain=0');
  await expect(page.getByTestId('compare-run-states')).toHaveText('6 runs: 6 ready', { timeout: 120_000 });
  await expect(page.getByTestId('compare-g')).toHaveCount(4);
  expect(await violations(page), 'compare mode, untrained').toEqual([]);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(100);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('compare-run-states')).toHaveText('6 runs: 6 paused');
  expect(await violations(page), 'compare mode, trained').toEqual([]);
});

test('no hidden layer: the page says there is no g and Freeze g is off', async ({ page }) => {
  await page.goto('/#hidden=&pretrain=0');
  await expect(page.getByTestId('shape-verdict')).toHaveText('No hidden layer, so no g');
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(5);
  await expect(page.getByTestId('shape-verdict')).toHaveText('No hidden layer, so no g');
  await expect(page.getByTestId('play-prompt')).toContainText('No hidden layer, so no g');
  await expect(page.getByTestId('session-three')).toBeDisabled();
  await expect(page.locator('[data-panel="activation"] .caption')).toContainText('No hidden layer, so no g');
});

/** Records every snapshot a page's training worker sends (step, and the step of its g when it carries one): the cadence in steps. */
function recordSnapshots() {
  type Seen = { step: number; gStep: number | null; status: string };
  const w = window as unknown as { __snapshots: Seen[]; Worker: typeof Worker };
  w.__snapshots = [];
  const Native = w.Worker;
  w.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (e: MessageEvent) => {
        const d = e.data as { type?: string; snapshot?: { step: number; partial: boolean; status: string; g: { step?: number } | null } };
        if (d?.type !== 'snapshot' || !d.snapshot) return;
        const s = d.snapshot;
        w.__snapshots.push({ step: s.step, gStep: s.partial ? null : (s.g?.step ?? null), status: s.status });
      });
    }
  };
}

test('three playing embeds on one page each train and redraw their own heatmap, with the verdict word and Reset', async ({ page }) => {
  await page.addInitScript(recordSnapshots);
  await page.setViewportSize({ width: 1300, height: 900 });
  await page.goto('/');
  const src = new URL('/#embed=1&pretrain=0', page.url()).toString();
  await page.setContent(
    [1, 2, 3].map((i) => `<iframe title="embed ${i}" src="${src}&seed=${i}" width="640" height="280" style="border:0"></iframe>`).join(''),
  );
  const frames = [1, 2, 3].map((i) => page.frameLocator(`iframe[title="embed ${i}"]`));
  for (const f of frames) await expect(f.getByTestId('shape-verdict')).toHaveText('untrained', { timeout: 60_000 });
  for (const f of frames) await expect(f.getByTestId('activation-heatmap')).toHaveAttribute('data-step', '0');
  const before = await Promise.all(frames.map((f) => f.getByTestId('activation-heatmap').screenshot()));
  for (const f of frames) await f.getByTestId('play').click();
  for (const [i, f] of frames.entries()) {
    const heatmap = f.getByTestId('activation-heatmap');
    await expect
      .poll(async () => Number((await f.getByTestId('step-count').textContent()) ?? 0), { timeout: 120_000 })
      .toBeGreaterThan(300);
    // While it still plays, the heatmap has drawn a g trained past step 0 (the worker sends one by step 200 at the latest).
    await expect.poll(async () => Number(await heatmap.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect(f.getByTestId('shape-verdict')).not.toHaveText('untrained');
    await f.getByTestId('play').click();
    await expect(f.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
    // Paused: the last full snapshot (at the final step) is the one drawn, so the heatmap's g is the step shown.
    await expect
      .poll(async () => (await heatmap.getAttribute('data-step')) === (await f.getByTestId('step-count').textContent()))
      .toBe(true);
    expect((await heatmap.screenshot()).equals(before[i])).toBe(false);
    // In steps, whatever the machine's speed: no snapshot came more than the bound past the last new g.
    const frame = await (await page.locator(`iframe[title="embed ${i + 1}"]`).elementHandle()).contentFrame();
    const seen = await frame!.evaluate(
      () => (window as unknown as { __snapshots: { step: number; gStep: number | null; status: string }[] }).__snapshots,
    );
    expect(seen.filter((s) => s.status === 'running').length).toBeGreaterThan(0);
    let lastG = 0;
    const late: string[] = [];
    for (const s of seen) {
      if (s.gStep !== null) lastG = s.gStep;
      if (s.step > fullSnapshotDueStep(lastG)) late.push(`step ${s.step} with g from step ${lastG}`);
    }
    expect(late, `embed ${i + 1}: snapshots without a new g for too many steps`).toEqual([]);
  }
  await frames[0].getByTestId('reset').click();
  await expect(frames[0].getByTestId('step-count')).toHaveText('0');
  await expect(frames[0].getByTestId('shape-verdict')).toHaveText('untrained');
});

test('lock scale: on by default during replay, keeps the colour range while training goes on; the thumbnail shows its range', async ({
  page,
}) => {
  await page.goto('/');
  await waitForFirstHeatmap(page);
  await expect(page.getByTestId('g-init-scale')).toHaveText(/^colours ±\d/);
  const lock = page.getByTestId('lock-scale');
  await expect(lock).not.toBeChecked();
  const play = async (steps: number) => {
    await page.getByTestId('play').click();
    await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(steps);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('run-status')).toHaveText('paused');
  };
  await play(200);

  // Replaying the timeline locks the scale by default; back to live, it follows g again.
  await page.getByTestId('timeline-slider').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-live', 'false');
  await expect(lock).toBeChecked();
  await page.getByTestId('timeline-live').click();
  await expect(lock).not.toBeChecked();

  const top = page.locator('.colour-bar-ticks span').first();
  const heatmap = page.getByTestId('activation-heatmap');
  await expect(heatmap).toHaveAttribute('data-locked-range', '');
  await lock.check();
  // The first picture drawn locked sets the range it keeps (the bar may show an older picture's until then).
  await expect(heatmap).toHaveAttribute('data-locked-range', /\d/);
  const locked = await top.textContent();
  expect(locked).toBe(`+${await heatmap.getAttribute('data-locked-range')}`);
  await play((await stepCount(page)) + 400);
  await expect(top).toHaveText(locked!);
  await lock.uncheck();
  // Unlocked, the range is the trained g's own again.
  await expect(top).not.toHaveText(locked!);
});

test('lock scale: on by default while the video is exported, off again after', async ({ page }) => {
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(200);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const lock = page.getByTestId('lock-scale');
  await expect(lock).not.toBeChecked();
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByTestId('export-animation').click();
  await expect(page.getByTestId('export-animation')).toContainText('Recording');
  await expect(lock).toBeChecked();
  await download;
  await expect(page.getByTestId('export-animation')).toHaveText('Export animation');
  await expect(lock).not.toBeChecked();
});

test('a backend switch says "switching to webgl…" until the new backend runs', async ({ page }) => {
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  await page.getByTestId('backend-picker').selectOption('webgl');
  await expect(page.getByTestId('backend-switching')).toContainText('switching to webgl…');
  await expect(page.getByTestId('backend')).toHaveText('webgl', { timeout: 60_000 });
  await expect(page.getByTestId('backend-switching')).toHaveCount(0);
  await expect(page.getByTestId('run-status')).toHaveText('ready');
});

test('a switch while training: "switching…" with its progress until webgl trains, never "ready" or 0 steps/s meanwhile', async ({
  page,
}) => {
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(100);
  // What the status line shows, sampled every 50 ms from the pick until webgl trains.
  await page.evaluate(() => {
    const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
    const w = window as unknown as { __samples: string[][]; __timer: number };
    w.__samples = [];
    w.__timer = window.setInterval(() => {
      const bar = document.querySelector('[data-testid="backend-switching"]');
      w.__samples.push([
        text('run-status'),
        text('steps-per-second'),
        text('play'),
        text('backend'),
        bar?.getAttribute('data-stage') ?? '',
      ]);
    }, 50);
  });
  await expect(page.getByTestId('steps-per-second')).not.toHaveText('0');
  const before = await stepCount(page);
  // Only what is shown from the pick on counts.
  await page.evaluate(() => {
    const w = window as unknown as { __samples: string[][] };
    w.__samples = [];
  });
  await page.getByTestId('backend-picker').selectOption('webgl');
  await expect(page.getByTestId('backend-switching')).toContainText('switching to webgl…');
  await expect(page.getByTestId('run-status')).toHaveText('switching…');
  await expect(page.getByTestId('steps-per-second')).toHaveText('—');
  await expect(page.getByTestId('play-prompt')).toContainText('Switching to webgl: training goes on');
  await expect(page.getByTestId('backend')).toHaveText('webgl', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText('training', { timeout: 60_000 });
  await expect(page.getByTestId('backend-switching')).toHaveCount(0);
  expect(await stepCount(page)).toBeGreaterThan(before);
  const samples = await page.evaluate(() => {
    const w = window as unknown as { __samples: string[][]; __timer: number };
    clearInterval(w.__timer);
    return w.__samples;
  });
  const switching = samples.filter((s) => s[4] !== '');
  expect(switching.length).toBeGreaterThan(0);
  // Both stages were shown: building, then webgl's first steps (its shaders compile).
  expect(new Set(switching.map((s) => s[4]))).toEqual(new Set(['building', 'starting']));
  for (const [status, speed, play] of samples) {
    expect(status, 'never "ready" while the run resumes').not.toBe('ready');
    if (status === 'training') expect(speed, 'a training run never shows 0 steps/s').not.toBe('0');
    expect(play).toBe('Pause');
  }
});
