/**
 * Tells the worker which optional read-outs the page shows (the `readouts` message): the
 * network view's read-out costs as much as the rest of a full snapshot, so the worker makes it
 * only while the page shows it. Shown means its panel is on screen (the panel reports it:
 * ui.networkOnScreen) or a unit is picked, whose arguments the g heatmap marks from the same
 * read-out wherever the panel is.
 */
import type { StoreApi } from 'zustand';
import type { ToWorker } from '../worker/protocol';
import { MAIN_RUN, type AppState } from './store';

/** Whether the page shows anything drawn from the main run's network view now. */
export function networkViewWanted(s: AppState): boolean {
  return s.ui.networkOnScreen || s.ui.selectedUnit !== null;
}

/**
 * Sends the wish through `post` now and whenever it changes; `resend()` repeats it (to a fresh
 * worker, before it rebuilds the run). Returns the way to stop watching.
 */
export function watchReadouts(store: StoreApi<AppState>, post: (msg: ToWorker) => void): { resend(): void; stop(): void } {
  let last = networkViewWanted(store.getState());
  const send = () => post({ type: 'readouts', runId: MAIN_RUN, network: last });
  send();
  const stop = store.subscribe((s) => {
    const wanted = networkViewWanted(s);
    if (wanted === last) return;
    last = wanted;
    send();
  });
  return { resend: send, stop };
}
