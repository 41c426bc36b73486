/**
 * The store's data slice with a fake worker: drawing edits reach the link at once and the worker
 * once (after the last edit), undo, large uploads and the link that needs a CSV, and a failed
 * image load that puts the previous data set back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Points2D } from '../../src/core/data/points';
import { NO_POINTS, withPoint } from '../../src/core/data/customData';
import { defaultParams, type Params } from '../../src/core/params';
import { memoCustomPoints, POINTS_SEND_DELAY_MS, selectCustomPoints, selectLinkNeedsCsv } from '../../src/state/dataSlice';
import { decodeLink } from '../../src/state/link';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import type { ToWorker } from '../../src/worker/protocol';
import { addPointAt, erasePointsNear, isUndoKey } from '../../src/ui/data/pointEditing';

function setup(params: Params = defaultParams()) {
  const sent: ToWorker[] = [];
  const store = createAppStore(params);
  store.getState().connect((m) => sent.push(m));
  return { store, sent };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the user’s own points in the store', () => {
  it('puts drawn points in the link at once and tells the worker once after the last edit', () => {
    const { store, sent } = setup();
    let p: Points2D = NO_POINTS;
    for (let i = 0; i < 6; i++) {
      p = withPoint(p, i / 10, -i / 10, (i % 2) as 0 | 1);
      store.getState().setCustomPoints(p, 'drawn');
    }
    const s = store.getState();
    expect(s.params.dataset).toBe('custom');
    expect(decodeLink(s.params.points ? `#points=${s.params.points}` : '').params.points).toBe(s.params.points);
    expect(selectCustomPoints(s).y.length).toBe(6);
    expect(sent.filter((m) => m.type === 'setPoints')).toHaveLength(0);
    vi.advanceTimersByTime(POINTS_SEND_DELAY_MS + 1);
    const msgs = sent.filter((m) => m.type === 'setPoints');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ params: { dataset: 'custom', points: s.params.points } });
  });

  it('keeps a playing run playing after the rebuild', () => {
    const { store, sent } = setup();
    store.getState().play();
    store.getState().setCustomPoints(withPoint(NO_POINTS, 0, 0, 1), 'drawn');
    vi.advanceTimersByTime(POINTS_SEND_DELAY_MS + 1);
    expect(sent.slice(-2).map((m) => m.type)).toEqual(['setPoints', 'play']);
  });

  it('undoes edits one step at a time; one eraser drag is one step', () => {
    const { store } = setup();
    const a = withPoint(NO_POINTS, 0.1, 0.1, 1);
    const b = withPoint(a, 0.2, 0.2, 0);
    const c = withPoint(b, 0.3, 0.3, 1);
    store.getState().setCustomPoints(a, 'drawn');
    store.getState().setCustomPoints(b, 'drawn');
    store.getState().setCustomPoints(c, 'drawn');
    // A drag erases two points in two moves: one undo step.
    store.getState().setCustomPoints(b, 'drawn', { gesture: 7 });
    store.getState().setCustomPoints(a, 'drawn', { gesture: 7 });
    expect(selectCustomPoints(store.getState()).y.length).toBe(1);
    store.getState().undoPoints();
    expect(selectCustomPoints(store.getState()).y.length).toBe(3);
    store.getState().undoPoints();
    expect(selectCustomPoints(store.getState()).y.length).toBe(2);
    store.getState().undoPoints();
    store.getState().undoPoints();
    expect(selectCustomPoints(store.getState()).y.length).toBe(0);
    store.getState().undoPoints(); // nothing left: no change
    expect(selectCustomPoints(store.getState()).y.length).toBe(0);
  });

  it('a large upload leaves the points out of the link and says the link needs the CSV', () => {
    const { store, sent } = setup();
    const n = 1000;
    const big = { x: new Float32Array(2 * n).map((_, i) => (i % 7) / 7), y: new Float32Array(n).map((_, i) => i % 2) };
    store.getState().setCustomPoints(big, 'csv', { name: 'big.csv' });
    const s = store.getState();
    expect(s.params).toMatchObject({ dataset: 'custom', points: '' });
    expect(selectCustomPoints(s)).toMatchObject({ name: 'big.csv' });
    expect(selectLinkNeedsCsv(s)).toBe('tooLarge');
    vi.advanceTimersByTime(POINTS_SEND_DELAY_MS + 1);
    const msg = sent.find((m) => m.type === 'setPoints');
    expect(msg && msg.type === 'setPoints' && msg.y.length).toBe(n);
  });

  it('a link with the custom data set but no points says so, and drawing clears the note', () => {
    // Choosing "your own" in the settings is not a link that lost its points.
    const picked = setup();
    picked.store.getState().setParam('dataset', 'custom');
    expect(selectLinkNeedsCsv(picked.store.getState())).toBeNull();

    const { store } = setup();
    store.getState().applyParams(decodeLink('#dataset=custom').params);
    expect(selectLinkNeedsCsv(store.getState())).toBe('opened');
    expect(selectCustomPoints(store.getState()).y.length).toBe(0);
    store.getState().setCustomPoints(withPoint(NO_POINTS, 0, 0, 1), 'drawn');
    expect(selectLinkNeedsCsv(store.getState())).toBeNull();
    // Points in the link are shown without any edit on this page.
    const linked = setup(decodeLink('#dataset=custom&points=.5p.5_-.5n-.5').params);
    expect(Array.from(selectCustomPoints(linked.store.getState()).y)).toEqual([1, 0]);
    expect(selectLinkNeedsCsv(linked.store.getState())).toBeNull();
  });
});

describe('the custom points memo', () => {
  it('gives the same object for the same inputs, a new one when either changes', () => {
    const of = memoCustomPoints();
    const mine = { ...withPoint(NO_POINTS, 0.5, 0.5, 1), source: 'drawn' as const, name: null };
    const a = of(null, '.5p.5_-.5n-.5');
    expect(of(null, '.5p.5_-.5n-.5')).toBe(a);
    expect(Array.from(a.y)).toEqual([1, 0]);
    const b = of(null, '.5p.5');
    expect(b).not.toBe(a);
    // The page's own points count while the link text describes them.
    expect(of(mine, '.5p.5')).toBe(mine);
  });

  it('belongs to each store: two stores read alternately keep their own points stable', () => {
    const one = setup(decodeLink('#dataset=custom&points=.5p.5_-.5n-.5').params).store;
    const two = setup(decodeLink('#dataset=custom&points=.1p.1_.2n.2_.3n.3').params).store;
    const a1 = selectCustomPoints(one.getState());
    const b1 = selectCustomPoints(two.getState());
    expect(selectCustomPoints(one.getState())).toBe(a1);
    expect(selectCustomPoints(two.getState())).toBe(b1);
    expect([a1.y.length, b1.y.length]).toEqual([2, 3]);
  });
});

describe('point editing on the plane', () => {
  it('adds a point of the chosen class, or of the other class with shift', () => {
    const { store } = setup();
    addPointAt(store.getState(), 0.25, -0.5, 1, false);
    addPointAt(store.getState(), -0.25, 0.5, 1, true);
    addPointAt(store.getState(), 0.1, 0.1, 0, false);
    const p = selectCustomPoints(store.getState());
    expect(Array.from(p.x)).toEqual([0.25, -0.5, -0.25, 0.5, Math.fround(0.1), Math.fround(0.1)]);
    expect(Array.from(p.y)).toEqual([1, 0, 0]);
    expect(store.getState().params.dataset).toBe('custom');
  });

  it('erases only points under the eraser; one drag is one undo step, a miss is no step', () => {
    const { store } = setup();
    for (const [x, y] of [
      [0, 0],
      [0.05, 0],
      [1, 1],
    ])
      addPointAt(store.getState(), x, y, 1, false);
    const undoBefore = store.getState().data.undo.length;
    erasePointsNear(store.getState(), -1, -1, 0.1, 5);
    expect(store.getState().data.undo.length).toBe(undoBefore);
    erasePointsNear(store.getState(), 0, 0, 0.01, 5);
    erasePointsNear(store.getState(), 0.05, 0, 0.01, 5);
    expect(Array.from(selectCustomPoints(store.getState()).x)).toEqual([1, 1]);
    expect(store.getState().data.undo.length).toBe(undoBefore + 1);
    store.getState().undoPoints();
    expect(selectCustomPoints(store.getState()).y.length).toBe(3);
  });

  it('undoes on Ctrl-Z or Cmd-Z only', () => {
    const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      ...mods,
    });
    expect(isUndoKey(key('z', { ctrlKey: true }))).toBe(true);
    expect(isUndoKey(key('Z', { metaKey: true }))).toBe(true);
    expect(isUndoKey(key('z'))).toBe(false);
    expect(isUndoKey(key('z', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isUndoKey(key('z', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isUndoKey(key('y', { ctrlKey: true }))).toBe(false);
  });
});

describe('image data in the store', () => {
  it('tracks loading progress until the data arrives', () => {
    const { store } = setup();
    store.getState().setParam('dataset', 'digits');
    store.getState().receive({
      type: 'datasetProgress',
      runId: MAIN_RUN,
      dataset: 'digits',
      name: 'digits',
      phase: 'download',
      fraction: 0.5,
      loaded: 5,
      total: 10,
    });
    expect(store.getState().data.loading?.fraction).toBe(0.5);
    store.getState().receive({
      type: 'imageData',
      runId: MAIN_RUN,
      dataset: 'digits',
      name: 'digits',
      width: 8,
      height: 8,
      classes: 10,
      classNames: [],
      trainCount: 1,
      testCount: 1,
      sample: { indices: new Int32Array(0), labels: new Int32Array(0), pixels: new Uint8ClampedArray(0) },
    });
    expect(store.getState().data.loading).toBeNull();
    expect(store.getState().data.images?.dataset).toBe('digits');
  });

  it('a failed load the worker survived puts the previous data set back and offers a retry', () => {
    const { store, sent } = setup();
    const before = store.getState().params;
    store.getState().setParam('dataset', 'fashion');
    store.getState().setParam('lr', 0.01); // changed while loading
    store.getState().receive({
      type: 'datasetError',
      runId: MAIN_RUN,
      dataset: 'fashion',
      message: 'could not load Fashion-MNIST (HTTP 404)',
      kept: true,
      params: before,
    });
    const s = store.getState();
    expect(s.params.dataset).toBe('xor');
    expect(s.params.lr).toBe(0.01);
    expect(s.data.notice).toMatchObject({ kind: 'loadError', message: 'could not load Fashion-MNIST (HTTP 404)' });
    expect(sent.at(-1)).toMatchObject({ type: 'setParams', params: { dataset: 'xor', lr: 0.01 } });
    store.getState().retryDataset();
    expect(store.getState().params.dataset).toBe('fashion');
    expect(store.getState().data.notice).toBeNull();
  });
});

describe('a run file whose image data cannot be loaded', () => {
  it('leaves the page’s params exactly as they were, says the file needs that data set, and Retry applies the whole file', () => {
    const before = { ...defaultParams(), seed: 5, hidden: [6] };
    const { store, sent } = setup(before);
    const fileParams = { ...defaultParams(), dataset: 'fashion' as const, hidden: [16, 16], seed: 9 };
    const file = {
      format: 'soft-xor-run',
      version: 1,
      params: fileParams,
      g: null,
    } as unknown as import('../../src/state/runFile').RunFile;
    store.getState().importRun(file);
    expect(store.getState().params.dataset).toBe('fashion');
    store.getState().receive({
      type: 'datasetError',
      runId: MAIN_RUN,
      dataset: 'fashion',
      message: 'could not load Fashion-MNIST (HTTP 404)',
      kept: true,
      params: before,
    });
    expect(store.getState().params).toEqual(before);
    const notice = store.getState().data.notice;
    expect(notice?.kind === 'loadError' && notice.importFile).toBe(file);
    sent.length = 0;
    store.getState().retryDataset();
    const again = sent.find((m) => m.type === 'importRun');
    expect(again && again.type === 'importRun' && again.params.hidden).toEqual([16, 16]);
    expect(store.getState().params.seed).toBe(9);
  });
});
