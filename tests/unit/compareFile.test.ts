/**
 * The comparison file: export -> import gives back the runs (g, density and its mask, analyses,
 * verdicts, curves) and a summary table equal to the exported one; a hostile or broken file is
 * refused with a list of reasons and never throws; the CSV tables have their headers and rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summariseCompare, type CompareSummary } from '../../src/core/compare/summary';
import type { CompareModel } from '../../src/core/compare/plan';
import {
  buildComparisonFile,
  COMPARE_FILE_MAX_BYTES,
  readComparisonFile,
  robustnessRecord,
  serializeComparisonFile,
  summaryRecord,
  type ImportedComparison,
} from '../../src/state/compareFile';
import { comparisonCsvTables, csvCell, METRICS_HEADER, ROBUSTNESS_HEADER, RUNS_HEADER, SUMMARY_HEADER } from '../../src/state/compareCsv';
import { compareFixture } from './compareFixture';

const CREATED = new Date('2025-01-02T03:04:05Z');

const csvLines = (csv: string) => csv.trimEnd().split('\n');

function exported(opts: Parameters<typeof compareFixture>[0] = {}) {
  const fx = compareFixture(opts);
  const file = buildComparisonFile({ params: fx.params, state: fx.state, createdAt: CREATED, link: 'https://example.org/#compare=twoArg' });
  return { ...fx, file, text: serializeComparisonFile(file) };
}

function imported(text: string): ImportedComparison {
  const r = readComparisonFile(text);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.comparison;
}

/** The table of an imported comparison, from its runs in plan order (as the compare view computes it). */
function tableOf(c: ImportedComparison): CompareSummary {
  return summariseCompare(
    c.state.plans.map((p) => c.state.runs[p.runId]),
    c.summary.targetAccuracy,
    c.params.compare as CompareModel[],
  );
}

/**
 * Edits the parsed JSON of a valid file and returns the text. The edits break the file's types
 * on purpose (a string where a number goes), so the JSON is handled untyped here.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment -- see above */
function edited(text: string, edit: (f: Record<string, any>) => void): string {
  const f = JSON.parse(text) as Record<string, any>;
  edit(f);
  return JSON.stringify(f);
}

