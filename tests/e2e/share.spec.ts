/**
 * Sharing, embedding, presenting and exporting, in Debian's Chromium against the production
 * build: links restore the controls and reproduce the run, the embed view fits at three sizes,
 * hostile links execute nothing, exports open and an exported run imports back.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors, stepCount, waitForFirstHeatmap, longTasks, observeLongTasksNow } from './helpers';
import { PARAM_KEYS } from '../../src/core/params';
import type { RunFile } from '../../src/state/runFile';
import { frameSpacingAt, nextFrameStep } from '../../src/worker/frames';

/** Every schema control's current value, by parameter name. */
async function controlValues(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const el of document.querySelectorAll<HTMLElement>('[data-param]')) {
      const name = el.dataset.param!;
      const fields = el.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select');
      out[name] = [...fields].map((f) => (f instanceof HTMLInputElement && f.type === 'checkbox' ? String(f.checked) : f.value)).join('|');
    }
    return out;
  });
}

/** Presses S n times and waits until the run has taken exactly n steps. */
async function singleSteps(page: Page, n: number): Promise<void> {
  const start = await stepCount(page);
  for (let i = 0; i < n; i++) await page.keyboard.press('s');
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBe(start + n);
}

async function openShare(page: Page): Promise<void> {
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-dialog')).toBeVisible();
}

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const pending = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId('share-dialog').getByTestId(testId).click();
  const d = await pending;
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

// The typed view of a downloaded run file; its shape is what the assertions below check.
function parseRunFile(bytes: Buffer): RunFile {
  return JSON.parse(bytes.toString('utf8')) as RunFile;
}

