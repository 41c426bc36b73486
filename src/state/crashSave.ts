/**
 * A run outlives the page that trained it. In Chromium a worker that runs out of JavaScript heap
 * takes its whole tab down ("Aw, Snap!"; measured in headless Chromium 156), so no watchdog in
 * the page can restore it. So the page keeps its run's latest checkpoint in IndexedDB under its
 * own id while it lives (holding a Web Lock named after that id), and marks a normal close
 * (pagehide, synchronously in localStorage). A page opened later on the same run (same data,
 * model and seed) that finds the save of a page that is gone without closing offers to continue
 * from it. Decisions here are pure (chooseOffer); the storage, the marks and the locks are
 * passed in, so tests run them without a browser.
 */
import { createStore, type StoreApi } from 'zustand';
import type { Params } from '../core/params';
import type { RunCheckpoint } from '../worker/protocol';
import { selectCustomPoints } from './dataSlice';
import { lifeLockName, pageLocks, type LockManagerLike } from './lifeLock';
import { MAIN_RUN, type AppState } from './store';
import { checkpointFor } from './supervision';

/** A save older than this is not offered any more (and is removed). */
export const CRASH_SAVE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** One page's latest checkpoint. */
export interface CrashSave {
  pageId: string;
  /** When it was written (ms since the epoch). */
  savedAt: number;
  checkpoint: RunCheckpoint;
}

/** Where saves are kept (IndexedDB in the page). */
export interface SaveStore {
  put(save: CrashSave): Promise<void>;
  all(): Promise<CrashSave[]>;
  remove(pageId: string): Promise<void>;
}

/** Marks of pages that closed normally, written synchronously as they close. */
export interface CloseMarks {
  mark(pageId: string): void;
  unmark(pageId: string): void;
  has(pageId: string): boolean;
}

/** The run a page may continue, and the saves nobody will ever offer (removed). */
export function chooseOffer(
  saves: CrashSave[],
  context: { ownPageId: string; alive: ReadonlySet<string>; closed: (pageId: string) => boolean; params: Params; now: number },
): { offer: CrashSave | null; drop: string[] } {
  const drop: string[] = [];
  let offer: CrashSave | null = null;
  for (const save of saves) {
    if (save.pageId === context.ownPageId || context.alive.has(save.pageId)) continue;
    if (context.closed(save.pageId) || context.now - save.savedAt > CRASH_SAVE_MAX_AGE_MS) {
      drop.push(save.pageId);
      continue;
    }
    // A crashed page's run on other settings stays for the page that opens its link.
    const fits = save.checkpoint.step > 0 && checkpointFor(context.params, save.checkpoint) !== null;
    if (fits && (!offer || save.savedAt > offer.savedAt)) offer = save;
  }
  return { offer, drop };
}

/** The offer the page shows (its own small store: the app store knows nothing of it). */
export interface CrashOfferState {
  offer: { pageId: string; step: number; savedAt: number } | null;
  /** Continues the offered run in this page's worker. */
  accept(): void;
  dismiss(): void;
}

export const crashOfferStore: StoreApi<CrashOfferState> = createStore<CrashOfferState>()(() => ({
  offer: null,
  accept: () => undefined,
  dismiss: () => undefined,
}));

/** What the crash saves need from the page. */
export interface CrashSaveEnv {
  saves: SaveStore;
  marks: CloseMarks;
  locks: LockManagerLike;
  now(): number;
  /** Calls fn when the page closes normally (pagehide); fn(false) when it comes back (bfcache). */
  onPageHide(fn: (hidden: boolean) => void): void;
}

const LOCK_PREFIX = 'soft-xor-page-';

/**
 * Keeps this page's checkpoint saved while it lives, and offers the run of a page that died
 * (see the file comment). Returns a function that stops saving. Without IndexedDB, localStorage
 * or Web Locks (where a dead page cannot be told from a living one) it does nothing.
 */
