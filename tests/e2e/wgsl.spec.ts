/**
 * The WebGPU fused step (src/core/fused/gpu, src/worker/gpu) against the CPU fused engine, on
 * the software adapter (SwiftShader: slow, exact enough). From the same state, 10 steps on the GPU
 * and 10 on the CPU give weights and optimizer slots equal to 1e-4 of the largest value; one
 * dispatch trains several runs, each equal to its own CPU run. Shapes are small: SwiftShader is slow.
 */
import { expect, test, type Page } from '@playwright/test';
import type { CheckResult } from '../../src/bench/gpuCheck';
import { watchErrors } from './helpers';

async function runCase(page: Page, name: string): Promise<CheckResult> {
  await page.goto('/gpu-check.html');
  await expect(page.locator('#result')).toHaveText('ready');
  return page.evaluate((n) => window.gpuCheck!(n), name);
}

function expectClose(result: CheckResult, runs: number): void {
  expect(result.runs).toHaveLength(runs);
  for (const run of result.runs) {
    // The copy onto the GPU and back is exact.
    expect(run.roundTrip).toBe(0);
    // The compared steps changed the weights well beyond the tolerance...
    expect(run.moved).toBeGreaterThan(1e-2);
    // ...and both engines changed them the same way.
    expect(run.params).toBeLessThan(1e-4);
    expect(run.slot1).toBeLessThan(1e-4);
    expect(run.slot2).toBeLessThan(1e-4);
    expect(run.loss).toBeLessThan(1e-4);
    expect(run.norm).toBeLessThan(1e-4);
  }
}

for (const [name, runs] of [
  ['twoArg', 1],
  ['relu', 1],
  ['threeRuns', 3],
  ['oneArgPerLayer', 2],
  ['sessionThree', 1],
  ['defaultPreset', 2],
  ['reluMatched', 1],
] as const) {
  test(`WebGPU fused step = CPU fused engine over 10 steps: ${name} (${runs} run${runs > 1 ? 's' : ''} in one dispatch)`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    const result = await runCase(page, name);
    console.log(`${name}: ${JSON.stringify(result)}`);
    // The test machine's adapter is SwiftShader; on a GPU machine this says which one ran.
    expect(result.adapter).not.toBe('');
    expectClose(result, runs);
    expect(errors).toEqual([]);
  });
}
