/**
 * What compare mode's view shows for 3 models x 4 seeds: the table's words and numbers (the
 * numbers exactly summariseCompare's, at full precision, as the export writes them), the badges,
 * and the grid's structure (one cell per run with a learned activation, none for ReLU), rendered
 * to static markup so no browser is needed.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { summariseCompare, type CompareModelSummary } from '../../src/core/compare/summary';
import { defaultParams } from '../../src/core/params';
import { rateOf } from '../../src/core/stats/summary';
import { CompareGridView } from '../../src/ui/compare/CompareGrid';
import { CompareTableView } from '../../src/ui/compare/CompareTable';
import {
  bandReadout,
  cellBadge,
  gridRows,
  meanSdPct,
  rateText,
  rowFacts,
  compareTableSummary,
  tableColumns,
  tableRows,
  type TableRow,
} from '../../src/ui/compare/compareFormat';
import { whyInactive } from '../../src/ui/relevance';
import { bandRanges, modelBands } from '../../src/viz/compare/bandFigure';
import { stripSegments } from '../../src/viz/compare/cellFigure';
import { buildComparisonFile } from '../../src/state/compareFile';
import { compareFixture } from './compareFixture';
import { compareViewFixture, FIXTURE_STEP } from './compareViewFixture';

const summaryOf = () => summariseCompare(Object.values(compareViewFixture().runs));

function rowOf(rows: TableRow[], model: string): Record<string, string> {
  const row = rows.find((r) => r.model === model)!;
  return Object.fromEntries(row.cells.map((c) => [c.column, c.text]));
}

function valueAtPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const key of path.split('.')) cur = (cur as Record<string, unknown>)[key];
  return cur;
}

/** The attributes of every tag `tag` in some markup, unescaped. */
function tagsOf(html: string, tag: string): Record<string, string>[] {
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], unescape(a[2])])),
  );
}

describe('compare table: words', () => {
  it('writes rates as k/n with the 95% Wilson interval, and mean ± sd in percent', () => {
    // Hand-computed Wilson bounds: 3/4 -> 30.1%-95.4%, 2/4 -> 15.0%-85.0%, 0/4 -> 0-49.0%.
    expect(rateText(rateOf(3, 4))).toBe('3/4 (30–95%)');
    expect(rateText(rateOf(2, 4))).toBe('2/4 (15–85%)');
    expect(rateText(rateOf(0, 4))).toBe('0/4 (0–49%)');
    expect(rateText(rateOf(0, 0))).toBe('—');
    expect(meanSdPct({ mean: 0.965, sd: 0.0129, n: 4 })).toBe('96.5% ± 1.3');
    expect(meanSdPct({ mean: NaN, sd: NaN, n: 0 })).toBe('—');
  });

  it('fills one row per model from the summary, learned rate next to the step-0 rate', () => {
    const rows = tableRows(summaryOf());
    expect(rows.map((r) => r.model)).toEqual(['twoArg', 'oneArg', 'relu']);
    const two = rowOf(rows, 'twoArg');
    expect(two.acc).toBe('96.5% ± 1.3');
    expect(two.speed).toBe('400 ± 0 (4/4)');
    expect(two.params).toBe('2,345 (8-8)');
    expect(two.saddle).toBe('3/4 (30–95%)');
    expect(two.null).toBe('2/4 (15–85%)');
    expect(two.split).toBe('2 / 1');
    expect(two.bootstrap).toBe('2 decided · 1 undecided · 1 pending');
    expect(two.ratio).toBe('1.75 (step 0: 0.75)');
    const relu = rowOf(rows, 'relu');
    expect(relu.acc).toBe('80.3% ± 1.5 (1 diverged)');
    expect(relu.speed).toBe('not yet (0/3)');
    expect(relu.saddle).toBe('no g(a, b)');
    expect(relu.null).toBe('');
  });

  it('explains the null rate and the undecided verdict in the column help', () => {
    const cols = tableColumns(0.9);
    expect(cols.find((c) => c.id === 'speed')!.title).toBe('Steps to 90%');
    expect(cols.find((c) => c.id === 'null')!.help).toMatch(/null rate.*before training/);
    expect(cols.find((c) => c.id === 'bootstrap')!.help).toMatch(/Undecided: it straddles 0/);
  });
});

