/**
 * The runner on tfjs's wasm backend in Node (`npm run experiment -- ... --engine tfjs --backend wasm`):
 * the backend starts from the installed package's files, a tiny sweep runs on it and writes valid
 * result files, and its numbers agree with the cpu backend's to float precision.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { tfjsEngine } from '../../src/core/experiment/engines';
import { readResults } from '../../src/runner/resultFiles';
import { runSweep } from '../../src/runner/runSweep';
import { useWasmBackend } from '../../src/runner/wasmBackend';

const tiny = JSON.stringify({
  name: 'tiny-wasm',
  models: ['twoArg', 'relu'],
  seeds: [1],
  params: { dataset: 'xor', pretrain: 10, n: 200 },
  steps: 20,
  evalEvery: 10,
});
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function sweepOn(backend: 'cpu' | 'wasm') {
  if (backend === 'wasm') await useWasmBackend();
  else await tf.setBackend('cpu');
  expect(tf.getBackend()).toBe(backend);
  const root = mkdtempSync(join(tmpdir(), `sweep-${backend}-`));
  dirs.push(root);
  const outcome = await runSweep(tiny, { root, shard: { index: 0, count: 1 }, dataDir: 'public/data', engine: tfjsEngine });
  expect(outcome.ran).toEqual(['relu-seed1', 'twoArg-seed1']);
  const { results, refused } = readResults(outcome.folder);
  expect(refused).toEqual([]);
  return results;
}

describe('the runner on tfjs-wasm in Node', () => {
  it('runs a tiny sweep whose files validate and match the cpu backend', async () => {
    const wasm = await sweepOn('wasm');
    const cpu = await sweepOn('cpu');
    expect(wasm.map((r) => r.id)).toEqual(cpu.map((r) => r.id));
    for (const [i, run] of wasm.entries()) {
      const ref = cpu[i];
      expect(run.metrics.map((m) => m.step)).toEqual(ref.metrics.map((m) => m.step));
      for (const [j, m] of run.metrics.entries()) expect(m.trainLoss).toBeCloseTo(ref.metrics[j].trainLoss, 3);
    }
  }, 120_000);
});
