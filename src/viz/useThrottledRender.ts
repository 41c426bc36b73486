/**
 * Redraws a picture from a slice of the store, at most every `minIntervalMs`, through the shared
 * render queue, without re-rendering any React tree: the component subscribes to the store
 * directly and draws imperatively. A redraw that is still queued or running is never doubled;
 * the next one simply takes the newest state. Hidden tabs do not draw at all.
 */
import { useEffect, useId, useLayoutEffect, useRef, type RefObject } from 'react';
import { appStore, type AppState } from '../state/store';
import { renderQueue } from './renderQueue';

/** Shallow equality of two slice objects (each field compared with Object.is). */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  const ka = Object.keys(a) as (keyof T)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is(a[k], b[k]));
}

export function useThrottledRender<T extends object>(
  select: (s: AppState) => T,
  draw: (slice: T) => void | Promise<unknown>,
  minIntervalMs: number,
  /** Redraw also when this element changes size (canvases must repaint at the new size). */
  resizeTarget?: RefObject<Element | null>,
): void {
  // Keep the newest callbacks without resubscribing on every React render.
  const selectRef = useRef(select);
  const drawRef = useRef(draw);
  const owner = useId();
  useLayoutEffect(() => {
    selectRef.current = select;
    drawRef.current = draw;
  });

  useEffect(() => {
    let last: T | null = null;
    let lastDrawAt = -Infinity;
    let queued = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let alive = true;

    const job = async () => {
      if (!alive) return;
      if (document.hidden) {
        queued = false; // visibilitychange redraws when the tab shows again
        return;
      }
      const slice = selectRef.current(appStore.getState());
      last = slice;
      lastDrawAt = performance.now();
      try {
        await drawRef.current(slice);
      } finally {
        queued = false;
      }
      // State moved on while drawing: draw again (throttled).
      if (alive && !shallowEqual(selectRef.current(appStore.getState()), slice)) request();
    };

    const request = () => {
      if (queued || timer !== null || !alive) return;
      const wait = lastDrawAt + minIntervalMs - performance.now();
      if (wait > 0) {
        timer = setTimeout(() => {
          timer = null;
          request();
        }, wait);
        return;
      }
      queued = true;
      renderQueue.enqueue(owner, job);
    };

    const unsubscribe = appStore.subscribe((state) => {
      const slice = selectRef.current(state);
      if (last === null || !shallowEqual(slice, last)) request();
    });
    const onVisible = () => {
      if (!document.hidden) request();
    };
    document.addEventListener('visibilitychange', onVisible);
    const target = resizeTarget?.current;
    const resizeObserver = target ? new ResizeObserver(() => request()) : null;
    if (target) resizeObserver!.observe(target);
    request(); // first picture from the current state

    return () => {
      alive = false;
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisible);
      resizeObserver?.disconnect();
      if (timer !== null) clearTimeout(timer);
      renderQueue.cancel(owner);
    };
  }, [minIntervalMs, owner, resizeTarget]);
}