describe('compare table: numbers', () => {
  it('carries every shown number at full precision, equal to the summary (the export’s numbers)', () => {
    const summary = summaryOf();
    const rows = tableRows(summary);
    let checked = 0;
    rows.forEach((row, i) => {
      const model: CompareModelSummary = summary.models[i];
      for (const cell of row.cells) {
        for (const { field, value } of cell.values) {
          const v = valueAtPath(model, field) as number | null;
          expect(value, `${row.model} ${field}`).toBe(JSON.stringify(Number.isFinite(v) ? v : null));
          checked += 1;
        }
      }
    });
    // Accuracy 3, speed 3, size 1; with g(a, b) also two rates of 5, the split 2, verdicts 4, ratios 2.
    expect(checked).toBe(25 + 7 + 7);
    expect(JSON.parse(rows[0].cells[0].values[0].value)).toBe(summary.models[0].testAcc.mean);
  });

  it('shows the numbers of the exported comparison file, to the bit (runs in any order)', () => {
    const { params, state } = compareFixture();
    const file = buildComparisonFile({ params, state, createdAt: new Date(0) });
    // The store's record of runs, filled in whatever order snapshots arrived.
    const shuffled = { plans: state.plans, runs: Object.fromEntries(Object.entries(state.runs).reverse()) };
    const rows = tableRows(compareTableSummary(shuffled));
    expect(rows.map((r) => r.model)).toEqual(file.summary.models.map((m) => m.model));
    let checked = 0;
    rows.forEach((row, i) => {
      for (const cell of row.cells) {
        for (const { field, value } of cell.values) {
          expect(value, `${row.model} ${field}`).toBe(JSON.stringify(valueAtPath(file.summary.models[i], field)));
          checked += 1;
        }
      }
    });
    expect(checked).toBe(25 + 7 + 7);
  });

  it('renders a table with one row per model whose data attributes parse back to the summary', () => {
    const summary = summaryOf();
    const html = renderToStaticMarkup(createElement(CompareTableView, { summary }));
    expect(html).toContain('data-testid="compare-table"');
    expect(tagsOf(html, 'tr').filter((a) => a['data-model'])).toEqual([
      { 'data-model': 'twoArg' },
      { 'data-model': 'oneArg' },
      { 'data-model': 'relu' },
    ]);
    const rowsHtml = html.split('<tr data-model=').slice(1);
    expect(rowsHtml).toHaveLength(3);
    rowsHtml.forEach((rowHtml, i) => {
      for (const td of tagsOf(rowHtml, 'td').filter((a) => a['data-values'])) {
        const values = JSON.parse(td['data-values']) as Record<string, number | null>;
        expect(Object.keys(values)[0]).toBe(td['data-field']);
        expect(JSON.stringify(values[td['data-field']])).toBe(td['data-value']);
        for (const [field, v] of Object.entries(values)) {
          const want = valueAtPath(summary.models[i], field) as number;
          expect(v, field).toBe(Number.isFinite(want) ? want : null);
        }
      }
    });
    // The column help is on the page, as the buttons' descriptions.
    expect(html).toContain('aria-label="What is Saddle rate at step 0?"');
    expect(html).toContain('aria-label="What is Verdicts?"');
  });
});

