/**
 * The headless experiment runner: sweep files are checked strictly with named errors, a tiny
 * sweep runs and writes valid result files, a rerun resumes (skips finished runs, redoes broken
 * ones), two shards merged give byte-identical files and the same summary as one unsharded run,
 * and the report's numbers equal a recomputation from the run files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSweep, shardPlans, expandSweep } from '../../src/core/experiment/sweep';
import { buildSummaryFile } from '../../src/core/experiment/summaryFile';
import { mean } from '../../src/core/stats/summary';
import { mergeShards, readResult, readResults } from '../../src/runner/resultFiles';
import { runSweep } from '../../src/runner/runSweep';
import { parseArgs, shardFrom } from '../../src/runner/cli/args';
import { fusedEngine, tfjsEngine } from '../../src/core/experiment/engines';
import { compileFusedModule, fusedKernels } from '../../src/core/fused';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

const fused = async () => fusedEngine(fusedKernels(await compileFusedModule(readFileSync('src/core/fused/fused.wasm'))).factory);

const tiny = JSON.stringify({
  name: 'tiny',
  models: ['twoArg', 'relu'],
  seeds: [1, 2],
  params: { dataset: 'xor', pretrain: 0, n: 200 },
  steps: 20,
  evalEvery: 10,
});
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sweep-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const whole = { index: 0, count: 1 };
const runs = (folder: string) =>
  readdirSync(folder)
    .filter((n) => n !== 'sweep.json' && n.endsWith('.json'))
    .sort();

describe('sweep files', () => {
  it('name the field of every problem and never correct a value silently', () => {
    const bad = (o: object) => {
      const r = parseSweep(JSON.stringify(o));
      if (r.ok) throw new Error('expected errors');
      return r.errors.join('\n');
    };
    const base = { name: 'x', models: ['twoArg'], seeds: [1], steps: 10 };
    expect(bad({ ...base, name: '../etc' })).toMatch(/^name: /m);
    expect(bad({ ...base, models: ['gelu'] })).toMatch(/^models\.0: /m);
    expect(bad({ ...base, models: ['relu', 'relu'] })).toMatch(/models: a model is listed twice/);
    expect(bad({ ...base, epochs: 3 })).toMatch(/give exactly one of epochs or steps/);
    expect(bad({ ...base, seeds: [] })).toMatch(/^seeds: /m);
    expect(bad({ ...base, extra: 1 })).toMatch(/extra/);
    expect(bad({ ...base, params: { lr: 30 } })).toMatch(/^params\.lr: out of range/m);
    expect(bad({ ...base, params: { n: 500.4 } })).toMatch(/^params\.n: must be a whole number/m);
    expect(bad({ ...base, params: { seed: 2 } })).toMatch(/params\.seed: set it with the sweep's "seeds" list/);
    expect(bad({ ...base, params: { colour: 'red' } })).toMatch(/params\.colour: unknown parameter/);
    expect(bad({ ...base, params: { dataset: 'custom' } })).toMatch(/params\.dataset: sweeps run generated or image data/);
    expect(bad({ ...base, robustness: { kinds: ['pgd'], sizes: { fgsm: [0.1] } } })).toMatch(
      /robustness\.sizes: every kind listed needs its sizes/,
    );
    expect(parseSweep('{ not json').ok).toBe(false);
  });

  it('expand to model x seed plans in a fixed order, matched baselines by default; shards partition them', () => {
    const r = parseSweep(tiny);
    if (!r.ok) throw new Error(r.errors.join());
    const plans = expandSweep(r.sweep, r.base);
    expect(plans.map((p) => p.id)).toEqual(['relu-seed1', 'relu-seed2', 'twoArg-seed1', 'twoArg-seed2']);
    expect(plans.every((p) => p.params.match && p.params.seed === p.seed && p.params.model === p.model)).toBe(true);
    const shards = [0, 1, 2].map((i) => shardPlans(plans, i, 3).map((p) => p.id));
    expect(shards.flat().sort()).toEqual(plans.map((p) => p.id));
    expect(() => shardPlans(plans, 3, 3)).toThrow(RangeError);
  });

  it('command line: --shard i/n, or --shards n with JOB_COMPLETION_INDEX', () => {
    expect(shardFrom(parseArgs(['s.json', '--shard', '1/4'], ['shard', 'shards']).flags, {})).toEqual({ index: 1, count: 4 });
    expect(shardFrom(parseArgs(['--shards=3'], ['shard', 'shards']).flags, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 3 });
    expect(() => shardFrom(parseArgs(['--shards=3'], ['shards']).flags, {})).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => parseArgs(['--frobnicate', '1'], ['shard'])).toThrow(/unknown option --frobnicate/);
  });
});

describe('running a sweep', () => {
  let single: string;

  it('writes one valid result per run, and a rerun resumes: finished runs skipped, broken ones redone', async () => {
    single = tempDir();
    const first = await runSweep(tiny, { root: single, shard: whole, dataDir: 'public/data', engine: tfjsEngine });
    expect(first.ran).toHaveLength(4);
    expect(runs(single)).toEqual(['relu-seed1.json', 'relu-seed2.json', 'twoArg-seed1.json', 'twoArg-seed2.json']);
    for (const name of runs(single)) {
      const r = readResult(join(single, name));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.result.metrics.map((m) => m.step)).toEqual([0, 10, 20]);
    }
    const before = readFileSync(join(single, 'relu-seed2.json'), 'utf8');
    writeFileSync(join(single, 'relu-seed2.json'), '{"id": "relu-seed2", "trunc');
    const again = await runSweep(tiny, { root: single, shard: whole, dataDir: 'public/data', engine: tfjsEngine });
    expect(again.skipped).toEqual(['relu-seed1', 'twoArg-seed1', 'twoArg-seed2']);
    expect(again.ran).toEqual(['relu-seed2']);
    // Deterministic: the redone run is byte-identical to the first.
    expect(readFileSync(join(single, 'relu-seed2.json'), 'utf8')).toBe(before);
    // Another sweep file cannot write into this folder.
    await expect(
      runSweep(tiny.replace('"steps":20', '"steps":30'), { root: single, shard: whole, dataDir: 'public/data', engine: tfjsEngine }),
    ).rejects.toThrow(/different sweep/);
  });

  it('two shards merged equal one unsharded run, byte for byte, with the same summary', async () => {
    const root = tempDir();
    await runSweep(tiny, { root, shard: { index: 0, count: 2 }, dataDir: 'public/data', engine: tfjsEngine });
    await runSweep(tiny, { root, shard: { index: 1, count: 2 }, dataDir: 'public/data', engine: tfjsEngine });
    expect(mergeShards(root)).toEqual({ merged: 4, shards: 2 });
    for (const name of runs(single)) expect(readFileSync(join(root, name), 'utf8')).toBe(readFileSync(join(single, name), 'utf8'));
    const a = buildSummaryFile(readResults(root).results);
    const b = buildSummaryFile(readResults(single).results);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('the fused engine runs the same sweep from the same start (step-0 metrics equal) into valid files', async () => {
    const root = tempDir();
    await runSweep(tiny, { root, shard: whole, dataDir: 'public/data', engine: await fused() });
    for (const name of runs(single)) {
      const a = readResult(join(root, name));
      const b = readResult(join(single, name));
      if (!a.ok || !b.ok) throw new Error('invalid result file');
      expect(a.result.metrics[0].testLoss).toBeCloseTo(b.result.metrics[0].testLoss, 4);
      expect(a.result.metrics[0].testAcc).toBeCloseTo(b.result.metrics[0].testAcc, 6);
      expect(a.result.shapeInitial?.verdict).toBe(b.result.shapeInitial?.verdict);
      expect(a.result.metrics.map((m) => m.step)).toEqual([0, 10, 20]);
    }
  });

  it("the report's numbers equal a recomputation from the run files", () => {
    const { results, refused } = readResults(single);
    expect(refused).toEqual([]);
    const { summary } = buildSummaryFile(results);
    for (const model of ['twoArg', 'relu']) {
      const mine = results.filter((r) => r.model === model);
      const m = summary.models.find((s) => s.model === model)!;
      expect(m.runs).toBe(2);
      expect(m.finalTestAcc.mean).toBeCloseTo(mean(mine.map((r) => r.metrics[r.metrics.length - 1].testAcc)), 12);
      expect(m.testAccByStep.map((p) => p.step)).toEqual([0, 10, 20]);
    }
    const two = summary.models.find((s) => s.model === 'twoArg')!;
    const withG = results.filter((r) => r.model === 'twoArg');
    expect(two.saddle!.learned.k).toBe(withG.filter((r) => r.shapeBest!.verdict !== 'not-saddle').length);
    expect(two.saddle!.initial.k).toBe(withG.filter((r) => r.shapeInitial!.verdict !== 'not-saddle').length);
    expect(summary.models.find((s) => s.model === 'relu')!.saddle).toBeNull();
    expect(
      summary.claims.map((c) => c.verdict).every((v) => ['reproduced', 'not reproduced', 'inconclusive', 'not measured'].includes(v)),
    ).toBe(true);
  });
});
