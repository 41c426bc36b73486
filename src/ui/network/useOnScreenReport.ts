/**
 * Reports whether the network view's panel is on screen (ui.networkOnScreen): the worker reads
 * the view only while it is (state/readoutWish.ts), since that read-out costs as much as the
 * rest of a full snapshot. "On screen" reaches half a screen beyond the viewport, so a user
 * scrolling towards the panel finds it already fresh. A panel not rendered is not on screen.
 */
import { useEffect, type RefObject } from 'react';
import { appStore } from '../../state/store';

function report(on: boolean): void {
  const s = appStore.getState();
  if (s.ui.networkOnScreen !== on) s.setUi({ networkOnScreen: on });
}

/** `ref`: the panel; `rendered`: whether it is in the page at all (false: an image data set). */
export function useOnScreenReport(ref: RefObject<HTMLElement | null>, rendered: boolean): void {
  useEffect(() => {
    const el = ref.current;
    if (!rendered || !el) {
      report(false);
      return;
    }
    // Without the observer (old browsers): shown whenever rendered, as before this existed.
    if (typeof IntersectionObserver === 'undefined') {
      report(true);
      return () => report(false);
    }
    const observer = new IntersectionObserver((entries) => report(entries[entries.length - 1].isIntersecting), { rootMargin: '50% 0px' });
    observer.observe(el);
    return () => {
      observer.disconnect();
      report(false);
    };
  }, [ref, rendered]);
}