test('a link opened in a new page restores the same controls; copy link and embed code', async ({ page, context }) => {
  const errors = watchErrors(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  await page.locator('[data-param="dataset"] select').selectOption('spiral');
  const hidden = page.locator('[data-param="hidden"] input');
  await hidden.fill('6,4');
  await hidden.press('Enter');
  const lr = page.locator('[data-param="lr"] input[type="text"]');
  await lr.fill('0.01');
  await lr.press('Enter');
  await page.locator('[data-param="ln"] input[type="checkbox"]').click();
  await page.locator('[data-param="optimizer"] select').selectOption('sgd');
  await expect(page).toHaveURL(/dataset=spiral/);
  await expect(page).toHaveURL(/hidden=6,4/);
  const before = await controlValues(page);

  await openShare(page);
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toBe(page.url());
  expect(link).toMatch(/#v=1&/);
  await page.getByTestId('copy-share-link').click();
  await expect(page.getByTestId('copy-share-link-status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  await page.getByTestId('copy-embed-code').click();
  await expect(page.getByTestId('copy-embed-code-status')).toHaveText('Copied');
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toMatch(
    /^<iframe src="[^"]+#v=1&amp;[^"]*embed=1[^"]*" width="800" height="450" style="border:0" title="Soft-XOR Playground" allow="fullscreen"><\/iframe>$/,
  );

  const other = await context.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(link);
  await waitForFirstHeatmap(other);
  expect(await controlValues(other)).toEqual(before);
  await expect(other.getByTestId('link-corrections')).toHaveCount(0);
  // The embed link opens the embed view of the same configuration.
  const embedSrc = snippet.match(/src="([^"]+)"/)![1].replace(/&amp;/g, '&');
  await other.goto(embedSrc);
  await expect(other.locator('.embed')).toBeVisible();
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test('two pages with the same link and backend give identical losses after 200 single steps', async ({ browser }) => {
  test.setTimeout(300_000);
  const link = '/#v=1&backend=wasm&seed=7&pretrain=60&hidden=6,6&inner=8,8';
  const losses: { train: number; test: number }[] = [];
  for (let k = 0; k < 2; k++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await waitForFirstHeatmap(page);
    await expect(page.getByTestId('backend')).toHaveText('wasm');
    await singleSteps(page, 200);
    const read = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));
    await expect.poll(async () => Number.isFinite(await read('train-loss'))).toBe(true);
    losses.push({ train: await read('train-loss'), test: await read('test-loss') });
    await context.close();
  }
  expect(losses[0].train).toBeGreaterThan(0);
  expect(Math.abs(losses[0].train - losses[1].train)).toBeLessThanOrEqual(1e-6);
  expect(Math.abs(losses[0].test - losses[1].test)).toBeLessThanOrEqual(1e-6);
});

for (const size of [
  { width: 480, height: 270 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`embed view at ${size.width}x${size.height}: only the heatmap, the loss chart, play, reset and the verdict word; no scrollbars`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('/#embed=1&pretrain=0');
    await waitForFirstHeatmap(page);
    for (const id of ['activation-heatmap', 'loss-chart', 'play', 'reset', 'shape-verdict']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width, id).toBeGreaterThan(30);
      expect(box!.height, id).toBeGreaterThan(16);
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(size.width + 0.5);
      expect(box!.y + box!.height, id).toBeLessThanOrEqual(size.height + 0.5);
    }
    // The heatmap is the main thing: it takes a good share of the frame's height.
    expect((await page.getByTestId('activation-heatmap').boundingBox())!.height).toBeGreaterThan(size.height * 0.4);
    await expect(page.getByTestId('shape-verdict')).toHaveText('untrained');
    for (const id of ['decision-surface', 'timeline', 'share-button', 'step']) await expect(page.getByTestId(id)).toHaveCount(0);
    await expect(page.locator('.g-init')).toBeHidden();
    await expect(page.locator('[data-param]')).toHaveCount(0);
    await expect(page.locator('.app-header')).toHaveCount(0);
    const overflow = await page.evaluate(() => {
      const d = document.documentElement;
      const b = document.body;
      return { x: Math.max(d.scrollWidth, b.scrollWidth) - d.clientWidth, y: Math.max(d.scrollHeight, b.scrollHeight) - d.clientHeight };
    });
    expect(overflow.x).toBeLessThanOrEqual(0);
    expect(overflow.y).toBeLessThanOrEqual(0);
    // The play button works in the embed.
    await page.getByTestId('play').click();
    await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThan(0);
    await page.getByTestId('play').click();
    expect(errors).toEqual([]);
    await context.close();
  });
}

test('hide= removes the chosen panels from the normal view', async ({ page }) => {
  await page.goto('/#hide=explain,decision,model&pretrain=0');
  await waitForFirstHeatmap(page);
  await expect(page.locator('[data-panel="explain"]')).toHaveCount(0);
  await expect(page.getByTestId('decision-surface')).toHaveCount(0);
  await expect(page.locator('[data-group="model"]')).toHaveCount(0);
  await expect(page.locator('[data-group="data"]')).toBeVisible();
  await expect(page.getByTestId('shape-verdict')).toBeVisible();
});

test('a link carrying <img src=x onerror=...> in every value executes nothing', async ({ page }) => {
  const errors = watchErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const payloads = [
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=2>',
    'javascript:window.__xss=3',
    '<script>window.__xss=4</script>',
  ];
  // Every key of the schema (so a new parameter is covered too), plus the version and an unknown key.
  const paramKeys = ['v', ...PARAM_KEYS];
  const hash =
    paramKeys.map((k, i) => `${k}=${encodeURIComponent(payloads[i % payloads.length])}`).join('&') +
    `&${encodeURIComponent('<img src=x onerror=window.__xss=5>')}=1`;
  await page.goto(`/#${hash}`);
  await waitForFirstHeatmap(page);
  const notice = page.getByTestId('link-corrections');
  await expect(notice).toBeVisible();
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.locator('img[src="x"], svg[onload], [onerror]').count()).toBe(0);
  expect(await page.locator('script').evaluateAll((s) => s.filter((e) => !(e as HTMLScriptElement).src).length)).toBe(0);
  // The page still works on the defaults and the address is the clean, normalised link.
  expect(decodeURIComponent(page.url())).not.toMatch(/onerror|<script|javascript:/);
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(1);
  // The notice can be dismissed.
  await page.getByRole('button', { name: 'Dismiss all link notes' }).click();
  await expect(notice).toHaveCount(0);
  expect(errors.filter((e) => !/Content Security Policy|Refused to/.test(e))).toEqual([]);
});

