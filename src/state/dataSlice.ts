/**
 * The store's part for data: the user's own points (drawn or uploaded, with undo), image data
 * loading and what the worker says about it, and the data notices. Plugged into the one store
 * (src/state/store.ts) as a slice; the worker hears about point edits shortly after the last
 * one, so drawing six points rebuilds the run once, not six times.
 */
import type { StateCreator } from 'zustand';
import { customPointsFor, fitsInLink, pointsLinkText } from '../core/data/customData';
import type { Points2D } from '../core/data/points';
import type { DataSource, Params } from '../core/params';
import type { DatasetErrorMessage, DatasetProgressMessage, ImageDataMessage, ToWorker } from '../worker/protocol';
import type { RunFile } from './runFile';

export interface CustomData extends Points2D {
  source: 'drawn' | 'csv';
  /** The uploaded file's name. */
  name: string | null;
}

export type DataNotice =
  /** An upload failed: nothing changed; the reasons with their line numbers. */
  | { kind: 'csvErrors'; fileName: string; lines: string[] }
  /** An upload worked, with remarks (ignored columns, -1 labels, data far from the plot...). */
  | { kind: 'csvNotes'; fileName: string; lines: string[] }
  /**
   * An image data set could not be loaded; kept: the previous run continues. importFile: a run
   * file needed it, and nothing of the file was applied (Retry imports the whole file again).
   */
  | { kind: 'loadError'; dataset: DataSource; message: string; kept: boolean; importFile?: RunFile };

export interface DataState {
  /** The user's own points as set on this page (full precision); null until the page sets some. */
  custom: CustomData | null;
  /** Earlier point sets, newest last (Undo). */
  undo: Points2D[];
  /** Progress of an image data set loading in the worker (main run). */
  loading: DatasetProgressMessage | null;
  /** The image data set of the main run: names, counts, sample test images. */
  images: ImageDataMessage | null;
  notice: DataNotice | null;
  /** A link (opened or edited) named the custom data set without points. */
  linkLacksPoints: boolean;
}

export interface DataSlice {
  data: DataState;
  /**
   * Replaces the user's own points (a drawing edit or an upload): switches to the custom data
   * set, puts small data sets in the link, and rebuilds the run. Edits with the same `gesture`
   * (one drag of the eraser) make one undo step.
   */
  setCustomPoints(points: Points2D, source: 'drawn' | 'csv', options?: { name?: string | null; gesture?: number }): void;
  undoPoints(): void;
  setDataNotice(notice: DataNotice | null): void;
  /** After a failed image load: try that data set again. */
  retryDataset(): void;
  /** Cancels the image download under way (the progress bar's Cancel); the run that stands stays. */
  cancelDownload(): void;
  /** Called when params come from a link (see AppState.applyParams). */
  linkApplied(params: Params): void;
  /** The worker's data messages (loading progress, image data, a failed load) for the main run. */
  receiveData(msg: DatasetProgressMessage | ImageDataMessage | DatasetErrorMessage): void;
  /** customPointsFor, remembered by this store (see selectCustomPoints). */
  customPointsOf(custom: CustomData | null, linkText: string): Points2D;
}

/** What the data slice reads and calls on the rest of the store (src/state/store.ts). */
export interface DataSliceHost {
  params: Params;
  playIntent: boolean;
  transport: ((msg: ToWorker) => void) | null;
  setParam<K extends keyof Params>(key: K, value: Params[K]): void;
  reset(): void;
  /** A run file being applied, and the params before it (restored if its image data cannot be loaded). */
  importing: { file: RunFile; before: Params } | null;
  importRun(file: RunFile): void;
  /** The run's model is rebuilt: its robustness results go (robustnessSlice.ts). */
  forgetRobustness?(runIds: readonly string[]): void;
}

/** The store state the data slice lives in. */
export type DataSliceState = DataSlice & DataSliceHost;

/** Undo steps kept. */
const MAX_UNDO = 50;
/** The worker rebuilds this long after the last edit (drawing several points = one rebuild). */
export const POINTS_SEND_DELAY_MS = 250;

const EMPTY: DataState = { custom: null, undo: [], loading: null, images: null, notice: null, linkLacksPoints: false };

/**
 * customPointsFor with a one-entry memory: the same inputs give the same object, so a component
 * subscribed to the points re-renders only when they change. Each store makes its own.
 */
export function memoCustomPoints(): (custom: CustomData | null, linkText: string) => Points2D {
  let memo: { custom: CustomData | null; text: string; result: Points2D } | null = null;
  return (custom, text) => {
    if (memo && memo.custom === custom && memo.text === text) return memo.result;
    const result = customPointsFor(text, custom);
    memo = { custom, text, result };
    return result;
  };
}

/** The user's own points as the page shows them: the edited ones, or the link's (see customPointsFor). */
export function selectCustomPoints(s: DataSliceState): Points2D {
  return s.customPointsOf(s.data.custom, s.params.points);
}

/**
 * Whether the link lacks the points of the custom data set: 'opened' when a link named the
 * custom data without points (too many for a link, or none drawn), 'tooLarge' when this page's
 * data set does not fit in a link. Null otherwise.
 */
