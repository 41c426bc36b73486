/**
 * The pure parts of sharing and exporting: curves CSV, file names, the embed snippet, the SVG
 * figure (well-formed, one rect per cell, nothing from outside rendered as markup), and the
 * store's run export / import intents and timeline.
 */
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/core/params';
import { CURVES_HEADER, curvesCsv, embedSnippet, exportFileName, pageUrl } from '../../src/state/exports';
import { buildRunFile, gLayout, readRunFile, serializeRunFile } from '../../src/state/runFile';
import { createAppStore, MAIN_RUN, selectReplayFrame } from '../../src/state/store';
import { heatmapSvg, LIGHT_THEME } from '../../src/viz/exportFigure';
import { frameDurationMs, lossDecades } from '../../src/viz/animation';
import type { RunExport, Snapshot, ToWorker } from '../../src/worker/protocol';
import { snapshotFixture } from './snapshotFixture';

describe('curves CSV', () => {
  it('has the header and one full-precision row per point; non-numbers are empty cells', () => {
    const csv = curvesCsv([
      { step: 0, epoch: 0, trainLoss: 0.6931471805599453, testLoss: 0.7, trainAcc: 0.5, testAcc: 0.5 },
      { step: 10, epoch: 0.625, trainLoss: NaN, testLoss: Infinity, trainAcc: 1, testAcc: 0.99 },
    ]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(CURVES_HEADER);
    expect(lines[0]).toBe('step,epoch,trainLoss,testLoss,trainAcc,testAcc');
    expect(lines[1]).toBe('0,0,0.6931471805599453,0.7,0.5,0.5');
    expect(lines[2]).toBe('10,0.625,,,1,0.99');
    expect(curvesCsv([])).toBe(CURVES_HEADER + '\n');
  });
});

describe('file names, links and the embed snippet', () => {
  it('file names say what they are and hold only safe characters', () => {
    expect(exportFileName({ dataset: 'xor', seed: 1 }, 1200, 'g', 'png')).toBe('soft-xor-xor-seed1-step1200-g.png');
    const hostile = exportFileName({ dataset: '../../<img src=x>' as never, seed: 5 }, 3, 'run', 'json');
    expect(hostile).toMatch(/^[a-z0-9.-]+$/);
  });

  it('the embed snippet is an iframe with a sensible size whose attributes cannot be broken out of', () => {
    const url = pageUrl('v=1&dataset=spiral&embed=1', { origin: 'https://example.org', pathname: '/play/', search: '' });
    expect(url).toBe('https://example.org/play/#v=1&dataset=spiral&embed=1');
    const snippet = embedSnippet(url);
    expect(snippet).toBe(
      '<iframe src="https://example.org/play/#v=1&amp;dataset=spiral&amp;embed=1" width="800" height="450" style="border:0" title="Soft-XOR Playground" allow="fullscreen"></iframe>',
    );
    expect(embedSnippet('x" onload="alert(1)')).not.toMatch(/" onload="/);
  });
});

function gField(size: number): Float32Array {
  const v = new Float32Array(size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) v[r * size + c] = ((c / (size - 1)) * 2 - 1) * ((r / (size - 1)) * 2 - 1);
  return v;
}

/** Every tag closes in order (a small well-formedness check without an XML library). */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0;
}

describe('heatmap SVG', () => {
  const size = 16;
  const grid = { min: -4, max: 4, size };
  const density = new Float32Array(size * size);
  const mask = new Uint8Array(size * size);
  for (let r = 4; r < 12; r++)
    for (let c = 4; c < 12; c++) {
      density[r * size + c] = 1;
      mask[r * size + c] = 1;
    }
  const input = {
    g: { grid, values: gField(size) },
    density: { grid, all: density, perLayer: [], mask },
    densityLayer: 'all' as const,
    step: 1200,
    verdict: 'soft-xnor' as const,
  };

  it('is a well-formed SVG with one rect per cell, the 90% contour, axes and a title', () => {
    const svg = heatmapSvg(input);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#[0-9a-f]{6}"\/>/g)).toHaveLength(size * size);
    expect(svg).toContain('stroke-dasharray="2 4"');
    expect(svg).toContain('<title>g(a, b) at step 1200 · Soft XNOR</title>');
    expect(svg).toContain('a (basal)');
    // The corners: red where g is +1, blue where g is -1.
    expect(svg).toMatch(/fill="#67001f"/);
    expect(svg).toMatch(/fill="#053061"/);
  });

  it('theme values cannot inject markup', () => {
    const svg = heatmapSvg(input, { ...LIGHT_THEME, text: '"/><script>alert(1)</script>', font: '"><script>x</script>' });
    expect(svg).not.toContain('<script');
    expect(wellFormed(svg)).toBe(true);
  });
});