test('export then import restores the run; every export opens; a bad file changes nothing', async ({ page, context }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/#dataset=circle&seed=3&hidden=6,6&inner=8,8&pretrain=40');
  await waitForFirstHeatmap(page);
  await singleSteps(page, 20);
  await openShare(page);

  const json = await download(page, 'export-json');
  expect(json.name).toBe('soft-xor-circle-seed3-step20-run.json');
  const file = parseRunFile(json.bytes);
  expect(file).toMatchObject({
    format: 'soft-xor-run',
    version: 1,
    step: 20,
    session: 2,
    params: { dataset: 'circle', seed: 3, hidden: [6, 6], inner: [8, 8] },
  });
  expect(file.g?.weights).toHaveLength(6);
  expect(file.metrics.at(-1)?.step).toBe(20);
  expect(file.analysis?.verdict).toMatch(/soft-xor|soft-xnor|not-saddle/);

  const png = await download(page, 'export-png');
  expect(png.name).toMatch(/\.png$/);
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const svg = await download(page, 'export-svg');
  expect(svg.name).toMatch(/\.svg$/);
  const csv = await download(page, 'export-curves-csv');
  const rows = csv.bytes.toString('utf8').trim().split('\n');
  expect(rows[0]).toBe('step,epoch,trainLoss,testLoss,trainAcc,testAcc');
  expect(rows.at(-1)?.split(',')[0]).toBe('20');
  // The PNG and the SVG really open as images.
  for (const [bytes, type] of [
    [png.bytes, 'image/png'],
    [svg.bytes, 'image/svg+xml'],
  ] as const) {
    const size = await page.evaluate(
      async ({ b64, type }) => {
        const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type });
        const img = new Image();
        img.src = URL.createObjectURL(blob);
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      },
      { b64: bytes.toString('base64'), type },
    );
    expect(size[0]).toBeGreaterThan(600);
    expect(size[1]).toBeGreaterThan(500);
  }

  // A fresh page on the defaults imports the file.
  const other = await context.newPage();
  const otherErrors = watchErrors(other);
  await other.goto('/');
  await waitForFirstHeatmap(other);
  await openShare(other);
  const bad = { ...file, version: 2 };
  await other
    .getByTestId('import-run')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(other.getByTestId('import-errors')).toContainText('Unsupported run file version 2');
  const shapeBad = { ...file, g: { ...file.g, weights: file.g?.weights.slice(1) } };
  await other
    .getByTestId('import-run')
    .setInputFiles({ name: 'shape.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(shapeBad)) });
  await expect(other.getByTestId('import-errors')).toContainText('expected 6 arrays, found 5');
  expect(new URL(other.url()).hash).toBe('#v=1'); // nothing applied

  await other.getByTestId('import-run').setInputFiles({ name: json.name, mimeType: 'application/json', buffer: json.bytes });
  await expect(other.getByTestId('import-status')).toContainText('Restored the configuration and its learned g');
  await expect(other).toHaveURL(/dataset=circle/);
  await expect(other).toHaveURL(/seed=3/);
  await expect(other.getByTestId('run-status')).toHaveText('ready', { timeout: 60_000 });
  const again = parseRunFile((await download(other, 'export-json')).bytes);
  expect(again.params).toEqual(file.params);
  expect(again.g).toEqual(file.g);
  expect(again.step).toBe(0);
  await other.getByRole('button', { name: 'Close share and export' }).click();
  expect(await controlValues(other)).toEqual(await controlValues(page));
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

/** The steps of the frames the timeline holds after `end` steps: every multiple of the spacing then in force. */
function expectedFrameSteps(end: number): number[] {
  const spacing = frameSpacingAt(end);
  return Array.from({ length: Math.floor(end / spacing) + 1 }, (_, i) => i * spacing);
}

test('the timeline replays how g emerged, and the emergence exports as a WebM video', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toBeVisible();
  const slider = page.getByTestId('timeline-slider');
  await expect(slider).toBeDisabled();
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(300);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  // Frames are kept by training progress, captured in the worker: the same steps on any machine.
  const end = await stepCount(page);
  const steps = expectedFrameSteps(end);
  expect(steps.length).toBeGreaterThanOrEqual(16); // 300 steps: 0, 20, ..., 300
  await expect(slider).toBeEnabled();
  await expect(slider).toHaveAttribute('max', String(steps.length));
  const valueText = page.getByTestId('timeline-value');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(valueText).toHaveText(/^step 0\b/);
  await page.keyboard.press('ArrowRight');
  await expect(valueText).toHaveText(new RegExp(`^step ${steps[1]}\\b`));
  await expect(slider).toHaveAttribute('aria-valuetext', new RegExp(`^step ${steps[1]}\\b`));
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await expect(valueText).toHaveText(new RegExp(`^step ${steps.at(-1)}\\b`));
  // Single steps (S) up to the next frame step capture that frame too.
  await page.getByTestId('timeline-live').click();
  const next = nextFrameStep(end);
  await singleSteps(page, next - end);
  await expect(slider).toHaveAttribute('max', String(expectedFrameSteps(next).length));
  await slider.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await expect(valueText).toHaveText(new RegExp(`^step ${next}\\b`));
  await page.getByTestId('timeline-live').click();

  // Compare pictures once each is drawn: the heatmap names the step of the g it shows.
  const heatmap = page.getByTestId('activation-heatmap');
  await expect(heatmap).toHaveAttribute('data-step', String(next));
  const live = await heatmap.screenshot();
  await slider.focus();
  await page.keyboard.press('Home'); // the first frame: g before training
  await expect(timeline).toHaveAttribute('data-live', 'false');
  await expect(page.getByTestId('timeline-value')).toContainText('step 0');
  await expect(page.getByTestId('verdict-replay')).toContainText('step 0');
  await expect(heatmap).toHaveAttribute('data-step', '0');
  const first = await heatmap.screenshot();
  expect(first.equals(live)).toBe(false);
  await page.getByTestId('timeline-live').click();
  await expect(timeline).toHaveAttribute('data-live', 'true');
  await expect(page.getByTestId('verdict-replay')).toHaveCount(0);

  // Recording draws every frame on the page's thread: it must never block it.
  await observeLongTasksNow(page);
  const pending = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId('export-animation').click();
  await expect(page.getByTestId('export-animation')).toContainText('Recording');
  const video = await pending;
  expect(video.suggestedFilename()).toMatch(/-emergence\.webm$/);
  const bytes = readFileSync(await video.path());
  expect(bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // EBML: a WebM/Matroska file
  expect(bytes.length).toBeGreaterThan(5_000);
  // Real blocking (drawing every frame in one task) shows as tasks of hundreds of ms; the 50 ms
  // smoothness target depends on the machine's load (issue 11 item 9) and belongs to npm run bench.
  const tasks = await longTasks(page);
  expect(tasks.filter((d) => d > 250)).toEqual([]);
  expect(errors).toEqual([]);
});

test('presentation mode, fullscreen and the shortcut help', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#pretrain=0');
  await waitForFirstHeatmap(page);
  const fontBefore = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await page.keyboard.press('p');
  await expect(page.locator('html')).toHaveAttribute('data-present', '');
  await expect(page.locator('.col-controls')).toHaveCount(0);
  await expect(page.locator('[data-panel="explain"]')).toHaveCount(0);
  await expect(page.getByTestId('present-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeGreaterThan(fontBefore);
  // Presentation mode is how this screen shows the run, not part of the link.
  expect(page.url()).not.toMatch(/present/);

  await page.keyboard.press('f');
  await expect
    .poll(() => page.evaluate(() => !!document.fullscreenElement || !!document.querySelector('[data-testid="toast"]')))
    .toBe(true);
  if (await page.evaluate(() => !!document.fullscreenElement)) {
    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => !!document.fullscreenElement)).toBe(false);
  }

  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-help');
  await expect(help).toBeVisible();
  for (const action of ['Play / pause', 'One training step', 'Reset the weights', 'Presentation mode', 'Fullscreen'])
    await expect(help).toContainText(action);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // Space right after closing the help plays (even while focus is still settling).
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('present-toggle').click();
  await expect(page.locator('html')).not.toHaveAttribute('data-present', '');
  await expect(page.locator('.col-controls')).toBeVisible();
  expect(errors).toEqual([]);
});
