/** A run of this link that a page lost without closing (the tab crashed, e.g. out of memory): continue it here? */
import { useStore } from 'zustand';
import { crashOfferStore } from '../state/crashSave';
import { CloseIcon } from './icons';

export function CrashOfferNotice() {
  const offer = useStore(crashOfferStore, (s) => s.offer);
  if (!offer) return null;
  const step = offer.step.toLocaleString('en-US');
  const when = new Date(offer.savedAt).toLocaleTimeString();
  return (
    <div className="notice notice-warn" role="status" data-testid="crash-offer" data-step={offer.step}>
      <div className="notice-body">
        <strong>A page training this run closed unexpectedly</strong> (the tab crashed, for example when it ran out of memory). Its last
        checkpoint, at step {step} ({when}), was kept.
      </div>
      <button type="button" className="btn btn-small" data-testid="crash-continue" onClick={() => crashOfferStore.getState().accept()}>
        Continue from step {step}
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss: start afresh and forget that checkpoint"
        title="Dismiss: start afresh and forget that checkpoint"
        onClick={() => crashOfferStore.getState().dismiss()}
      >
        <CloseIcon />
      </button>
    </div>
  );
}