export function startCrashSaves(store: StoreApi<AppState>, env: CrashSaveEnv | null = browserCrashSaveEnv()): () => void {
  if (!env) return () => undefined;
  const pageId = lifeLockName();
  const alive = new AbortController();
  // Held for as long as this page lives: a page that finds it held knows this save is in use.
  void env.locks.request(LOCK_PREFIX + pageId, { signal: alive.signal }, () => new Promise<never>(() => undefined)).catch(() => undefined);
  env.onPageHide((hidden) => (hidden ? env.marks.mark(pageId) : env.marks.unmark(pageId)));

  let offered: CrashSave | null = null;
  const forget = (id: string) => {
    env.marks.unmark(id);
    void env.saves.remove(id).catch(() => undefined);
  };
  crashOfferStore.setState({
    accept: () => {
      const save = offered;
      const s = store.getState();
      offered = null;
      crashOfferStore.setState({ offer: null });
      if (!save || !s.transport || !checkpointFor(s.params, save.checkpoint)) return;
      forget(save.pageId);
      const own = s.params.dataset === 'custom' ? selectCustomPoints(s) : null;
      store.setState({ checkpoint: save.checkpoint });
      s.transport({
        type: 'restoreRun',
        runId: MAIN_RUN,
        params: s.params,
        checkpoint: structuredClone(save.checkpoint),
        points: own ? { x: own.x.slice(), y: own.y.slice() } : null,
      });
    },
    dismiss: () => {
      if (offered) forget(offered.pageId);
      offered = null;
      crashOfferStore.setState({ offer: null });
    },
  });

  const look = async () => {
    const [held, saves] = await Promise.all([env.locks.query(), env.saves.all()]);
    const living = new Set((held.held ?? []).flatMap((l) => (l.name?.startsWith(LOCK_PREFIX) ? [l.name.slice(LOCK_PREFIX.length)] : [])));
    const { offer, drop } = chooseOffer(saves, {
      ownPageId: pageId,
      alive: living,
      closed: (id) => env.marks.has(id),
      params: store.getState().params,
      now: env.now(),
    });
    drop.forEach(forget);
    offered = offer;
    if (offer) crashOfferStore.setState({ offer: { pageId: offer.pageId, step: offer.checkpoint.step, savedAt: offer.savedAt } });
  };
  void look().catch(() => undefined);

  // One write at a time; a checkpoint arriving meanwhile is written next (only the newest).
  let writing = false;
  let next: RunCheckpoint | null = null;
  const write = async () => {
    writing = true;
    while (next) {
      const checkpoint = next;
      next = null;
      await env.saves.put({ pageId, savedAt: env.now(), checkpoint }).catch(() => undefined);
    }
    writing = false;
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (!s.checkpoint || s.checkpoint === prev.checkpoint) return;
    next = s.checkpoint;
    if (!writing) void write();
  });
  return () => {
    unsubscribe();
    alive.abort();
  };
}

/** The page's IndexedDB, localStorage, Web Locks and pagehide, or null where one is missing. */
export function browserCrashSaveEnv(): CrashSaveEnv | null {
  const locks = pageLocks();
  if (!locks || typeof indexedDB === 'undefined' || typeof window === 'undefined') return null;
  let storage: Storage;
  try {
    storage = window.localStorage;
  } catch {
    return null;
  }
  const markKey = (id: string) => `soft-xor-closed:${id}`;
  return {
    saves: indexedDbSaves(),
    marks: {
      mark: (id) => {
        try {
          storage.setItem(markKey(id), '1');
        } catch {
          // Storage full or refused: the save may be offered once after a normal close.
        }
      },
      unmark: (id) => storage.removeItem(markKey(id)),
      has: (id) => storage.getItem(markKey(id)) !== null,
    },
    locks,
    now: () => Date.now(),
    onPageHide: (fn) => {
      window.addEventListener('pagehide', () => fn(true));
      window.addEventListener('pageshow', (e) => {
        if (e.persisted) fn(false);
      });
    },
  };
}

const DB_NAME = 'soft-xor-playground';
const STORE = 'crashSaves';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** Saves in IndexedDB (typed arrays are stored as they are). */
function indexedDbSaves(): SaveStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(DB_NAME, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'pageId' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB could not be opened'));
    });
    return db;
  };
  const read = async <T>(fn: (s: IDBObjectStore) => IDBRequest<T>) =>
    request(fn((await open()).transaction(STORE, 'readonly').objectStore(STORE)));
  /** Resolves once the change is committed (what a crash right after it must find). */
  const change = async (fn: (s: IDBObjectStore) => void) => {
    const tx = (await open()).transaction(STORE, 'readwrite');
    fn(tx.objectStore(STORE));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
  };
  return {
    put: (save) => change((s) => s.put(save)),
    all: () => read((s) => s.getAll() as IDBRequest<CrashSave[]>),
    remove: (id) => change((s) => s.delete(id)),
  };
}