export function selectLinkNeedsCsv(s: DataSliceState): 'opened' | 'tooLarge' | null {
  if (s.params.dataset !== 'custom' || s.params.points !== '') return null;
  if (s.data.custom === null) return s.data.linkLacksPoints ? 'opened' : null;
  return fitsInLink(s.data.custom) ? null : 'tooLarge';
}

/**
 * The data slice of a store (zustand's slice pattern) for the run `runId`: the worker hears
 * about point edits, and data messages are taken, for that run only.
 */
export function createDataSlice(runId: string): StateCreator<DataSliceState, [], [], DataSlice> {
  return (set, get) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastGesture: number | undefined;
    const send = (msg: ToWorker) => get().transport?.(msg);

    const flush = () => {
      timer = null;
      const s = get();
      const points = selectCustomPoints(s);
      // The worker rebuilds on the user's own points: results measured on the old model go.
      if (s.params.dataset === 'custom') s.forgetRobustness?.([runId]);
      send({ type: 'setPoints', runId, x: points.x.slice(), y: points.y.slice(), params: s.params });
      if (s.playIntent && s.params.dataset === 'custom') send({ type: 'play', runId });
    };

    const apply = (points: Points2D, custom: CustomData, undo: Points2D[]) => {
      const prev = get().params;
      const params: Params = { ...prev, dataset: 'custom', points: pointsLinkText(points) };
      set((st) => ({
        params,
        data: { ...st.data, custom, undo, linkLacksPoints: false, notice: st.data.notice?.kind === 'csvErrors' ? null : st.data.notice },
      }));
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(flush, POINTS_SEND_DELAY_MS);
    };

    return {
      data: EMPTY,

      setCustomPoints(points, source, options = {}) {
        const s = get();
        const current = selectCustomPoints(s);
        const sameGesture = options.gesture !== undefined && options.gesture === lastGesture;
        lastGesture = options.gesture;
        const undo = sameGesture ? s.data.undo : [...s.data.undo, current].slice(-MAX_UNDO);
        apply(
          points,
          { x: points.x, y: points.y, source, name: options.name ?? (source === 'csv' ? null : (s.data.custom?.name ?? null)) },
          undo,
        );
      },

      undoPoints() {
        const s = get();
        const previous = s.data.undo[s.data.undo.length - 1];
        if (!previous) return;
        lastGesture = undefined;
        apply(previous, { x: previous.x, y: previous.y, source: 'drawn', name: null }, s.data.undo.slice(0, -1));
      },

      setDataNotice(notice) {
        set((st) => ({ data: { ...st.data, notice } }));
      },

      linkApplied(params) {
        const lacks = params.dataset === 'custom' && params.points === '';
        if (lacks !== get().data.linkLacksPoints) set((st) => ({ data: { ...st.data, linkLacksPoints: lacks } }));
      },

      retryDataset() {
        const notice = get().data.notice;
        if (notice?.kind !== 'loadError') return;
        get().setDataNotice(null);
        if (notice.importFile) {
          get().importRun(notice.importFile);
          return;
        }
        if (get().params.dataset !== notice.dataset) get().setParam('dataset', notice.dataset);
        else get().reset();
      },

      cancelDownload() {
        send({ type: 'cancelLoad', runId });
      },

      receiveData(msg) {
        if (msg.runId !== runId) return;
        switch (msg.type) {
          case 'datasetProgress':
            set((st) => ({ data: { ...st.data, loading: msg } }));
            return;
          case 'imageData':
            set((st) => ({ data: { ...st.data, loading: null, images: msg } }));
            return;
          case 'datasetError': {
            const notice: DataNotice = { kind: 'loadError', dataset: msg.dataset, message: msg.message, kept: msg.kept };
            // The worker kept the previous run: the controls and the link go back to its data set
            // (unless the user has moved on meanwhile), and the worker gets any other settings changed
            // during the load.
            const importing = get().importing;
            if (importing && importing.file.params.dataset === msg.dataset && !msg.cancelled) {
              // A run file is applied whole or not at all: the page's params go back exactly as they were.
              const failed: DataNotice = {
                kind: 'loadError',
                dataset: msg.dataset,
                message: msg.message,
                kept: msg.kept,
                importFile: importing.file,
              };
              set((st) => ({ params: importing.before, importing: null, data: { ...st.data, loading: null, notice: failed } }));
              if (msg.kept) send({ type: 'setParams', runId, params: importing.before });
              return;
            }
            const revert = msg.kept && get().params.dataset === msg.dataset;
            // Cancelled because the user chose another data set meanwhile: nothing to say.
            if (msg.cancelled && !revert) {
              set((st) => ({ data: { ...st.data, loading: null } }));
              return;
            }
            const params: Params = revert ? { ...get().params, dataset: msg.params.dataset, points: msg.params.points } : get().params;
            set((st) => ({ params, data: { ...st.data, loading: null, notice } }));
            if (revert) send({ type: 'setParams', runId, params });
            return;
          }
        }
      },

      customPointsOf: memoCustomPoints(),
    };
  };
}
