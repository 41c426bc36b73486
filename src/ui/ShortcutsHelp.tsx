/** The keyboard help overlay: a modal <dialog> (focus trapped and restored by the browser). */
import { useEffect, useRef } from 'react';
import { appStore, useApp } from '../state/store';
import { CloseIcon } from './icons';
import { SHORTCUTS } from './useKeyboardShortcuts';

export function ShortcutsHelp() {
  const open = useApp((s) => s.ui.helpOpen);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const close = () => appStore.getState().setUi({ helpOpen: false });

  return (
    <dialog
      ref={ref}
      className="help-dialog"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-help"
      onClose={close}
      onClick={(e) => {
        if (e.target === ref.current) close(); // click on the backdrop
      }}
    >
      <div className="help-dialog-head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" className="icon-button" aria-label="Close keyboard help" onClick={close} autoFocus>
          <CloseIcon />
        </button>
      </div>
      <dl className="shortcut-list">
        {SHORTCUTS.map((s) => (
          <div key={s.keys}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.action}</dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}
