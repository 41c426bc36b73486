/**
 * A run outlives a page that crashed (a worker out of heap takes the tab down in Chromium): the
 * page saves its checkpoints, and a page opened later on the same run offers to continue from the
 * last one, but only when the page that saved it is gone without closing normally.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/core/params';
import {
  chooseOffer,
  CRASH_SAVE_MAX_AGE_MS,
  crashOfferStore,
  startCrashSaves,
  type CloseMarks,
  type CrashSave,
  type CrashSaveEnv,
  type SaveStore,
} from '../../src/state/crashSave';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import type { RunCheckpoint, ToWorker } from '../../src/worker/protocol';
import { fakeLocks } from './fakeLocks';

const params = defaultParams();

function checkpoint(step: number, p = params): RunCheckpoint {
  return {
    params: p,
    step,
    epoch: 1,
    session: 2,
    weights: [Float32Array.from([1, 2, 3])],
    optimizer: { name: 'adam', t: step, slots: [] },
    streams: {
      batches: { n: 250, shuffledFrom: { words: [1, 2, 3, 4], spareNormal: null }, cursor: 32 },
      dropout: { words: [5, 6, 7, 8], spareNormal: null },
    },
    gInit: null,
    history: [],
  };
}

const save = (pageId: string, step: number, savedAt: number, p = params): CrashSave => ({
  pageId,
  savedAt,
  checkpoint: checkpoint(step, p),
});

describe('which lost run a page offers', () => {
  const context = { ownPageId: 'me', alive: new Set(['living']), closed: (id: string) => id === 'closed', params, now: 1_000_000 };

  it('offers the newest run of this link whose page is gone without closing', () => {
    const saves = [
      save('crashed-early', 50, 900_000),
      save('crashed-late', 80, 990_000),
      save('living', 300, 999_000),
      save('me', 400, 999_500),
    ];
    expect(chooseOffer(saves, context)).toEqual({ offer: saves[1], drop: [] });
  });

  it('never offers a page that closed normally (dropped), an expired save (dropped), step 0, or another run (kept for its link)', () => {
    const other = save('other-seed', 90, 990_000, { ...params, seed: 99 });
    const saves = [save('closed', 90, 990_000), save('old', 90, 1_000_000 - CRASH_SAVE_MAX_AGE_MS - 1), save('fresh', 0, 990_000), other];
    expect(chooseOffer(saves, context)).toEqual({ offer: null, drop: ['closed', 'old'] });
    expect(chooseOffer([other], { ...context, params: other.checkpoint.params }).offer).toBe(other);
  });
});

/** Two pages of one browser: shared saves, marks and locks; each page its own pagehide. */
function browser() {
  const saved = new Map<string, CrashSave>();
  const marked = new Set<string>();
  const locks = fakeLocks();
  const saves: SaveStore = {
    put: (s) => Promise.resolve(void saved.set(s.pageId, structuredClone(s))),
    all: () => Promise.resolve([...saved.values()]),
    remove: (id) => Promise.resolve(void saved.delete(id)),
  };
  const marks: CloseMarks = { mark: (id) => marked.add(id), unmark: (id) => marked.delete(id), has: (id) => marked.has(id) };
  const page = () => {
    let hide: (hidden: boolean) => void = () => undefined;
    const env: CrashSaveEnv = { saves, marks, locks: locks.locks, now: () => Date.now(), onPageHide: (fn) => (hide = fn) };
    const store = createAppStore();
    const sent: ToWorker[] = [];
    store.setState({ transport: (m) => sent.push(m) });
    const stop = startCrashSaves(store, env);
    return { store, sent, stop, close: () => hide(true) };
  };
  /** The tab dies: no pagehide, its locks go with it. */
  const crash = (pageId: string) => locks.release(`soft-xor-page-${pageId}`);
  return { saved, page, crash };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('crash saves in the page', () => {
  afterEach(() => crashOfferStore.setState({ offer: null }));

  it('a page opened after another crashed offers its last checkpoint, and Continue restores it in this page’s worker', async () => {
    const b = browser();
    const first = b.page();
    first.store.setState({ checkpoint: checkpoint(120) });
    first.store.setState({ checkpoint: checkpoint(240) });
    await settle();
    const [written] = [...b.saved.values()];
    expect(written.checkpoint.step).toBe(240);
    // While the first page lives, a second one offers nothing.
    const living = b.page();
    await settle();
    expect(crashOfferStore.getState().offer).toBeNull();
    living.stop();

    b.crash(written.pageId);
    const second = b.page();
    await settle();
    expect(crashOfferStore.getState().offer).toMatchObject({ pageId: written.pageId, step: 240 });
    crashOfferStore.getState().accept();
    const restore = second.sent.find((m) => m.type === 'restoreRun');
    expect(restore).toMatchObject({ type: 'restoreRun', runId: MAIN_RUN, checkpoint: { step: 240 } });
    expect(second.store.getState().checkpoint?.step).toBe(240);
    expect(crashOfferStore.getState().offer).toBeNull();
    await settle();
    expect(b.saved.has(written.pageId)).toBe(false);
    first.stop();
    second.stop();
  });

  it('a page that closed normally (a reload) is not offered, and its save is removed', async () => {
    const b = browser();
    const first = b.page();
    first.store.setState({ checkpoint: checkpoint(120) });
    await settle();
    const [written] = [...b.saved.values()];
    first.close();
    b.crash(written.pageId); // its lock goes as it unloads
    const second = b.page();
    await settle();
    expect(crashOfferStore.getState().offer).toBeNull();
    expect(b.saved.has(written.pageId)).toBe(false);
    first.stop();
    second.stop();
  });
});