describe('animation helpers', () => {
  it('frame durations keep the whole video short and at most 15 fps', () => {
    expect(frameDurationMs(120)).toBeCloseTo(1000 / 15);
    expect(frameDurationMs(20)).toBe(300);
    expect(frameDurationMs(2)).toBe(500);
  });
  it('loss decades cover the history', () => {
    expect(lossDecades([])).toEqual([-2, 0]);
    expect(lossDecades([{ step: 0, epoch: 0, trainLoss: 0.7, testLoss: 0.02, trainAcc: 0, testAcc: 0 }])).toEqual([-2, 0]);
  });
});

const snapshot = (over: Partial<Snapshot>): Snapshot => snapshotFixture(over);

const g = (v: number) => ({ grid: { min: -4, max: 4, size: 2 }, values: new Float32Array(4).fill(v) });

describe('store: timeline, run export and import', () => {
  function setup() {
    const sent: ToWorker[] = [];
    const store = createAppStore();
    store.getState().connect((m) => sent.push(m));
    return { store, sent };
  }

  it('keeps the frames of g the worker sends; a replay shows the chosen frame; a reset returns to live', () => {
    const { store } = setup();
    for (const step of [0, 10, 20])
      store.getState().receive({ type: 'frame', runId: MAIN_RUN, step, g: g(step), density: null, analysis: null });
    // A full snapshot between frame steps (pacing, pause) is shown live but is not a frame.
    store.getState().receive({ type: 'snapshot', snapshot: snapshot({ step: 25, g: g(25) }) });
    expect(store.getState().timeline.frames.map((f) => f.step)).toEqual([0, 10, 20]);
    store.getState().setUi({ timelineStep: 12 });
    expect(selectReplayFrame(store.getState())?.step).toBe(10);
    store.getState().receive({ type: 'frame', runId: MAIN_RUN, step: 0, g: g(-1), density: null, analysis: null });
    expect(store.getState().timeline.frames.map((f) => f.step)).toEqual([0]);
    expect(store.getState().ui.timelineStep).toBeNull();
    // A run without g(a, b) (a ReLU baseline) has no timeline.
    store.getState().receive({ type: 'snapshot', snapshot: snapshot({ step: 0, g: null, model: 'relu' }) });
    expect(store.getState().timeline.frames).toEqual([]);
  });

  it('requestRunExport asks the worker and resolves with its answer; errors reject', async () => {
    const { store, sent } = setup();
    const pending = store.getState().requestRunExport();
    const req = sent.at(-1) as Extract<ToWorker, { type: 'exportRun' }>;
    expect(req.type).toBe('exportRun');
    const run = { params: defaultParams(), step: 5 } as RunExport;
    store.getState().receive({ type: 'runExport', runId: MAIN_RUN, requestId: req.requestId, run, error: null });
    await expect(pending).resolves.toBe(run);
    const failing = store.getState().requestRunExport();
    const req2 = sent.at(-1) as Extract<ToWorker, { type: 'exportRun' }>;
    store.getState().receive({ type: 'runExport', runId: MAIN_RUN, requestId: req2.requestId, run: null, error: 'no run' });
    await expect(failing).rejects.toThrow('no run');
    await expect(store.getState().requestRunExport(10)).rejects.toThrow(/did not answer/);
  });

  it('importRun applies the file’s configuration, keeps the page’s view settings and sends g', () => {
    const { store, sent } = setup();
    store.getState().setParam('hide', ['explain']);
    store.getState().play();
    const params = { ...defaultParams(), dataset: 'circle' as const, seed: 9, backend: 'cpu' as const, embed: true };
    const weights = gLayout(params)!.lengths.map((n) => Array.from({ length: n }, () => 0.5));
    const text = serializeRunFile(
      buildRunFile({ params, link: '', step: 3, epoch: 0, session: 2, backend: 'cpu', metrics: [], analysis: null, gWeights: weights }),
    );
    const r = readRunFile(text);
    if (!r.ok) throw new Error(r.errors.join('; '));
    store.getState().importRun(r.file);
    const p = store.getState().params;
    expect(p.dataset).toBe('circle');
    expect(p.seed).toBe(9);
    expect(p.backend).toBe('cpu');
    expect(p.embed).toBe(false); // view settings stay the page's
    expect(p.hide).toEqual(['explain']);
    expect(store.getState().playing).toBe(false);
    const types = sent.slice(-3).map((m) => m.type);
    expect(types).toEqual(['pause', 'setBackend', 'importRun']);
    const imp = sent.at(-1) as Extract<ToWorker, { type: 'importRun' }>;
    expect(imp.params).toEqual(p);
    expect(imp.gWeights).toEqual(weights);
  });
});
