/**
 * The comparison's export and import as the page runs them: a chosen file becomes the store's
 * compare state only when it is valid (else nothing changes and the reasons come back), the
 * export of the store's comparison equals the file it came from, and the buttons are enabled
 * exactly when there is something to export.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { comparePlan } from '../../src/core/compare/plan';
import { defaultParams } from '../../src/core/params';
import { comparisonBaseParams, loadComparison, selectCompare, setImportedComparison } from '../../src/state/compareAccess';
import { buildComparisonFile, COMPARE_FILE_MAX_BYTES, readComparisonFile, serializeComparisonFile } from '../../src/state/compareFile';
import { createAppStore } from '../../src/state/store';
import { CompareExportButtons } from '../../src/ui/compare/CompareExportButtons';
import {
  comparisonFileOf,
  importComparisonFile,
  selectHasComparison,
  selectHasComparisonFigure,
} from '../../src/ui/compare/compareExportActions';
import { compareFixture } from './compareFixture';

function fileText(opts: Parameters<typeof compareFixture>[0] = { models: ['twoArg', 'relu'], seeds: 2 }) {
  const fx = compareFixture(opts);
  return { ...fx, text: serializeComparisonFile(buildComparisonFile({ ...fx, createdAt: new Date(0) })) };
}

describe('importing a comparison into the store', () => {
  it('a valid file becomes the compare state, not playing', async () => {
    const { text, state } = fileText();
    const store = createAppStore();
    expect(selectCompare(store.getState())).toBeNull();
    const r = await importComparisonFile(new Blob([text], { type: 'application/json' }), store);
    expect(r.ok).toBe(true);
    const compare = selectCompare(store.getState())!;
    expect(compare.plans.map((p) => p.runId)).toEqual(state.plans.map((p) => p.runId));
    expect(compare.playing).toBe(false);
    expect(Object.keys(compare.runs)).toHaveLength(4);
    // The page's params are left alone (so no pool starts retraining over the imported runs).
    expect(store.getState().params.compare).toEqual([]);
  });

  it('an invalid or oversize file changes nothing and says why', async () => {
    const store = createAppStore();
    const bad = await importComparisonFile(new Blob(['{"format": "soft-xor-comparison", "version": 1}']), store);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors.length).toBeGreaterThan(0);
    expect(selectCompare(store.getState())).toBeNull();
    const huge = await loadComparison(new Blob([new Uint8Array(COMPARE_FILE_MAX_BYTES + 1)]));
    expect(huge.ok ? '' : huge.errors[0]).toMatch(/larger than/);
    const unreadable = await loadComparison({ size: 10, text: () => Promise.reject(new Error('gone')) } as unknown as Blob);
    expect(unreadable.ok ? '' : unreadable.errors[0]).toBe('The file could not be read: gone');
  });

  it('exporting an imported comparison writes the same runs and table again', async () => {
    const { text } = fileText({ models: ['twoArg', 'oneArg'], seeds: 3 });
    const store = createAppStore();
    await importComparisonFile(new Blob([text]), store);
    vi.stubGlobal('window', { location: { origin: 'https://example.org', pathname: '/play/', search: '' } });
    // The page's params are another configuration: the base params come from the plan.
    const again = comparisonFileOf(store.getState())!;
    const before = JSON.parse(text) as { runs: unknown; summary: unknown; params: unknown; plan: unknown };
    expect(again.runs).toEqual(before.runs);
    expect(again.summary).toEqual(before.summary);
    expect(again.plan).toEqual(before.plan);
    // Every setting comes back but `match`, which the plan forces on for every run and so cannot
    // be read back from it (a slice that kept the imported base params would avoid even that).
    expect({ ...again.params, match: false }).toEqual({ ...(before.params as object), match: false });
    expect(again.link).toMatch(/^https:\/\/example\.org\/play\/#.*compare=twoArg/);
    expect(readComparisonFile(serializeComparisonFile(again)).ok).toBe(true);
    vi.unstubAllGlobals();
  });
});

describe('the base params of a comparison', () => {
  it('are the page params in compare mode, else rebuilt so that they plan the same runs', () => {
    const base = { ...defaultParams(), compare: ['oneArg', 'twoArg'], seeds: 3, seed: 11, lr: 0.02 };
    const plans = comparePlan(base);
    expect(comparisonBaseParams({ plans }, base)).toBe(base);
    const page = { ...defaultParams(), seed: 99 };
    const rebuilt = comparisonBaseParams({ plans }, page);
    expect(comparePlan(rebuilt)).toEqual(plans);
    expect(rebuilt.lr).toBe(0.02);
    expect(comparisonBaseParams({ plans: [] }, page)).toBe(page);
  });
});

describe('the export buttons', () => {
  it('are labelled, and disabled outside compare mode', () => {
    const html = renderToStaticMarkup(createElement(CompareExportButtons));
    for (const id of ['compare-export-json', 'compare-export-csv', 'compare-export-png', 'compare-export-svg']) {
      expect(html).toMatch(new RegExp(`<button[^>]*data-testid="${id}" disabled=""`));
    }
    expect(html).toContain('role="group" aria-label="Export the comparison"');
    expect(html).toMatch(/<label for="([^"]+)">Import comparison \(JSON exported here, at most 20 MB\)<\/label><input id="\1"/);
  });

  it('are enabled with a comparison; the figure only with a learned activation', () => {
    const store = createAppStore();
    expect(selectHasComparison(store.getState())).toBe(false);
    expect(selectHasComparisonFigure(store.getState())).toBe(false);
    const fixed = readComparisonFile(serializeComparisonFile(buildComparisonFile(compareFixture({ models: ['relu', 'tanh'], seeds: 2 }))));
    if (!fixed.ok) throw new Error(fixed.errors.join());
    setImportedComparison(store, fixed.comparison);
    expect(selectHasComparison(store.getState())).toBe(true);
    expect(selectHasComparisonFigure(store.getState())).toBe(false);
    const learned = readComparisonFile(fileText().text);
    if (!learned.ok) throw new Error(learned.errors.join());
    setImportedComparison(store, learned.comparison);
    expect(selectHasComparisonFigure(store.getState())).toBe(true);
  });
});
