/**
 * Keeps the address bar and the params in step, both ways:
 * - params -> hash with history.replaceState, so moving a slider does not add a history entry
 *   (the Back button leaves the page instead of undoing slider moves one by one);
 * - an edited hash (typed, pasted, or Back/Forward between real entries) -> params, without reload.
 */
import type { StoreApi } from 'zustand';
import { decodeLink, encodeLink } from './link';
import type { AppState } from './store';

export function startUrlSync(store: StoreApi<AppState>, win: Window = window): () => void {
  const writeHash = (state: AppState) => {
    const hash = '#' + encodeLink(state.params);
    if (win.location.hash !== hash) {
      win.history.replaceState(win.history.state, '', hash);
    }
  };

  const readHash = () => {
    if (isInPageJump(win)) {
      // The skip link (#picture) or "What am I looking at?" (#explain): the browser has scrolled
      // there; the address gets the settings back, and the settings and the run stay as they are
      // (read as a link, the bare name would reset every setting to its default).
      writeHash(store.getState());
      return;
    }
    const { params, corrections } = decodeLink(win.location.hash);
    const current = store.getState().params;
    if (JSON.stringify(params) !== JSON.stringify(current) || corrections.length > 0) {
      store.getState().applyParams(params, corrections);
    }
    // Write back the normalised form (clamped values, defaults dropped).
    writeHash(store.getState());
  };

  writeHash(store.getState());
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.params !== prev.params) writeHash(state);
  });
  win.addEventListener('hashchange', readHash);
  win.addEventListener('popstate', readHash);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', readHash);
    win.removeEventListener('popstate', readHash);
  };
}

/** Whether the hash names an element of the page (#explain), not settings: no "=", and such an id exists. */
function isInPageJump(win: Window): boolean {
  const name = win.location.hash.slice(1);
  if (name === '' || name.includes('=') || name.includes('&')) return false;
  try {
    return win.document?.getElementById(decodeURIComponent(name)) != null;
  } catch {
    return false; // a malformed escape: not an id, so a link (which decodeLink reports)
  }
}
