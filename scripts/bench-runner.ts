/**
 * `npm run bench:runner`: the headless runner in Node against the browser worker, on the same
 * engine or backend and the same run (a paper preset, Session I skipped), training steps per
 * second of a bare loop on both sides (src/runner/cli/bench.ts and the worker's benchmark).
 * Node and browser are measured one after the other, alternating per row, so a change in the
 * machine's load hits both sides alike. Prints a table and JSON; writes
 * bench-results/runner.json. A benchmark, not a test: nothing here fails on speed.
 *
 * Options: BENCH_MS (each measurement, default 4000), BENCH_PRESET (default paper-digits),
 * BENCH_MODELS (default twoArg,oneArg,relu), BENCH_BACKENDS (default fused,wasm),
 * BENCH_NO_BUILD=1 to use the existing dist/ and dist-node/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { build, preview } from 'vite';
import { z } from 'zod';
import { chromiumLaunchOptions } from '../tests/e2e/chromium';

const MS = Number(process.env.BENCH_MS ?? 4000);
const PRESET = process.env.BENCH_PRESET ?? 'paper-digits';
const MODELS = (process.env.BENCH_MODELS ?? 'twoArg,oneArg,relu').split(',');
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'fused,wasm').split(',');
const PORT = 4181;
const BASE = `http://127.0.0.1:${PORT}/`;

const browserError = z.object({ error: z.string() });
const browserResult = z.object({ backend: z.string(), bareStepsPerSecond: z.number() }).loose();
const nodeResult = z.object({ model: z.string(), backend: z.string(), batch: z.number(), stepsPerSecond: z.number() }).loose();

interface Row {
  backend: string;
  model: string;
  browserStepsPerSecond: number;
  nodeStepsPerSecond: number;
  /** Node's rate over the browser's: below 0.8 misses the target (Node at most 20% slower). */
  nodeOverBrowser: number;
  imagesPerSecondNode: number;
}

async function inBrowser(browser: Browser, backend: string, model: string): Promise<number> {
  const page = await browser.newPage();
  await page.goto(`${BASE}bench.html?ms=${MS}#preset=${PRESET}&pretrain=0&model=${model}&backend=${backend}`);
  await page.waitForSelector('#result[data-done="1"]', { timeout: 300_000 });
  const raw: unknown = JSON.parse((await page.textContent('#result')) ?? '{}');
  await page.close();
  const failed = browserError.safeParse(raw);
  if (failed.success) throw new Error(`browser ${backend}/${model}: ${failed.data.error}`);
  const result = browserResult.parse(raw);
  if (result.backend !== backend) throw new Error(`browser ran ${result.backend}, not ${backend}`);
  return result.bareStepsPerSecond;
}

function inNode(backend: string, model: string): { stepsPerSecond: number; batch: number } {
  const engine = backend === 'fused' ? ['--engine', 'fused'] : ['--engine', 'tfjs', '--backend', backend];
  const out = execFileSync(
    'node',
    ['dist-node/experiment-bench.mjs', '--preset', PRESET, '--models', model, '--ms', String(MS), ...engine],
    { encoding: 'utf8' },
  );
  const row = nodeResult.parse(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
  return { stepsPerSecond: row.stepsPerSecond, batch: row.batch };
}

async function main(): Promise<void> {
  if (!process.env.BENCH_NO_BUILD) {
    await build({ logLevel: 'warn' });
    await build({ configFile: 'vite.node.config.ts', logLevel: 'warn' });
  }
  const server = await preview({ preview: { port: PORT, host: '127.0.0.1', strictPort: true }, logLevel: 'warn' });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const rows: Row[] = [];
  try {
    for (const backend of BACKENDS) {
      for (const [i, model] of MODELS.entries()) {
        // Alternate which side goes first, so a load trend does not favour one side.
        const first = i % 2 === 0;
        const node1 = first ? inNode(backend, model) : null;
        const browserRate = await inBrowser(browser, backend, model);
        const node = node1 ?? inNode(backend, model);
        rows.push({
          backend,
          model,
          browserStepsPerSecond: Number(browserRate.toFixed(2)),
          nodeStepsPerSecond: node.stepsPerSecond,
          nodeOverBrowser: Number((node.stepsPerSecond / browserRate).toFixed(2)),
          imagesPerSecondNode: Math.round(node.stepsPerSecond * node.batch),
        });
        console.log(JSON.stringify(rows[rows.length - 1]));
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  console.table(rows);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/runner.json', JSON.stringify({ preset: PRESET, ms: MS, rows }, null, 2) + '\n');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
