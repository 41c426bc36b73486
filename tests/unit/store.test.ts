import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/core/params';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import { INITIAL_UI } from '../../src/state/uiSlice';
import type { Snapshot, ToWorker } from '../../src/worker/protocol';
import { snapshotFixture } from './snapshotFixture';

function setup() {
  const sent: ToWorker[] = [];
  const store = createAppStore();
  store.getState().connect((m) => sent.push(m));
  return { store, sent };
}

const snapshot = (over: Partial<Snapshot>): Snapshot => snapshotFixture({ status: 'running', step: 1, ...over });

describe('store intents', () => {
  it('sends init with the current params on connect', () => {
    const { sent } = setup();
    expect(sent[0]).toEqual({ type: 'init', runId: MAIN_RUN, params: defaultParams() });
  });

  it('sanitises setParam and tells the worker', () => {
    const { store, sent } = setup();
    store.getState().setParam('lr', 1e9);
    expect(store.getState().params.lr).toBe(3);
    expect(sent.at(-1)).toMatchObject({ type: 'setParams', params: { lr: 3 } });
  });

  it('keeps a playing run playing across a rebuild and a reset', () => {
    const { store, sent } = setup();
    store.getState().play();
    store.getState().setParam('hidden', [4]);
    expect(sent.slice(-2).map((m) => m.type)).toEqual(['setParams', 'play']);
    store.getState().setParam('lr', 0.05); // live: no rebuild, no extra play
    expect(sent.at(-1)?.type).toBe('setParams');
    store.getState().reset();
    expect(sent.slice(-2).map((m) => m.type)).toEqual(['reset', 'play']);
  });

  it('step pauses a running run first', () => {
    const { store, sent } = setup();
    store.getState().play();
    store.getState().step();
    expect(sent.slice(-2)).toEqual([
      { type: 'pause', runId: MAIN_RUN },
      { type: 'step', runId: MAIN_RUN, steps: 1 },
    ]);
    expect(store.getState().playing).toBe(false);
  });

  it('a diverged snapshot stops the play intent; errors are kept, bounded', () => {
    const { store } = setup();
    store.getState().play();
    store.getState().receive({ type: 'snapshot', snapshot: snapshot({ status: 'diverged', message: 'lower lr' }) });
    expect(store.getState().playing).toBe(false);
    for (let i = 0; i < 9; i++) store.getState().receive({ type: 'error', runId: null, message: `e${i}` });
    expect(store.getState().errors.length).toBe(5);
    expect(store.getState().errors.at(-1)?.message).toBe('e8');
  });

  it('setBackend updates the param and sends setBackend', () => {
    const { store, sent } = setup();
    store.getState().setBackend('cpu');
    expect(store.getState().params.backend).toBe('cpu');
    expect(sent.some((m) => m.type === 'setBackend' && m.backend === 'cpu')).toBe(true);
  });

  it('newSeed picks a valid seed', () => {
    const { store } = setup();
    store.getState().newSeed();
    const seed = store.getState().params.seed;
    expect(Number.isInteger(seed)).toBe(true);
    expect(seed).toBeGreaterThanOrEqual(0);
  });
});

describe('store slices', () => {
  it('the ui slice starts from INITIAL_UI, merges patches, and never tells the worker', () => {
    const { store, sent } = setup();
    expect(store.getState().ui).toEqual(INITIAL_UI);
    const before = sent.length;
    store.getState().setUi({ showTest: false, densityLayer: 1 });
    expect(store.getState().ui).toEqual({ ...INITIAL_UI, showTest: false, densityLayer: 1 });
    expect(sent.length).toBe(before);
  });

  it('each store has its own ui and data state', () => {
    const a = setup().store;
    const b = setup().store;
    a.getState().setUi({ theme: 'dark' });
    a.getState().setDataNotice({ kind: 'csvNotes', fileName: 'a.csv', lines: ['note'] });
    expect(b.getState().ui.theme).toBe('auto');
    expect(b.getState().data.notice).toBeNull();
  });

  it('data messages for another run are left alone', () => {
    const { store } = setup();
    const progress = {
      type: 'datasetProgress',
      runId: 'other',
      dataset: 'digits',
      name: 'Digits',
      phase: 'download',
      fraction: 0.5,
      loaded: 1,
      total: 2,
    } as const;
    store.getState().receive(progress);
    expect(store.getState().data.loading).toBeNull();
    store.getState().receive({ ...progress, runId: MAIN_RUN });
    expect(store.getState().data.loading).toMatchObject({ runId: MAIN_RUN, fraction: 0.5 });
  });
});
