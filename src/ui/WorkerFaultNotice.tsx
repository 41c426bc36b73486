/** The training worker died: what happened to the run, in plain words, and a Restart button when needed. */
import { appStore, useApp } from '../state/store';
import { FaultNoticeShell } from './FaultNoticeShell';

export function WorkerFaultNotice() {
  const fault = useApp((s) => s.workerFault);
  if (!fault) return null;
  const from =
    fault.step === null
      ? 'rebuilt the run from the link (there was no checkpoint yet)'
      : `took over the run from its last checkpoint, at step ${fault.step.toLocaleString('en-US')}`;
  return (
    <FaultNoticeShell
      kind={fault.kind}
      testId="worker-fault"
      data={{ 'data-step': fault.step ?? '' }}
      restartTestId="restart-worker"
      onRestart={() => appStore.getState().restartWorker()}
      onDismiss={() => appStore.getState().dismissWorkerFault()}
    >
      {fault.kind === 'restarted' ? (
        <>
          <strong>The training worker stopped</strong> ({fault.reason}). A fresh one {from}.
        </>
      ) : (
        <>
          <strong>The training worker stopped again</strong> ({fault.reason}). It restarts by itself at most once a minute: press Restart to
          continue
          {fault.step === null ? '.' : ` from step ${fault.step.toLocaleString('en-US')}.`}
        </>
      )}
    </FaultNoticeShell>
  );
}
