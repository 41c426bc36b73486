/**
 * Things the user must know: a diverged run (never a silent NaN), worker errors, and what a
 * shared link got wrong and how it was corrected.
 */
import { PARAM_SPECS, type Params } from '../core/params';
import { appStore, selectMainSnapshot, useApp } from '../state/store';
import { DataNotices } from './data/DataNotices';
import { CloseIcon } from './icons';
import { StuckNotice } from './StuckNotice';
import { WorkerFaultNotice } from './WorkerFaultNotice';
import { CompareFaultNotice } from './compare/CompareFaultNotice';
import { CrashOfferNotice } from './CrashOfferNotice';

function keyLabel(key: string): string {
  return key in PARAM_SPECS ? PARAM_SPECS[key as keyof Params].label : key === 'v' ? 'Link version' : key === 'preset' ? 'Preset' : key;
}

function DismissButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={onClick}>
      <CloseIcon />
    </button>
  );
}

function DivergedNotice() {
  const status = useApp((s) => selectMainSnapshot(s)?.status);
  const message = useApp((s) => selectMainSnapshot(s)?.message ?? null);
  if (status !== 'diverged' && status !== 'error') return null;
  const title = status === 'diverged' ? 'Diverged' : 'Error';
  return (
    <div className="notice notice-danger" role="alert" data-testid="divergence">
      <div className="notice-body">
        <strong>{title}.</strong> {message ?? 'The loss is no longer a finite number.'}
      </div>
      <button type="button" className="btn btn-small" onClick={() => appStore.getState().reset()}>
        Reset
      </button>
    </div>
  );
}

function ErrorNotices() {
  const errors = useApp((s) => s.errors);
  return errors.map((e) => (
    <div key={e.id} className="notice notice-danger" role="alert" data-testid="worker-error">
      <div className="notice-body">
        <strong>Error{e.runId ? ` in run “${e.runId}”` : ''}:</strong> {e.message}
      </div>
      <DismissButton label="Dismiss this error" onClick={() => appStore.getState().dismissError(e.id)} />
    </div>
  ));
}

function CorrectionNotices() {
  const corrections = useApp((s) => s.corrections);
  if (corrections.length === 0) return null;
  return (
    <div className="notice notice-warn" role="status" data-testid="link-corrections">
      <div className="notice-body">
        <strong>The link had {corrections.length === 1 ? 'a value' : 'values'} this app cannot use; here is what was done:</strong>
        <ul>
          {corrections.map((c, i) => (
            <li key={`${c.key}-${i}`}>
              <span className="correction-key">{keyLabel(c.key)}</span>: {c.problem}
              <DismissButton label={`Dismiss the note about ${keyLabel(c.key)}`} onClick={() => appStore.getState().dismissCorrection(i)} />
            </li>
          ))}
        </ul>
      </div>
      <DismissButton label="Dismiss all link notes" onClick={() => appStore.getState().dismissAllCorrections()} />
    </div>
  );
}

export function Notices() {
  return (
    <div className="notices">
      <WorkerFaultNotice />
      <CompareFaultNotice />
      <CrashOfferNotice />
      <DivergedNotice />
      <StuckNotice />
      <ErrorNotices />
      <CorrectionNotices />
      <DataNotices />
    </div>
  );
}
