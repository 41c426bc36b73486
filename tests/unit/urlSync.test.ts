/**
 * The address bar and the params: an in-page jump (the skip link's #picture, "What am I looking
 * at?"'s #explain) scrolls and keeps every setting, while an edited hash is still read as a link.
 */
import { describe, expect, it } from 'vitest';
import { encodeLink } from '../../src/state/link';
import { createAppStore } from '../../src/state/store';
import { startUrlSync } from '../../src/state/urlSync';

/** A window with a location hash, history.replaceState, hash events and elements by id. */
function fakeWindow(ids: string[]) {
  const listeners = new Map<string, (() => void)[]>();
  const win = {
    location: { hash: '' },
    history: {
      state: null,
      replaceState: (_s: unknown, _t: string, url: string) => {
        win.location.hash = url;
      },
    },
    document: { getElementById: (id: string) => (ids.includes(id) ? {} : null) },
    addEventListener: (type: string, fn: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
    removeEventListener: () => undefined,
    /** The user follows a link to `hash` on this page. */
    navigate(hash: string) {
      win.location.hash = hash;
      for (const fn of listeners.get('hashchange') ?? []) fn();
    },
  };
  return win;
}

describe('startUrlSync', () => {
  it('an in-page jump (#explain, #picture) keeps the settings and puts them back in the address', () => {
    const store = createAppStore();
    const win = fakeWindow(['explain', 'picture']);
    startUrlSync(store, win as unknown as Window);
    store.getState().applyParams({ ...store.getState().params, seed: 7, lr: 0.01 }, []);
    const before = store.getState().params;
    const address = win.location.hash;
    expect(address).toContain('seed=7');
    for (const jump of ['#explain', '#picture']) {
      win.navigate(jump);
      expect(store.getState().params).toBe(before);
      expect(win.location.hash).toBe(address);
    }
  });

  it('an edited hash is still a link: its settings apply, and a bare unknown name resets to the defaults with a notice', () => {
    const store = createAppStore();
    const win = fakeWindow(['explain']);
    startUrlSync(store, win as unknown as Window);
    win.navigate('#' + encodeLink({ ...store.getState().params, seed: 9 }));
    expect(store.getState().params.seed).toBe(9);
    win.navigate('#nothing-here');
    expect(store.getState().params.seed).not.toBe(9);
  });
});
