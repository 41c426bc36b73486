/**
 * What the network predicts over the input plane (probability of class 1, orange to blue as in
 * TensorFlow Playground) with the data on top: training points filled, test points hollow.
 *
 * On your own data set the plane is also where you draw: click adds a point of the chosen
 * class, shift-click one of the other class, dragging erases; pointer events, so touch works
 * too; Undo (Ctrl/Cmd-Z) and Clear. For image data sets this panel shows the image results.
 */
import { useEffect, useRef, useState } from 'react';
import { splitPoints, type Points2D } from '../core/data/csv';
import { MIN_CUSTOM_POINTS, NO_POINTS, classCounts, withPoint, withoutPointsNear } from '../core/data/customData';
import type { Dataset2D } from '../core/data/datasets2d';
import { isImageDataset } from '../core/params';
import { selectCustomPoints } from '../state/dataSlice';
import { appStore, selectMainDataset, selectMainSnapshot, useApp, type AppState } from '../state/store';
import { classColor, CLASS_COLORS } from './colors';
import { clearedCanvas, drawGridField, drawPoints, planeToCanvas } from './drawField';
import { ImageResults } from './ImageResults';
import { useThrottledRender } from './useThrottledRender';
import '../ui/data/data.css';

/** The plane shown (the data lie within about ±1.5; the decision grid covers the same square). */
const DEFAULT_PLANE = { min: -1.5, max: 1.5 };
/** A press that moves less than this (CSS px) is a click; more is an eraser drag. */
const CLICK_SLOP_PX = 5;
/** Eraser radius in CSS px. */
const ERASER_PX = 14;

/** The seeded split of the user's points, as the worker makes it (memoised: drawing is cheap). */
let splitMemo: { points: Points2D; train: number; seed: number; result: Dataset2D } | null = null;
function customSplit(points: Points2D, train: number, seed: number): Dataset2D {
  if (splitMemo && splitMemo.points === points && splitMemo.train === train && splitMemo.seed === seed) return splitMemo.result;
  const result =
    points.y.length >= MIN_CUSTOM_POINTS
      ? splitPoints(points.x, points.y, train, seed)
      : { trainX: points.x, trainY: points.y, testX: new Float32Array(0), testY: new Float32Array(0) };
  splitMemo = { points, train, seed, result };
  return result;
}

const selectSurface = (s: AppState) => {
  const custom = s.params.dataset === 'custom';
  return {
    decision: selectMainSnapshot(s)?.decision ?? null,
    dataset: custom ? null : selectMainDataset(s),
    custom: custom ? selectCustomPoints(s) : null,
    train: s.params.train,
    seed: s.params.seed,
    showTest: s.ui.showTest,
    theme: s.ui.theme,
  };
};

/**
 * The points are drawn once into their own layer and reused while only the prediction changes
 * (tens of thousands of uploaded points would otherwise be redrawn at every snapshot).
 */
interface PointsLayer {
  key: { data: Dataset2D; showTest: boolean; w: number; h: number };
  canvas: OffscreenCanvas;
}

function pointsLayer(cache: { current: PointsLayer | null }, data: Dataset2D, showTest: boolean, width: number, height: number, ratio: number): OffscreenCanvas {
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  const k = cache.current?.key;
  if (cache.current && k && k.data === data && k.showTest === showTest && k.w === w && k.h === h) return cache.current.canvas;
  const canvas = new OffscreenCanvas(Math.max(1, w), Math.max(1, h));
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const toCanvas = planeToCanvas(DEFAULT_PLANE, width, height);
  const total = data.trainY.length + data.testY.length;
  // Few points (a drawing) get big dots; tens of thousands (an upload) small ones.
  const radius = total <= 200 ? Math.max(3, Math.min(6, width / 70)) : Math.max(total > 20_000 ? 1.2 : 2, Math.min(total > 2000 ? 2.5 : 4, width / 110));
  drawPoints(ctx as unknown as CanvasRenderingContext2D, data.trainX, data.trainY, toCanvas, 'filled', radius, 'rgba(255,255,255,0.9)');
  if (showTest) drawPoints(ctx as unknown as CanvasRenderingContext2D, data.testX, data.testY, toCanvas, 'outlined', radius, 'rgba(0,0,0,0.6)');
  cache.current = { key: { data, showTest, w, h }, canvas };
  return canvas;
}

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
      <button type="button" className="btn btn-small" data-testid="undo-points" disabled={!canUndo} onClick={() => appStore.getState().undoPoints()} title="Undo the last change (Ctrl/Cmd-Z)">
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

