/**
 * A small "?" that explains a control: visible on hover and keyboard focus, toggled by a tap on
 * touch screens. The text is also the control's accessible description (aria-describedby).
 */
import { useState } from 'react';

export function HelpTip({ id, label, text }: { id: string; label: string; text: string }) {
  const [open, setOpen] = useState(false);
  return (
    <span className={open ? 'help open' : 'help'}>
      <button
        type="button"
        className="help-button"
        aria-label={`What is ${label}?`}
        aria-expanded={open}
        aria-describedby={id}
        onClick={() => setOpen((o) => !o)}
        onBlur={() => setOpen(false)}
      >
        ?
      </button>
      <span role="tooltip" id={id} className="help-text">
        {text}
      </span>
    </span>
  );
}
