/**
 * The frame of a notice that a training worker died, shared by the single run's
 * (WorkerFaultNotice) and compare mode's (compare/CompareFaultNotice): a warning while a fresh
 * worker carries on, with a dismiss button; a danger notice with a Restart button once the
 * restarts by themselves are spent.
 */
import type { ReactNode } from 'react';
import { CloseIcon } from './icons';

interface Props {
  kind: 'restarted' | 'stopped';
  testId: string;
  /** Data attributes for the tests and the curious: the step the run(s) go on from, and more. */
  data: Record<`data-${string}`, string | number>;
  restartTestId: string;
  onRestart: () => void;
  onDismiss: () => void;
  children: ReactNode;
}

export function FaultNoticeShell({ kind, testId, data, restartTestId, onRestart, onDismiss, children }: Props) {
  return (
    <div
      className={`notice ${kind === 'stopped' ? 'notice-danger' : 'notice-warn'}`}
      role="alert"
      data-testid={testId}
      data-kind={kind}
      {...data}
    >
      <div className="notice-body">{children}</div>
      {kind === 'stopped' ? (
        <button type="button" className="btn btn-small" data-testid={restartTestId} onClick={onRestart}>
          Restart
        </button>
      ) : (
        <button type="button" className="icon-button" aria-label="Dismiss this note" title="Dismiss this note" onClick={onDismiss}>
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