function PlaneView() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layerRef = useRef<PointsLayer | null>(null);
  const showTest = useApp((s) => s.ui.showTest);
  const drawing = useApp((s) => s.params.dataset === 'custom');
  const count = useApp((s) => (s.params.dataset === 'custom' ? selectCustomPoints(s).y.length : -1));
  const [drawClass, setDrawClass] = useState<0 | 1>(1);
  const drawClassRef = useRef(drawClass);
  drawClassRef.current = drawClass;

  useThrottledRender(
    selectSurface,
    ({ decision, dataset, custom, train, seed, showTest: withTest }) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const { ctx, width, height, ratio } = clearedCanvas(canvas);
      if (decision) drawGridField(ctx, decision.values, decision.grid.size, classColor, width, height);
      else {
        ctx.fillStyle = 'rgba(128, 128, 128, 0.12)';
        ctx.fillRect(0, 0, width, height);
      }
      const data = custom ? customSplit(custom, train, seed) : dataset;
      if (!data) return;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(pointsLayer(layerRef, data, withTest, width, height, ratio), 0, 0);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    },
    200,
    canvasRef,
  );

  // Drawing with pointer events (mouse, pen and touch alike).
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !drawing) return;
    let press: { id: number; x: number; y: number; shift: boolean; erasing: boolean; gesture: number } | null = null;
    let gestures = 0;
    const toPlane = (e: PointerEvent): [number, number] => {
      const r = canvas.getBoundingClientRect();
      const span = DEFAULT_PLANE.max - DEFAULT_PLANE.min;
      return [DEFAULT_PLANE.min + ((e.clientX - r.left) / r.width) * span, DEFAULT_PLANE.max - ((e.clientY - r.top) / r.height) * span];
    };
    const erase = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      const [x, y] = toPlane(e);
      const radius = (ERASER_PX / Math.max(1, r.width)) * (DEFAULT_PLANE.max - DEFAULT_PLANE.min);
      const s = appStore.getState();
      const before = selectCustomPoints(s);
      const after = withoutPointsNear(before, x, y, radius);
      if (after !== before) s.setCustomPoints(after, 'drawn', { gesture: press!.gesture });
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || press) return;
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      press = { id: e.pointerId, x: e.clientX, y: e.clientY, shift: e.shiftKey, erasing: false, gesture: ++gestures + Date.now() };
    };
    const move = (e: PointerEvent) => {
      if (!press || e.pointerId !== press.id) return;
      if (!press.erasing && Math.hypot(e.clientX - press.x, e.clientY - press.y) > CLICK_SLOP_PX) {
        press.erasing = true;
        canvas.classList.add('erasing');
      }
      if (press.erasing) erase(e);
    };
    const up = (e: PointerEvent) => {
      if (!press || e.pointerId !== press.id) return;
      if (!press.erasing) {
        const [x, y] = toPlane(e);
        const label = (press.shift ? 1 - drawClassRef.current : drawClassRef.current) as 0 | 1;
        const s = appStore.getState();
        s.setCustomPoints(withPoint(selectCustomPoints(s), x, y, label), 'drawn');
      }
      press = null;
      canvas.classList.remove('erasing');
    };
    const cancel = () => {
      press = null;
      canvas.classList.remove('erasing');
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', cancel);
    // Ctrl/Cmd-Z undoes (not while typing in a field).
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z') return;
      const t = e.target;
      if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable)) return;
      e.preventDefault();
      appStore.getState().undoPoints();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', cancel);
      window.removeEventListener('keydown', onKey);
    };
  }, [drawing]);

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
      <div className="decision-stack">
        <canvas
          ref={canvasRef}
          className={`decision-canvas${drawing ? ' drawing' : ''}`}
          data-testid="decision-surface"
          role="img"
          aria-label={
            drawing
              ? 'Your own data on the input plane: click to add a point of the chosen class, shift-click for the other class, drag to erase. Behind the points, the network’s prediction: orange for class 0, blue for class 1.'
              : "The network's prediction over the input plane: orange for class 0, blue for class 1; filled dots are training points, rings are test points"
          }
        />
        {drawing && count < MIN_CUSTOM_POINTS && (
          <p className="draw-hint" data-testid="draw-hint">
            Click to add a point, shift-click for the other class, drag to erase.
            <br />
            At least {MIN_CUSTOM_POINTS} points, ideally of both classes.
          </p>
        )}
      </div>
      <div className="legend-row" aria-hidden="true">
        <span className="swatch swatch-zero" /> class 0
        <span className="swatch swatch-one" /> class 1
        <span className="dot-filled" /> train
        <span className="dot-ring" /> test
      </div>
      {drawing && <p className="caption draw-caption">Click: add a point · Shift-click: the other class · Drag: erase · Ctrl/⌘-Z: undo. Touch: tap adds, drag erases.</p>}
    </div>
  );
}

export function DecisionSurface() {
  const images = useApp((s) => isImageDataset(s.params.dataset));
  return images ? <ImageResults /> : <PlaneView />;
}
