/**
 * The store's data slice with a fake worker: drawing edits reach the link at once and the worker
 * once (after the last edit), undo, large uploads and the link that needs a CSV, and a failed
 * image load that puts the previous data set back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Points2D } from '../../src/core/data/points';
import { NO_POINTS, withPoint } from '../../src/core/data/customData';
import { defaultParams, type Params } from '../../src/core/params';
import { POINTS_SEND_DELAY_MS, selectCustomPoints, selectLinkNeedsCsv } from '../../src/state/dataSlice';
import { decodeLink } from '../../src/state/link';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import type { ToWorker } from '../../src/worker/protocol';

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

describe('image data in the store', () => {
  it('tracks loading progress until the data arrives', () => {
    const { store } = setup();
    store.getState().setParam('dataset', 'digits');
    store.getState().receive({ type: 'datasetProgress', runId: MAIN_RUN, dataset: 'digits', name: 'digits', phase: 'download', fraction: 0.5, loaded: 5, total: 10 });
    expect(store.getState().data.loading?.fraction).toBe(0.5);
    store.getState().receive({
      type: 'imageData', runId: MAIN_RUN, dataset: 'digits', name: 'digits', width: 8, height: 8, classes: 10, classNames: [],
      trainCount: 1, testCount: 1, sample: { indices: new Int32Array(0), labels: new Int32Array(0), pixels: new Uint8ClampedArray(0) },
    });
    expect(store.getState().data.loading).toBeNull();
    expect(store.getState().data.images?.dataset).toBe('digits');
  });

  it('a failed load the worker survived puts the previous data set back and offers a retry', () => {
    const { store, sent } = setup();
    const before = store.getState().params;
    store.getState().setParam('dataset', 'fashion');
    store.getState().setParam('lr', 0.01); // changed while loading
    store.getState().receive({ type: 'datasetError', runId: MAIN_RUN, dataset: 'fashion', message: 'could not load Fashion-MNIST (HTTP 404)', kept: true, params: before });
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