function errorsOf(text: string, byteSize?: number): string[] {
  const r = readComparisonFile(text, byteSize);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

describe('comparison file: export and import', () => {
  it('the table computed from the imported runs equals the exported summary exactly', () => {
    const { file, text, state, params } = exported();
    const c = imported(text);
    const table = tableOf(c);
    // NaN-aware deep equality, and the very same JSON text (every bit of every number).
    expect(table).toEqual(c.summary);
    expect(JSON.stringify(summaryRecord(table))).toBe(JSON.stringify(file.summary));
    // And the table the live view shows from the page's records is the exported one too.
    const live = summariseCompare(Object.values(state.runs), 0.9, params.compare as CompareModel[]);
    expect(JSON.stringify(summaryRecord(live))).toBe(JSON.stringify(file.summary));
    expect(c.summary.models.map((m) => m.model)).toEqual(['twoArg', 'oneArg', 'relu']);
    expect(c.summary.models[0].diverged).toBe(1);
    expect(c.summary.models[0].saddle).not.toBeNull();
  });

  it('gives back every run record: g as float32, density and its 90% mask, analyses, verdicts, curves', () => {
    const { text, state, params } = exported();
    const c = imported(text);
    expect(c.params).toEqual(params);
    expect(c.state.plans).toEqual(state.plans);
    expect(c.state.playing).toBe(false);
    expect(Object.keys(c.state.runs)).toEqual(state.plans.map((p) => p.runId));
    expect(c.createdAt).toBe(CREATED.toISOString());
    for (const p of state.plans) {
      const a = state.runs[p.runId];
      const b = c.state.runs[p.runId];
      expect(b.history.length).toBe(a.history.length);
      expect(b.analysis).toEqual(a.analysis);
      expect(b.analysisInit).toEqual(a.analysisInit);
      expect(b.bootstrap).toEqual(a.bootstrap);
      expect(b.verdictHistory).toEqual(a.verdictHistory);
      expect(b.paramTotal).toBe(a.paramTotal);
      expect(b.hidden).toEqual(a.hidden);
      expect(b.progress).toBeNull();
      if (a.diverged) {
        expect(b.status).toBe('diverged');
        // g held a NaN: the file holds finite read-outs only, so it is left out.
        expect(b.g).toBeNull();
        // Infinity (which JSON cannot hold) reads back as NaN, like NaN.
        expect(b.history[b.history.length - 1].testLoss).toBeNaN();
        continue;
      }
      expect(b.status).toBe('paused');
      expect(b.history).toEqual(a.history);
      expect(b.g?.values).toEqual(a.g?.values);
      expect(b.gInit?.values).toEqual(a.gInit?.values);
      expect(b.g1d).toEqual(a.g1d);
      if (a.density) {
        expect(b.density!.all).toEqual(a.density.all);
        expect(b.density!.mask).toEqual(a.density.mask);
        expect(b.density!.grid).toEqual(a.density.grid);
      } else expect(b.density).toBeNull();
    }
  });

  it('writes the plan, the link, the relative determinant, and every number array on one line', () => {
    const { file, text } = exported();
    expect(file.format).toBe('soft-xor-comparison');
    expect(file.version).toBe(1);
    expect(file.plan.map((p) => p.runId)).toEqual(file.runs.map((r) => r.runId));
    expect(file.link).toBe('https://example.org/#compare=twoArg');
    const withG = file.runs.find((r) => r.analysis)!;
    expect(withG.analysis!.relativeDet).toBeLessThanOrEqual(1);
    expect(text).toMatch(/"values": \[-?[\d.]/);
    expect(text.split('\n').length).toBeLessThan(3000);
  });

  it('a full comparison (4 models x 8 seeds, 1000 points each) stays well under the size limit', () => {
    const { text } = exported({ models: ['twoArg', 'oneArg', 'relu', 'tanh'], seeds: 8, points: 1000 });
    expect(text.length).toBeLessThan(COMPARE_FILE_MAX_BYTES / 2);
    expect(readComparisonFile(text).ok).toBe(true);
  });

  it('carries robustness curves per run, and a diverged model as diverged', () => {
    const fx = compareFixture({ models: ['twoArg', 'relu'], seeds: 2 });
    const [a, b] = fx.state.plans;
    const noise = robustnessRecord('noise', [0, 0.1, 0.2], {
      diverged: false,
      curve: { kind: 'noise', sizes: [0, 0.1, 0.2], accuracy: [1, 0.9, 0.75], examples: 200 },
    });
    const broken = robustnessRecord('fgsm', [0, 0.05], {
      diverged: true,
      reason: 'the model outputs NaN or infinity on clean test inputs',
    });
    const file = buildComparisonFile({ ...fx, robustness: { [a.runId]: [noise], [b.runId]: [broken] } });
    const c = imported(serializeComparisonFile(file));
    expect(c.robustness[a.runId]).toEqual([noise]);
    expect(c.robustness[b.runId]).toEqual([
      { kind: 'fgsm', sizes: [0, 0.05], accuracy: null, examples: 0, diverged: true, reason: broken.reason },
    ]);
    expect(Object.keys(c.robustness)).toHaveLength(2);
    const csv = comparisonCsvTables(file).find((t) => t.name === 'robustness')!;
    expect(csvLines(csv.csv)[0]).toBe(ROBUSTNESS_HEADER);
    expect(csv.rows).toBe(3 + 1);
    expect(csvLines(csv.csv)[1]).toBe(`${a.runId},twoArg,${a.seed},noise,0,1,200,false,`);
    expect(csvLines(csv.csv)[4]).toBe(`${b.runId},twoArg,${b.seed},fgsm,,,0,true,the model outputs NaN or infinity on clean test inputs`);
  });

  it('a run the pool has not reported yet is written as not built, and reads back', () => {
    const fx = compareFixture({ models: ['twoArg'], seeds: 2 });
    delete fx.state.runs[fx.state.plans[1].runId];
    const c = imported(serializeComparisonFile(buildComparisonFile(fx)));
    const r = c.state.runs[fx.state.plans[1].runId];
    expect(r.history).toEqual([]);
    expect(r.paramTotal).toBeNull();
    expect(r.status).toBe('paused');
  });
});

describe('comparison file: what is refused', () => {
  const { text } = exported({ models: ['twoArg', 'oneArg'], seeds: 2 });

  it('not JSON, not an object, another format or version', () => {
    expect(errorsOf('{"format": "soft-xor-comparison", ')[0]).toMatch(/^Not JSON/);
    expect(errorsOf('[1, 2]')[0]).toMatch(/expected a JSON object/);
    expect(errorsOf(edited(text, (f) => (f.format = 'soft-xor-run')))[0]).toMatch(/single run/);
    expect(errorsOf(edited(text, (f) => (f.format = 'other')))[0]).toMatch(/Not a comparison file/);
    expect(errorsOf(edited(text, (f) => (f.version = 2)))[0]).toMatch(/version 2/);
  });

  it('a file over the size limit, before reading it', () => {
    expect(errorsOf('{}', COMPARE_FILE_MAX_BYTES + 1)[0]).toMatch(/larger than 20 MB/);
    expect(errorsOf(' '.repeat(COMPARE_FILE_MAX_BYTES + 1))[0]).toMatch(/larger than/);
  });

  it('40 models, or more runs than 4 models x 8 seeds', () => {
    const models = errorsOf(edited(text, (f) => (f.params.compare = Array.from({ length: 40 }, () => 'twoArg'))));
    expect(models.join('\n')).toMatch(/params\.compare/);
    const runs = errorsOf(
      edited(text, (f) => {
        f.runs = Array.from({ length: 40 }, () => f.runs[0]);
      }),
    );
    expect(runs.join('\n')).toMatch(/^runs: .*(too big|32)/m);
    expect(errorsOf(edited(text, (f) => (f.params.seeds = 99))).join('\n')).toMatch(/params\.seeds/);
  });

  it('unknown models, in the params or in a run', () => {
    expect(errorsOf(edited(text, (f) => (f.params.compare = ['twoArg', 'gelu']))).join('\n')).toMatch(/params\.compare/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].model = 'gelu'))).join('\n')).toMatch(/runs\[0\]\.model/);
    expect(errorsOf(edited(text, (f) => (f.params.compare = []))).join('\n')).toMatch(/not a comparison/);
  });

  it('NaN: as a bare word (not JSON), as null or as text where a finite number is needed', () => {
    expect(errorsOf(text.replace(/"values": \[[^,\]]+/, '"values": [NaN'))[0]).toMatch(/^Not JSON/);
    const asNull = errorsOf(edited(text, (f) => (f.runs[0].g.values[3] = null)));
    expect(asNull.join('\n')).toMatch(/runs\[0\]\.g\.values\[3\]/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].history.testAcc[2] = 'NaN'))).join('\n')).toMatch(/runs\[0\]\.history\.testAcc\[2\]/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].g.values[0] = 1e300))).join('\n')).toMatch(/runs\[0\]\.g\.values\[0\]/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].history.testAcc[2] = 1.5))).join('\n')).toMatch(/testAcc\[2\]/);
  });

  it('array lengths that do not fit the grid or each other', () => {
    expect(errorsOf(edited(text, (f) => f.runs[0].g.values.pop())).join('\n')).toMatch(
      /runs\[0\] \("twoArg-s1"\)\.g\.values: expected 4096 numbers \(64 x 64\), found 4095/,
    );
    expect(errorsOf(edited(text, (f) => (f.runs[0].density.grid.size = 32))).join('\n')).toMatch(/density\.values: expected 1024/);
    expect(errorsOf(edited(text, (f) => f.runs[1].history.testLoss.pop())).join('\n')).toMatch(/history: every column needs/);
    expect(errorsOf(edited(text, (f) => f.runs[2].g1d.ys.pop())).join('\n')).toMatch(/g1d: xs and ys need the same length/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].analysis.spectrum = [1, 2]))).join('\n')).toMatch(/spectrum/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].history.step = [...f.runs[0].history.step].reverse()))).join('\n')).toMatch(
      /must not decrease/,
    );
  });

  it('runs that do not follow the plan, or read-outs a model cannot have', () => {
    const swapped = errorsOf(
      edited(text, (f) => {
        [f.runs[0], f.runs[1]] = [f.runs[1], f.runs[0]];
      }),
    );
    expect(swapped.join('\n')).toMatch(/expected run twoArg-s1/);
    expect(errorsOf(edited(text, (f) => f.runs.pop())).join('\n')).toMatch(/expected 4 runs/);
    expect(errorsOf(edited(text, (f) => (f.plan[0].dataSeed = 5))).join('\n')).toMatch(/plan: does not follow/);
    expect(errorsOf(edited(text, (f) => (f.runs[2].g = f.runs[0].g))).join('\n')).toMatch(/oneArg model has no two-argument g/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].g1d = f.runs[2].g1d))).join('\n')).toMatch(/only a oneArg model/);
    expect(errorsOf(edited(text, (f) => (f.runs[0].surprise = 1))).join('\n')).toMatch(/surprise/);
  });

  it('lists at most a dozen problems, and never throws on arbitrary JSON', () => {
    const many = errorsOf(
      edited(text, (f) => {
        for (let i = 0; i < 40; i++) f.runs[0].g.values[i] = 'x';
      }),
    );
    expect(many.length).toBe(13);
    expect(many[12]).toMatch(/and \d+ more/);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = readComparisonFile(JSON.stringify(v) ?? 'null');
        return r.ok === false && r.errors.length > 0;
      }),
      { numRuns: 200 },
    );
    // Each field of a valid file replaced by an arbitrary value: refused or read, never thrown.
    const base = JSON.parse(text) as Record<string, unknown>;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(base)), fc.jsonValue(), (key, v) => {
        const r = readComparisonFile(JSON.stringify({ ...base, [key]: v }));
        return typeof r.ok === 'boolean';
      }),
      { numRuns: 100 },
    );
  });
});

