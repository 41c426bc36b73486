/** The keyboard help overlay: a modal <dialog> (focus trapped and restored by the browser). */
import { appStore, useApp } from '../state/store';
import { ModalDialog } from './ModalDialog';
import { SHORTCUTS } from './useKeyboardShortcuts';

export function ShortcutsHelp() {
  const open = useApp((s) => s.ui.helpOpen);
  return (
    <ModalDialog
      open={open}
      onClose={() => appStore.getState().setUi({ helpOpen: false })}
      title="Keyboard shortcuts"
      titleId="shortcuts-title"
      closeLabel="Close keyboard help"
      testId="shortcuts-help"
      focusClose
    >
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
    </ModalDialog>
  );
}
