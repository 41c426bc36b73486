/**
 * A worker of compare mode's pool died: which runs it had, where they go on from, and that the
 * others wait for them at the same step (the lockstep holds); a Restart button when needed.
 */
import type { PoolFault } from '../../state/compareTypes';
import { appStore, useApp } from '../../state/store';
import { FaultNoticeShell } from '../FaultNoticeShell';

const n = (x: number) => x.toLocaleString('en-US');
const runs = (count: number) => `${count} run${count === 1 ? '' : 's'}`;

/** Where the dead worker's runs go on from, in words. */
function resumeWords(f: PoolFault): string {
  const total = f.runIds.length;
  if (f.rebuilt === total) return `rebuilt its ${runs(total)} from their seeds (no checkpoint had come yet)`;
  const rebuilt = f.rebuilt > 0 ? `; ${runs(f.rebuilt)} rebuilt from their seeds (no checkpoint yet)` : '';
  return `took over its ${runs(total)} from their last checkpoints, from step ${n(f.from)}${rebuilt}`;
}

export function CompareFaultNotice() {
  const fault = useApp((s) => s.compare?.fault ?? null);
  if (!fault) return null;
  const caughtUp = fault.from >= fault.target;
  return (
    <FaultNoticeShell
      kind={fault.kind}
      testId="compare-worker-fault"
      data={{ 'data-step': fault.from, 'data-target': fault.target, 'data-runs': fault.runIds.length }}
      restartTestId="compare-restart-worker"
      onRestart={() => appStore.getState().compareRestartWorkers()}
      onDismiss={() => appStore.getState().compareDismissFault()}
    >
      {fault.kind === 'restarted' ? (
        <>
          <strong>A training worker of the comparison stopped</strong> ({fault.reason}). A fresh one {resumeWords(fault)}
          {caughtUp
            ? '; all runs go on together.'
            : `, and trains them to step ${n(fault.target)}, where the other runs wait; then all go on together.`}
        </>
      ) : (
        <>
          <strong>A training worker of the comparison stopped again</strong> ({fault.reason}). It restarts by itself at most once a minute:
          its {runs(fault.runIds.length)} wait for a worker, and the other runs wait at step {n(fault.target)}. Press Restart to continue.
        </>
      )}
    </FaultNoticeShell>
  );
}
