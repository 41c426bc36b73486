/**
 * A modal <dialog> driven by a store flag: the browser traps and restores focus; Escape, the
 * close button and a click on the backdrop all call onClose.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { CloseIcon } from './icons';

export interface ModalDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  titleId: string;
  closeLabel: string;
  className?: string;
  testId: string;
  /** Focus the close button on open (for dialogs with nothing else to focus). */
  focusClose?: boolean;
  children: ReactNode;
}

export function ModalDialog({
  open,
  onClose,
  title,
  titleId,
  closeLabel,
  className = '',
  testId,
  focusClose = false,
  children,
}: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`help-dialog ${className}`.trim()}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) onClose(); // a click on the backdrop
      }}
    >
      <div className="help-dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label={closeLabel} onClick={onClose} autoFocus={focusClose}>
          <CloseIcon />
        </button>
      </div>
      {children}
    </dialog>
  );
}
