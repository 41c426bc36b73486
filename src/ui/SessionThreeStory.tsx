/**
 * Session III in numbers, beside the loss chart's "g frozen" line: the accuracy the network had
 * with its learned g when g was frozen, and the accuracy now that the re-initialised outer
 * network has retrained around the frozen g. If the learned g is a good activation, the second
 * climbs back to the first.
 */
import { selectMainSnapshot, useApp } from '../state/store';
import { grouped, percent } from '../viz/format';

export function SessionThreeStory() {
  const story = useApp((s) => {
    const snap = selectMainSnapshot(s);
    return snap?.session === 3 ? (snap.sessionThree ?? null) : null;
  });
  const now = useApp((s) => {
    const h = selectMainSnapshot(s)?.history;
    return h && h.length > 0 ? h[h.length - 1] : null;
  });
  if (!story) return null;
  const since = now ? Math.max(0, now.step - story.step) : 0;
  return (
    <div
      className="session-story"
      data-testid="session-three-story"
      role="group"
      aria-label="Session III: accuracy before and after freezing g"
    >
      <p className="session-story-title">g frozen at step {grouped(story.step)}: the rest of the network started again with it.</p>
      <dl className="session-story-facts">
        <div>
          <dt>test accuracy, g learning</dt>
          <dd data-testid="session-three-before" data-value={String(story.before.testAcc)}>
            {percent(story.before.testAcc)}
          </dd>
        </div>
        <div>
          <dt>with g frozen{since > 0 ? `, ${grouped(since)} steps on` : ''}</dt>
          <dd data-testid="session-three-after" data-value={now ? String(now.testAcc) : undefined}>
            {percent(now?.testAcc)}
          </dd>
        </div>
      </dl>
    </div>
  );
}
