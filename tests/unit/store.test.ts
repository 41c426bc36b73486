import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/core/params';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import type { Snapshot, ToWorker } from '../../src/worker/protocol';

function setup() {
  const sent: ToWorker[] = [];
  const store = createAppStore();
  store.getState().connect((m) => sent.push(m));
  return { store, sent };
}

function snapshot(over: Partial<Snapshot>): Snapshot {
  return {
    runId: MAIN_RUN, status: 'running', message: null, step: 1, epoch: 0, session: 2, stepsPerSecond: 0,
    backend: 'cpu', backendReason: '', hidden: [8, 8], paramCount: { outer: 1, inner: 1, total: 2 }, history: [],
    g: null, gInit: null, density: null, analysis: null, g1d: null, decision: null, ...over,
  } as Snapshot;
}

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
    expect(sent.slice(-2)).toEqual([{ type: 'pause', runId: MAIN_RUN }, { type: 'step', runId: MAIN_RUN, steps: 1 }]);
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
