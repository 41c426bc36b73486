/**
 * What the network predicts over the input plane (probability of class 1, orange to blue as in
 * TensorFlow Playground) with the data on top: training points filled, test points hollow.
 * When given edit callbacks it also reports clicks (add) and drags (erase) in plane
 * coordinates; what an edit does is the caller's business (the point editor of the data panel).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { customDataset } from '../core/data/customData';
import type { Dataset2D } from '../core/data/datasets2d';
import type { Points2D } from '../core/data/points';
import { selectCustomPoints } from '../state/dataSlice';
import { selectMainDataset, selectMainSnapshot, type AppState } from '../state/store';
import { classColor } from './colors';
import { clearedCanvas, drawGridField, drawPoints, planeToCanvas } from './drawField';
import { clientToPlane, DEFAULT_PLANE, pointRadius, pxToPlane } from './planeGeometry';
import { useThrottledRender } from './useThrottledRender';
import './DecisionPlane.css';

/** A press that moves less than this (CSS px) is a click; more is an eraser drag. */
const CLICK_SLOP_PX = 5;
/** Eraser radius in CSS px. */
const ERASER_PX = 14;

/** What the plane reports while the user edits points on it (plane coordinates). */
export interface PlaneEditHandlers {
  /** A click or tap; `shift` when shift was held (the other class). */
  onAdd(x: number, y: number, shift: boolean): void;
  /** An eraser drag passed over (x, y); `radius` in plane units; one `gesture` number per drag. */
  onErase(x: number, y: number, radius: number, gesture: number): void;
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

function pointsLayer(
  cache: { current: PointsLayer | null },
  data: Dataset2D,
  showTest: boolean,
  width: number,
  height: number,
  ratio: number,
): OffscreenCanvas {
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  const k = cache.current?.key;
  if (cache.current && k && k.data === data && k.showTest === showTest && k.w === w && k.h === h) return cache.current.canvas;
  const canvas = new OffscreenCanvas(Math.max(1, w), Math.max(1, h));
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const toCanvas = planeToCanvas(DEFAULT_PLANE, width, height);
  const radius = pointRadius(data.trainY.length + data.testY.length, width);
  drawPoints(ctx as unknown as CanvasRenderingContext2D, data.trainX, data.trainY, toCanvas, 'filled', radius, 'rgba(255,255,255,0.9)');
  if (showTest)
    drawPoints(ctx as unknown as CanvasRenderingContext2D, data.testX, data.testY, toCanvas, 'outlined', radius, 'rgba(0,0,0,0.6)');
  cache.current = { key: { data, showTest, w, h }, canvas };
  return canvas;
}

/** The seeded split of the user's points as the worker makes it, kept while the inputs are the same (drawing is cheap). */
interface SplitCache {
  points: Points2D;
  train: number;
  seed: number;
  result: Dataset2D;
}

function cachedSplit(cache: { current: SplitCache | null }, points: Points2D, train: number, seed: number): Dataset2D {
  const c = cache.current;
  if (c && c.points === points && c.train === train && c.seed === seed) return c.result;
  const result = customDataset(points, train, seed);
  cache.current = { points, train, seed, result };
  return result;
}

/** Wires pointer gestures on the canvas to the edit callbacks (mouse, pen and touch alike). */
function usePlaneGestures(canvasRef: { current: HTMLCanvasElement | null }, editing: PlaneEditHandlers | null): void {
  const handlers = useRef(editing);
  // The newest callbacks, without re-binding the pointer listeners on every render.
  useEffect(() => {
    handlers.current = editing;
  });
  const active = editing !== null;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !active) return;
    let press: { id: number; x: number; y: number; shift: boolean; erasing: boolean; gesture: number } | null = null;
    let gestures = 0;
    const erase = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      const [x, y] = clientToPlane(e.clientX, e.clientY, r);
      handlers.current?.onErase(x, y, pxToPlane(ERASER_PX, r.width), press!.gesture);
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
        const [x, y] = clientToPlane(e.clientX, e.clientY, canvas.getBoundingClientRect());
        handlers.current?.onAdd(x, y, press.shift);
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
    return () => {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', cancel);
    };
  }, [canvasRef, active]);
}

/**
 * The plane canvas. `editing`: callbacks for drawing on it (null: a plain view); `label`: its
 * accessible description; `children`: overlays on top of the canvas (hints).
 */
export function DecisionPlane({ editing, label, children }: { editing: PlaneEditHandlers | null; label: string; children?: ReactNode }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layerRef = useRef<PointsLayer | null>(null);
  const splitRef = useRef<SplitCache | null>(null);

  useThrottledRender(
    selectSurface,
    ({ decision, dataset, custom, train, seed, showTest }) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const { ctx, width, height, ratio } = clearedCanvas(canvas);
      if (decision) drawGridField(ctx, decision.values, decision.grid.size, classColor, width, height);
      else {
        ctx.fillStyle = 'rgba(128, 128, 128, 0.12)';
        ctx.fillRect(0, 0, width, height);
      }
      const data = custom ? cachedSplit(splitRef, custom, train, seed) : dataset;
      if (!data) return;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(pointsLayer(layerRef, data, showTest, width, height, ratio), 0, 0);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    },
    200,
    canvasRef,
  );
  usePlaneGestures(canvasRef, editing);

  return (
    <div className="decision-stack">
      <canvas
        ref={canvasRef}
        className={`decision-canvas${editing ? ' drawing' : ''}`}
        data-testid="decision-surface"
        role="img"
        aria-label={label}
      />
      {children}
    </div>
  );
}
