/**
 * What the network predicts over the input plane (probability of class 1, orange to blue as in
 * TensorFlow Playground) with the data on top: training points filled, test points hollow.
 */
import { useRef } from 'react';
import { appStore, selectMainDataset, selectMainSnapshot, useApp, type AppState } from '../state/store';
import { classColor } from './colors';
import { drawGridField, drawPoints, fitCanvas, planeToCanvas } from './drawField';
import { useThrottledRender } from './useThrottledRender';

/** The plane shown before the first prediction arrives (the data lie within about ±1.5). */
const DEFAULT_PLANE = { min: -1.5, max: 1.5 };

const selectSurface = (s: AppState) => ({
  decision: selectMainSnapshot(s)?.decision ?? null,
  dataset: selectMainDataset(s),
  showTest: s.ui.showTest,
  theme: s.ui.theme,
});

export function DecisionSurface() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const showTest = useApp((s) => s.ui.showTest);

  useThrottledRender(
    selectSurface,
    ({ decision, dataset, showTest: withTest }) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const { width, height, ratio } = fitCanvas(canvas);
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const plane = decision?.grid ?? DEFAULT_PLANE;
      if (decision) drawGridField(ctx, decision.values, decision.grid.size, classColor, width, height);
      else {
        ctx.fillStyle = 'rgba(128, 128, 128, 0.12)';
        ctx.fillRect(0, 0, width, height);
      }
      if (!dataset) return;
      const toCanvas = planeToCanvas(plane, width, height);
      const radius = Math.max(2, Math.min(4, width / 110));
      drawPoints(ctx, dataset.trainX, dataset.trainY, toCanvas, 'filled', radius, 'rgba(255,255,255,0.9)');
      if (withTest) drawPoints(ctx, dataset.testX, dataset.testY, toCanvas, 'outlined', radius, 'rgba(0,0,0,0.6)');
    },
    200,
    canvasRef,
  );

  return (
    <div className="decision-view">
      <div className="panel-head">
        <h2>Decision surface</h2>
        <label className="switch">
          <input type="checkbox" checked={showTest} onChange={(e) => appStore.getState().setUi({ showTest: e.target.checked })} />
          <span>show test data</span>
        </label>
      </div>
      <canvas
        ref={canvasRef}
        className="decision-canvas"
        data-testid="decision-surface"
        role="img"
        aria-label="The network's prediction over the input plane: orange for class 0, blue for class 1; filled dots are training points, rings are test points"
      />
      <div className="legend-row" aria-hidden="true">
        <span className="swatch swatch-zero" /> class 0
        <span className="swatch swatch-one" /> class 1
        <span className="dot-filled" /> train
        <span className="dot-ring" /> test
      </div>
    </div>
  );
}
