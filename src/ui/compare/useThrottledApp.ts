/**
 * A store slice for React that changes at most every `ms`: compare mode's runs send snapshots
 * many times a second each, and the grid and the table need not re-render for every one. The
 * newest value always lands (a trailing update), and a hidden tab does not re-render at all.
 */
import { useState, useSyncExternalStore } from 'react';
import { appStore, type AppState } from '../../state/store';

class ThrottledSource<T> {
  private value: T;
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly select: (s: AppState) => T,
    private readonly ms: number,
  ) {
    this.value = select(appStore.getState());
  }

  get = (): T => this.value;

  subscribe = (notify: () => void): (() => void) => {
    const publish = () => {
      this.timer = null;
      if (document.hidden) return; // visibilitychange publishes when the tab shows again
      const next = this.select(appStore.getState());
      this.lastAt = performance.now();
      if (Object.is(next, this.value)) return;
      this.value = next;
      notify();
    };
    const request = () => {
      if (this.timer !== null) return;
      this.timer = setTimeout(publish, Math.max(0, this.lastAt + this.ms - performance.now()));
    };
    const unsubscribe = appStore.subscribe((s) => {
      if (!Object.is(this.select(s), this.value)) request();
    });
    const onVisible = () => {
      if (!document.hidden) request();
    };
    document.addEventListener('visibilitychange', onVisible);
    request(); // catch up with anything that changed before subscribing
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisible);
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
    };
  };
}

/** `select` must be stable (a module-level function): it is read once, when the component mounts. */
export function useThrottledApp<T>(select: (s: AppState) => T, ms: number): T {
  const [source] = useState(() => new ThrottledSource(select, ms));
  return useSyncExternalStore(source.subscribe, source.get, source.get);
}