describe('compare grid', () => {
  it('groups the runs into model rows with their size; a fixed activation has no cells', () => {
    const c = compareViewFixture();
    const rows = gridRows(c.plans, c.runs);
    expect(rows.map((r) => [r.model, r.kind, r.plans.length, r.seeds])).toEqual([
      ['twoArg', 'heatmap', 4, 4],
      ['oneArg', 'curve', 4, 4],
      ['relu', 'fixed', 0, 4],
    ]);
    expect(rowFacts(rows[0])).toBe('reference: 2,345 params, widths 8-8');
    expect(rowFacts(rows[2])).toBe('matched: 2,339 params, widths 13-13');
    expect(rowFacts({ model: 'oneArg', paramTotal: null, hidden: [] })).toBe('matched: building…');
  });

  it('renders one clickable cell per run with a learned activation (4 heatmaps, 4 curves)', () => {
    const compare = compareViewFixture();
    const html = renderToStaticMarkup(createElement(CompareGridView, { compare, themeKey: 'auto' }));
    expect(html).toContain('data-testid="compare-grid"');
    const cells = tagsOf(html, 'button').filter((a) => a['data-testid'] === 'compare-g');
    expect(cells).toHaveLength(8);
    expect(cells.filter((a) => a['data-kind'] === 'heatmap').map((a) => a['data-run'])).toEqual(
      compare.plans.filter((p) => p.model === 'twoArg').map((p) => p.runId),
    );
    expect(cells.filter((a) => a['data-kind'] === 'curve')).toHaveLength(4);
    expect(cells.map((a) => a['data-verdict'])).toEqual(['soft-xor', 'undecided', 'not-saddle', 'pending', 'none', 'none', 'none', 'none']);
    expect(cells[0]['aria-label']).toBe('Two-argument g(a, b), seed 7: soft XOR. Open this run in the single-run view');
    const sections = tagsOf(html, 'section').map((a) => a['data-model']);
    expect(sections).toEqual(['twoArg', 'oneArg', 'relu']);
    expect(html.split('data-model="relu"')[1]).toContain('fixed activation, no g');
    expect(html.match(/class="compare-strip"/g)).toHaveLength(4);
    // g at step 0 only on demand, and only beside g(a, b).
    expect(html).not.toContain('compare-init-label');
    const withInit = renderToStaticMarkup(createElement(CompareGridView, { compare, themeKey: 'auto', initialShowInit: true }));
    expect(withInit.match(/class="compare-init-label"/g)).toHaveLength(4);
    expect(withInit).toContain('<span>at step 0</span><span>soft XOR</span>');
  });

  it('badges say the bootstrap verdict with its interval, the point verdict while pending, and untrained at step 0', () => {
    const c = compareViewFixture();
    const [xor, undecided, , pending] = c.plans.filter((p) => p.model === 'twoArg').map((p) => c.runs[p.runId]);
    expect(cellBadge(xor)).toMatchObject({ word: 'soft XOR', verdict: 'soft-xor' });
    expect(cellBadge(xor).title).toContain('[-0.800, -0.300] over 50 resamples at step 400');
    expect(cellBadge(undecided).title).toMatch(/contains 0/);
    expect(cellBadge(pending)).toMatchObject({ word: 'soft XOR…', verdict: 'pending' });
    expect(cellBadge({ ...xor, step: 0 })).toMatchObject({ word: 'untrained', verdict: 'untrained' });
    expect(cellBadge({ ...xor, status: 'diverged', diverged: true }).verdict).toBe('diverged');
    expect(cellBadge(undefined).verdict).toBe('building');
  });

  it('merges the verdict history into stretches that end at the current step', () => {
    expect(
      stripSegments(
        [
          { step: 0, verdict: 'undecided' },
          { step: 50, verdict: 'soft-xor' },
          { step: 100, verdict: 'soft-xor' },
          { step: 150, verdict: 'not-saddle' },
        ],
        200,
      ),
    ).toEqual([
      { verdict: 'undecided', from: 0, to: 50 },
      { verdict: 'soft-xor', from: 50, to: 150 },
      { verdict: 'not-saddle', from: 150, to: 200 },
    ]);
    expect(stripSegments([], 10)).toEqual([]);
  });
});

describe('compare curves', () => {
  it('bands are the mean ± sd over seeds per step, and the read-out lists every seed', () => {
    const c = compareViewFixture();
    const runs = c.plans.map((p) => ({ model: p.model, seed: p.seed, history: c.runs[p.runId].history }));
    const bands = modelBands(runs, ['twoArg', 'oneArg', 'relu'], 'testAcc', () => '#000');
    const last = bands[0].points.find((p) => p.step === FIXTURE_STEP)!;
    expect(last.mean).toBeCloseTo(0.965, 12);
    expect(last.sd).toBeCloseTo(Math.sqrt(0.0005 / 3), 12);
    expect(last.n).toBe(4);
    const lines = bandReadout(bands, FIXTURE_STEP, 'testAcc');
    expect(lines[0]).toBe('step 400');
    expect(lines[1]).toBe('g(a, b): 96.5% ± 1.3 pts');
    expect(lines[2]).toBe('   s7 98.0%  s8 96.0%  s9 95.0%  s10 97.0%');
    // Losses on a log axis: whole decades around mean ± sd.
    const loss = modelBands(runs, ['twoArg'], 'testLoss', () => '#000');
    const r = bandRanges(loss, 'loss', true, null);
    expect(r.logScale).toBe(true);
    expect(r.y[0]).toBeLessThanOrEqual(Math.log10(0.12));
    expect(r.y[1]).toBeGreaterThanOrEqual(Math.log10(0.44 + 0.2));
    expect(bandRanges(loss, 'acc', true, null)).toMatchObject({ y: [0, 1.02], logScale: false });
  });
});

describe('settings in compare mode', () => {
  it('the single model and matching are decided by compare mode; inner settings stay for learned models', () => {
    const p = { ...defaultParams(), compare: ['twoArg', 'relu'] };
    expect(whyInactive('model', p)).toMatch(/Compare mode/);
    expect(whyInactive('match', p)).toMatch(/always matches/);
    expect(whyInactive('inner', { ...p, model: 'relu' })).toBeNull();
    expect(whyInactive('inner', { ...p, compare: ['relu', 'tanh'] })).toMatch(/None of the compared models/);
    expect(whyInactive('lr', p)).toBeNull();
  });
});
