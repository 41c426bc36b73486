/**
 * Train/test loss and accuracy against the step, repainted a few times a second, with a hover
 * read-out of every value at the step under the pointer ('x unified').
 */
import { useEffect, useRef } from 'react';
import type { MetricPoint } from '../worker/protocol';
import { appStore, selectMainSnapshot, useApp, type AppState } from '../state/store';
import { percent, sig4 } from './format';
import { LINE_COLORS } from './colors';
import { drawAxes } from './canvasAxes';
import { CanvasChart } from './canvasChart';
import { LOSS_MARGINS, drawLossContent, lossAxes, lossRanges, nearestPoint, type LossRanges } from './figures/lossFigure';
import { attachHover } from './hover';
import { drawSessionMark } from './figures/sessionMark';
import { readPlotTheme } from './plotTheme';
import { useThrottledRender } from './useThrottledRender';

const REDRAW_MS = 250;
const NO_HISTORY: MetricPoint[] = [];

const selectLossInput = (s: AppState) => ({
  history: selectMainSnapshot(s)?.history ?? NO_HISTORY,
  logScale: s.ui.logScale,
  theme: s.ui.theme,
  systemDark: s.ui.systemDark,
  // Presentation mode scales the charts' text: a redraw picks it up.
  present: s.ui.present,
  sessionThree: selectMainSnapshot(s)?.sessionThree?.step ?? null,
});

function Legend() {
  return (
    <div className="chart-legend" aria-hidden="true">
      <span>
        <i className="key" style={{ borderColor: LINE_COLORS.train }} /> train loss
      </span>
      <span>
        <i className="key" style={{ borderColor: LINE_COLORS.test }} /> test loss
      </span>
      <span>
        <i className="key key-dotted" style={{ borderColor: LINE_COLORS.train }} /> train accuracy
      </span>
      <span>
        <i className="key key-dotted" style={{ borderColor: LINE_COLORS.test }} /> test accuracy
      </span>
    </div>
  );
}

export function LossChart({ compact = false }: { compact?: boolean }) {
  const frameRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<CanvasChart | null>(null);
  const rangesRef = useRef<LossRanges | null>(null);
  const historyRef = useRef<MetricPoint[]>(NO_HISTORY);
  const logScale = useApp((s) => s.ui.logScale);

  useEffect(() => {
    const chart = new CanvasChart(frameRef.current!, canvasRef.current!, LOSS_MARGINS);
    chartRef.current = chart;
    const detach = attachHover(frameRef.current!, {
      area: () => chart.area,
      ranges: () => (rangesRef.current ? { x: rangesRef.current.x, y: rangesRef.current.y } : null),
      describe: (x) => {
        const p = nearestPoint(historyRef.current, x);
        if (!p) return null;
        return {
          guideX: p.step,
          lines: [
            `step ${p.step} · epoch ${Number.isInteger(p.epoch) ? p.epoch : p.epoch.toFixed(1)}`,
            `train loss ${sig4(p.trainLoss)}`,
            `test loss ${sig4(p.testLoss)}`,
            `train accuracy ${percent(p.trainAcc)}`,
            `test accuracy ${percent(p.testAcc)}`,
          ],
        };
      },
    });
    return () => {
      detach();
      chartRef.current = null;
    };
  }, []);

  useThrottledRender(
    selectLossInput,
    (input) => {
      const chart = chartRef.current;
      if (!chart) return;
      const ranges = lossRanges(input.history, input.logScale, rangesRef.current);
      const theme = readPlotTheme();
      const frame = chart.begin(theme.textScale);
      if (!frame) return;
      drawAxes(frame.ctx, frame.width, frame.height, frame.margins, lossAxes(ranges), theme);
      // The tick labels' size in CSS px, for checks that the projector can read them.
      if (frameRef.current) frameRef.current.dataset.tickPx = String(Math.round(11 * theme.textScale));
      chart.inPlotArea(frame.ctx, (c) => drawLossContent(c, input.history, ranges));
      let marked = false;
      if (input.sessionThree !== null)
        chart.inPlotArea(frame.ctx, (c) => (marked = drawSessionMark(c, input.sessionThree!, ranges.x, theme)));
      // The step of the Session III mark drawn, for checks ('' when none).
      if (frameRef.current) frameRef.current.dataset.sessionMark = marked ? String(input.sessionThree) : '';
      if (input.history.length === 0) {
        frame.ctx.fillStyle = theme.muted;
        frame.ctx.font = `${Math.round(13 * theme.textScale)}px ${theme.font}`;
        frame.ctx.textAlign = 'center';
        frame.ctx.fillText('Press play to train', frame.width / 2, frame.height / 2);
      }
      rangesRef.current = ranges;
      historyRef.current = input.history;
      // The step of the newest point drawn ('' before any): checks compare it with the heatmap's data-step.
      if (frameRef.current)
        frameRef.current.dataset.lastStep = input.history.length ? String(input.history[input.history.length - 1].step) : '';
    },
    REDRAW_MS,
    frameRef,
  );

  return (
    <div className={compact ? 'loss-view loss-compact' : 'loss-view'}>
      <div className="panel-head">
        <h2>Loss and accuracy</h2>
        <label className="switch">
          <input type="checkbox" checked={logScale} onChange={(e) => appStore.getState().setUi({ logScale: e.target.checked })} />
          <span>log scale</span>
        </label>
      </div>
      <Legend />
      <div
        ref={frameRef}
        className={compact ? 'plot-frame plot-fill' : 'plot-frame plot-wide'}
        data-testid="loss-chart"
        role="img"
        aria-label="Training and test loss (solid) and accuracy (dotted) against the training step"
      >
        <canvas ref={canvasRef} className="plot-content plot-whole" />
      </div>
    </div>
  );
}
