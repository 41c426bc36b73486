/**
 * What the Experiments page relies on: summary files are checked before use (hostile ones are
 * refused with reasons: bad numbers, oversize, "__proto__", wrong shapes) and g is drawn from its
 * weights exactly as the tfjs network computes it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gOnGridFromWeights, gWeightsProblem } from '../../src/core/experiment/gForward';
import { buildSummaryFile } from '../../src/core/experiment/summaryFile';
import { stringifyResult } from '../../src/core/experiment/resultSchema';
import { parseSummaryFile, SUMMARY_MAX_BYTES } from '../../src/core/experiment/summarySchema';
import { evaluateInnerOnGrid } from '../../src/core/inspect';
import { InnerNet } from '../../src/core/model/innerNet';
import { Rng } from '../../src/core/rng';
import { readResults } from '../../src/runner/resultFiles';
import { runSweep } from '../../src/runner/runSweep';
import { tfjsEngine } from '../../src/core/experiment/engines';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

describe('g from its weights', () => {
  it('equals the tfjs g on the same grid for every activation', async () => {
    const grid = { min: -5, max: 5, size: 21 };
    for (const activation of ['relu', 'tanh', 'sigmoid', 'elu'] as const) {
      const g = new InnerNet({ hidden: [8, 6], activation }, 2, new Rng(3));
      const weights = await Promise.all(g.variables.map(async (v) => Array.from((await v.data()) as Float32Array)));
      const expected = await evaluateInnerOnGrid(g, grid);
      const got = gOnGridFromWeights([8, 6], activation, weights, grid);
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
      g.dispose();
    }
    expect(tf.memory().numTensors).toBe(0);
  });

  it('names weights that do not fit the stated shape', () => {
    expect(gWeightsProblem([4], [[1, 2], [0]])).toMatch(/expected 4 weight arrays/);
    expect(gWeightsProblem([1], [[1, 2], [0], [1], [0, 0]])).toMatch(/bias 3 should hold 1 values/);
  });
});

describe('summary files', () => {
  let good = '';

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'summary-'));
    const sweep = JSON.stringify({
      name: 'page',
      models: ['twoArg', 'relu'],
      seeds: [1, 2],
      params: { dataset: 'xor', pretrain: 0, n: 100 },
      steps: 10,
      evalEvery: 5,
    });
    await runSweep(sweep, { root, shard: { index: 0, count: 1 }, dataDir: 'public/data', engine: tfjsEngine });
    good = stringifyResult(buildSummaryFile(readResults(root).results));
    rmSync(root, { recursive: true, force: true });
  });

  it('a real report reads back whole, NaN included', () => {
    const r = parseSummaryFile(good);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.file.runs).toHaveLength(4);
      expect(r.file.summary.models.map((m) => m.model).sort()).toEqual(['relu', 'twoArg']);
    }
  });

  it('refuses hostile and broken files with reasons', () => {
    const edit = (f: (o: Record<string, unknown>) => void) => {
      const o = JSON.parse(good) as Record<string, unknown>;
      f(o);
      return JSON.stringify(o);
    };
    const errorsOf = (text: string) => {
      const r = parseSummaryFile(text);
      if (r.ok) throw new Error('expected the file to be refused');
      return r.errors.join('\n');
    };
    expect(errorsOf('{"format": ')).toMatch(/not valid JSON/);
    expect(errorsOf('x'.repeat(SUMMARY_MAX_BYTES + 1))).toMatch(/larger than 20 MB/);
    expect(errorsOf(good.replace('{', '{"__proto__": {"polluted": true},'))).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(errorsOf(edit((o) => ((o.summary as { runs: unknown }).runs = 'many')))).toMatch(/summary\.runs/);
    expect(errorsOf(edit((o) => ((o.runs as { seed: unknown }[])[0].seed = 1.5)))).toMatch(/runs\.0\.seed/);
    expect(errorsOf(edit((o) => ((o.runs as { innerAct: unknown }[])[0].innerAct = 'gelu')))).toMatch(/runs\.0\.innerAct/);
    expect(errorsOf(edit((o) => (o.format = 'something else')))).toMatch(/^format/m);
  });
});