describe('comparison CSV', () => {
  const { file, state } = exported();
  const tables = comparisonCsvTables(file);

  it('one table per file: metrics, runs and summary (robustness only when computed)', () => {
    expect(tables.map((t) => t.name)).toEqual(['metrics', 'runs', 'summary']);
    const byName = Object.fromEntries(tables.map((t) => [t.name, t]));
    expect(csvLines(byName.metrics.csv)[0]).toBe(METRICS_HEADER);
    expect(csvLines(byName.runs.csv)[0]).toBe(RUNS_HEADER);
    expect(csvLines(byName.summary.csv)[0]).toBe(SUMMARY_HEADER);
    // One row per run and recorded step, one per run, one per model.
    const points = Object.values(state.runs).reduce((n, r) => n + r.history.length, 0);
    expect(byName.metrics.rows).toBe(points);
    expect(csvLines(byName.metrics.csv)).toHaveLength(points + 1);
    expect(csvLines(byName.runs.csv)).toHaveLength(12 + 1);
    expect(csvLines(byName.summary.csv)).toHaveLength(3 + 1);
    // Every row as wide as its header.
    for (const t of tables) {
      const [head, ...rows] = csvLines(t.csv);
      const width = head.split(',').length;
      for (const row of rows) expect(row.split(',').length).toBe(width);
    }
  });

  it('holds the same numbers as the JSON, full precision, non-numbers empty', () => {
    const metrics = csvLines(tables[0].csv);
    const first = state.runs[state.plans[0].runId].history[1];
    expect(metrics[2]).toBe(
      [
        state.plans[0].runId,
        'twoArg',
        state.plans[0].seed,
        first.step,
        first.epoch,
        first.trainLoss,
        first.testLoss,
        first.trainAcc,
        first.testAcc,
      ].join(','),
    );
    // The diverged run's last losses (NaN, Infinity) are empty cells.
    const diverged = file.runs.find((r) => r.diverged)!;
    const lastRow = metrics.filter((l) => l.startsWith(`${diverged.runId},`)).pop()!;
    expect(lastRow.split(',').slice(5, 7)).toEqual(['', '']);
    const summaryRow = csvLines(tables[2].csv)[1].split(',');
    const m = file.summary.models[0];
    expect(summaryRow[0]).toBe('twoArg');
    expect(Number(summaryRow[6])).toBe(m.testAcc.mean);
    expect(Number(summaryRow[7])).toBe(m.testAcc.sd);
    expect(Number(summaryRow[19])).toBe(m.saddle!.learned.rate);
    // A model without g has empty saddle cells.
    const reluRow = csvLines(tables[2].csv)[3].split(',');
    expect(reluRow[0]).toBe('relu');
    expect(reluRow.slice(17)).toEqual(Array(18).fill(''));
  });

  it('cells: quoted when they must be, formulas kept as text', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(NaN)).toBe('');
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
  });
});
