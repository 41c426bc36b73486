/**
 * What the point editor does to the store: add a point where the plane was clicked, erase the
 * points under an eraser drag, undo on Ctrl/Cmd-Z. The plane (src/viz/DecisionPlane.tsx)
 * only reports where; these decide what changes.
 */
import { withPoint, withoutPointsNear } from '../../core/data/customData';
import { selectCustomPoints } from '../../state/dataSlice';
import type { AppState } from '../../state/store';

/** Adds a point of the chosen class at (x, y); `shift` gives the other class. */
export function addPointAt(s: AppState, x: number, y: number, drawClass: 0 | 1, shift: boolean): void {
  const label = (shift ? 1 - drawClass : drawClass) as 0 | 1;
  s.setCustomPoints(withPoint(selectCustomPoints(s), x, y, label), 'drawn');
}

/** Erases the points within `radius` of (x, y); one drag (`gesture`) is one undo step. No change, no edit. */
export function erasePointsNear(s: AppState, x: number, y: number, radius: number, gesture: number): void {
  const before = selectCustomPoints(s);
  const after = withoutPointsNear(before, x, y, radius);
  if (after !== before) s.setCustomPoints(after, 'drawn', { gesture });
}

/** Ctrl-Z or Cmd-Z without shift or alt (shift would be redo, which there is none of). */
export function isUndoKey(e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'key'>): boolean {
  return (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z';
}
