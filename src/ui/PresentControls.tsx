/**
 * Presentation mode (P: large type, high contrast, secondary panels hidden), fullscreen (F),
 * and the short messages ("Copied", "Fullscreen was refused") shown for a few seconds.
 *
 * Presentation mode is not part of the link: it is how this screen shows the run, chosen by
 * whoever presents (fullscreen needs their key press anyway), not part of the run a link shares.
 */
import { useEffect, useLayoutEffect, useState } from 'react';
import { appStore, useApp } from '../state/store';
import { FullscreenIcon, PresentIcon } from './icons';
import { toggleFullscreen } from './shareActions';

/** Mirrors presentation mode onto <html data-present>, where the CSS switches. */
export function usePresentation(): void {
  const present = useApp((s) => s.ui.present);
  // Before paint: the charts redraw on the next frame and read the CSS this attribute switches.
  useLayoutEffect(() => {
    const root = document.documentElement;
    if (present) root.dataset.present = '';
    else delete root.dataset.present;
  }, [present]);
}

export function togglePresent(): void {
  const s = appStore.getState();
  const present = !s.ui.present;
  // The attribute first: the store change wakes the charts, which read the CSS it switches.
  if (present) document.documentElement.dataset.present = '';
  else delete document.documentElement.dataset.present;
  s.setUi({ present });
}

export function PresentButton() {
  const present = useApp((s) => s.ui.present);
  const label = present ? 'Leave presentation mode (P)' : 'Presentation mode: large type, high contrast (P)';
  return (
    <button
      type="button"
      className="icon-button"
      data-testid="present-toggle"
      aria-pressed={present}
      aria-label={label}
      title={label}
      onClick={togglePresent}
    >
      <PresentIcon />
    </button>
  );
}

export function FullscreenButton() {
  const [full, setFull] = useState(() => typeof document !== 'undefined' && !!document.fullscreenElement);
  useEffect(() => {
    const update = () => setFull(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, []);
  const label = full ? 'Leave fullscreen (F)' : 'Fullscreen (F)';
  return (
    <button
      type="button"
      className="icon-button"
      data-testid="fullscreen-toggle"
      aria-pressed={full}
      aria-label={label}
      title={label}
      onClick={() => void toggleFullscreen()}
    >
      <FullscreenIcon />
    </button>
  );
}

/** The latest short message, for a few seconds; announced politely to screen readers. */
export function Toast() {
  const toast = useApp((s) => s.ui.toast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => {
      if (appStore.getState().ui.toast?.id === toast.id) appStore.getState().setUi({ toast: null });
    }, 4000);
    return () => clearTimeout(t);
  }, [toast]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className="toast" data-testid="toast">
          {toast.text}
        </div>
      )}
    </div>
  );
}
