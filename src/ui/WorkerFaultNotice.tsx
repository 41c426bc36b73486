/** The training worker died: what happened to the run, in plain words, and a Restart button when needed. */
import { appStore, useApp } from '../state/store';
import { CloseIcon } from './icons';

export function WorkerFaultNotice() {
  const fault = useApp((s) => s.workerFault);
  if (!fault) return null;
  const from =
    fault.step === null
      ? 'rebuilt the run from the link (there was no checkpoint yet)'
      : `took over the run from its last checkpoint, at step ${fault.step.toLocaleString('en-US')}`;
  return (
    <div
      className={`notice ${fault.kind === 'stopped' ? 'notice-danger' : 'notice-warn'}`}
      role="alert"
      data-testid="worker-fault"
      data-kind={fault.kind}
      data-step={fault.step ?? ''}
    >
      <div className="notice-body">
        {fault.kind === 'restarted' ? (
          <>
            <strong>The training worker stopped</strong> ({fault.reason}). A fresh one {from}.
          </>
        ) : (
          <>
            <strong>The training worker stopped again</strong> ({fault.reason}). It restarts by itself at most once a minute: press Restart
            to continue
            {fault.step === null ? '.' : ` from step ${fault.step.toLocaleString('en-US')}.`}
          </>
        )}
      </div>
      {fault.kind === 'stopped' ? (
        <button type="button" className="btn btn-small" data-testid="restart-worker" onClick={() => appStore.getState().restartWorker()}>
          Restart
        </button>
      ) : (
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss this note"
          title="Dismiss this note"
          onClick={() => appStore.getState().dismissWorkerFault()}
        >
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
