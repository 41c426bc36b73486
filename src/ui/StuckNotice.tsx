/** Says when a run trains without learning (loss at chance level), with what to change. */
import { stuckAdvice } from '../state/stuck';
import { selectMainSnapshot, useApp } from '../state/store';

export function StuckNotice() {
  const advice = useApp((s) => {
    const snap = selectMainSnapshot(s);
    if (!snap || (snap.status !== 'running' && snap.status !== 'paused')) return null;
    return stuckAdvice(snap.history, s.params);
  });
  if (!advice) return null;
  return (
    <div className="notice notice-warn" role="status" data-testid="stuck">
      <div className="notice-body">{advice}</div>
    </div>
  );
}
