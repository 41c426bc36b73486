/**
 * Keyboard shortcuts: space play/pause, S step, R reset, P presentation mode, F fullscreen,
 * ? help, Escape closes help (or leaves a focused select). They never fire while the user types in a field, and space on a
 * focused button is left to the button. An open dialog (help, share) keeps them off.
 */
import { useEffect } from 'react';
import { appStore } from '../state/store';
import { inCompareMode } from './compare/CompareControls';
import { togglePresent } from './PresentControls';
import { toggleFullscreen } from './shareActions';

export const SHORTCUTS: { keys: string; action: string }[] = [
  { keys: 'Space', action: 'Play / pause' },
  { keys: 'S', action: 'One training step' },
  { keys: 'R', action: 'Reset the weights' },
  { keys: 'P', action: 'Presentation mode: large type, high contrast' },
  { keys: 'F', action: 'Fullscreen on / off' },
  { keys: '?', action: 'Show or hide this help' },
  { keys: 'Esc', action: 'Close this help' },
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function isActivatable(target: EventTarget | null): boolean {
  // A button left focused inside a dialog that just closed is not on screen: space is ours then.
  if (target instanceof HTMLElement && target.closest('dialog:not([open])')) return false;
  return (
    target instanceof HTMLButtonElement ||
    target instanceof HTMLAnchorElement ||
    (target instanceof HTMLElement && target.tagName === 'SUMMARY')
  );
}

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Escape leaves a select (chosen with the arrow keys, which keep focus there): the
      // shortcuts, which never fire inside a field, work again at once.
      if (e.key === 'Escape' && e.target instanceof HTMLSelectElement) {
        e.target.blur();
        return;
      }
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const store = appStore.getState();
      if (store.ui.shareOpen) return; // the share dialog has fields and buttons of its own
      if (store.ui.helpOpen && e.key !== '?' && e.key !== 'Escape') return;
      // In compare mode the run keys act on all runs together.
      const compare = inCompareMode(store);
      switch (e.key) {
        case ' ':
          if (isActivatable(e.target)) return;
          e.preventDefault(); // no page scroll
          if (e.repeat) break;
          if (compare) store.compareTogglePlay();
          else store.togglePlay();
          break;
        case 's':
        case 'S':
          if (compare) store.compareStep();
          else store.step();
          break;
        case 'r':
        case 'R':
          if (e.repeat) break;
          if (compare) store.compareReset();
          else store.reset();
          break;
        case 'p':
        case 'P':
          if (!e.repeat) togglePresent();
          break;
        case 'f':
        case 'F':
          if (!e.repeat) void toggleFullscreen();
          break;
        case '?':
          e.preventDefault();
          store.setUi({ helpOpen: !store.ui.helpOpen });
          break;
        case 'Escape':
          if (store.ui.helpOpen) store.setUi({ helpOpen: false });
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
