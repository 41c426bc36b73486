/**
 * The decision surface panel. On your own data set it is also the point editor: click adds a
 * point of the chosen class, shift-click one of the other class, dragging erases; pointer
 * events, so touch works too; Undo (Ctrl/Cmd-Z) and Clear. For image data sets it shows the
 * image results instead.
 */
import { useEffect, useMemo, useState } from 'react';
import { MIN_CUSTOM_POINTS, NO_POINTS, classCounts } from '../../core/data/customData';
import { isImageDataset } from '../../core/params';
import { selectCustomPoints } from '../../state/dataSlice';
import { appStore, useApp } from '../../state/store';
import { CLASS_COLORS } from '../../viz/colors';
import { DecisionPlane, type PlaneEditHandlers } from '../../viz/DecisionPlane';
import { ImageResults } from '../../viz/ImageResults';
import { addPointAt, erasePointsNear, isUndoKey } from './pointEditing';
import './data.css';

function DrawTools({ drawClass, setDrawClass }: { drawClass: 0 | 1; setDrawClass: (c: 0 | 1) => void }) {
  const points = useApp(selectCustomPoints);
  const canUndo = useApp((s) => s.data.undo.length > 0);
  const [zero, one] = classCounts(points);
  return (
    <div className="draw-tools" role="toolbar" aria-label="Drawing your own points">
      <span className="draw-class" role="radiogroup" aria-label="Class of new points">
        {([0, 1] as const).map((c) => (
          <button
            key={c}
            type="button"
            role="radio"
            aria-checked={drawClass === c}
            className={`draw-class-button${drawClass === c ? ' selected' : ''}`}
            data-testid={`draw-class-${c}`}
            onClick={() => setDrawClass(c)}
            title={`New points are class ${c} (${c === 0 ? 'orange' : 'blue'}); shift-click adds the other class`}
          >
            <span className="draw-swatch" style={{ background: c === 0 ? CLASS_COLORS.zero : CLASS_COLORS.one }} />
            class {c}
          </button>
        ))}
      </span>
      <button
        type="button"
        className="btn btn-small"
        data-testid="undo-points"
        disabled={!canUndo}
        onClick={() => appStore.getState().undoPoints()}
        title="Undo the last change (Ctrl/Cmd-Z)"
      >
        Undo
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="clear-points"
        disabled={points.y.length === 0}
        onClick={() => appStore.getState().setCustomPoints(NO_POINTS, 'drawn')}
        title="Remove every point (Undo brings them back)"
      >
        Clear
      </button>
      <span className="draw-count" data-testid="point-count">
        {points.y.length} point{points.y.length === 1 ? '' : 's'} ({zero} / {one})
      </span>
    </div>
  );
}

/** Ctrl/Cmd-Z undoes a point edit while the editor is shown (not while typing in a field). */
function useUndoKey(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (!isUndoKey(e)) return;
      const t = e.target;
      if (
        t instanceof HTMLInputElement ||
        t instanceof HTMLTextAreaElement ||
        t instanceof HTMLSelectElement ||
        (t instanceof HTMLElement && t.isContentEditable)
      )
        return;
      e.preventDefault();
      appStore.getState().undoPoints();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}

function PlanePanel() {
  const showTest = useApp((s) => s.ui.showTest);
  const drawing = useApp((s) => s.params.dataset === 'custom');
  const count = useApp((s) => (s.params.dataset === 'custom' ? selectCustomPoints(s).y.length : -1));
  const [drawClass, setDrawClass] = useState<0 | 1>(1);
  useUndoKey(drawing);
  const editing = useMemo<PlaneEditHandlers | null>(
    () =>
      drawing
        ? {
            onAdd: (x, y, shift) => addPointAt(appStore.getState(), x, y, drawClass, shift),
            onErase: (x, y, radius, gesture) => erasePointsNear(appStore.getState(), x, y, radius, gesture),
          }
        : null,
    [drawing, drawClass],
  );

  return (
    <div className="decision-view">
      <div className="panel-head">
        <h2>{drawing ? 'Your data and the decision surface' : 'Decision surface'}</h2>
        <label className="switch">
          <input type="checkbox" checked={showTest} onChange={(e) => appStore.getState().setUi({ showTest: e.target.checked })} />
          <span>show test data</span>
        </label>
      </div>
      {drawing && <DrawTools drawClass={drawClass} setDrawClass={setDrawClass} />}
      <DecisionPlane
        editing={editing}
        label={
          drawing
            ? 'Your own data on the input plane: click to add a point of the chosen class, shift-click for the other class, drag to erase. Behind the points, the network’s prediction: orange for class 0, blue for class 1.'
            : "The network's prediction over the input plane: orange for class 0, blue for class 1; filled dots are training points, rings are test points"
        }
      >
        {drawing && count < MIN_CUSTOM_POINTS && (
          <p className="draw-hint" data-testid="draw-hint">
            Click to add a point, shift-click for the other class, drag to erase.
            <br />
            At least {MIN_CUSTOM_POINTS} points, ideally of both classes.
          </p>
        )}
      </DecisionPlane>
      <div className="legend-row" aria-hidden="true">
        <span className="swatch swatch-zero" /> class 0
        <span className="swatch swatch-one" /> class 1
        <span className="dot-filled" /> train
        <span className="dot-ring" /> test
      </div>
      {drawing && (
        <p className="caption draw-caption">
          Click: add a point · Shift-click: the other class · Drag: erase · Ctrl/⌘-Z: undo. Touch: tap adds, drag erases.
        </p>
      )}
    </div>
  );
}

export function DecisionSurface() {
  const images = useApp((s) => isImageDataset(s.params.dataset));
  return images ? <ImageResults /> : <PlanePanel />;
}
