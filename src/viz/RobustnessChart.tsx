/**
 * The robustness chart: test accuracy against perturbation size per model (mean +- sd over
 * seeds), on the canvas chart helpers. It changes only when a test finishes, so it redraws
 * from props (and on resize or a theme switch) rather than on a throttled store subscription.
 */
import { useEffect, useRef } from 'react';
import { useApp } from '../state/store';
import { drawAxes } from './canvasAxes';
import { CanvasChart } from './canvasChart';
import { ROBUSTNESS_MARGINS, drawRobustnessContent, robustnessAxes, robustnessXRange, type DrawnBand } from './figures/robustnessFigure';
import { readPlotTheme } from './plotTheme';

export interface RobustnessChartProps {
  bands: readonly DrawnBand[];
  xTitle: string;
  /** Shown in the middle while there is nothing to plot. */
  emptyText: string;
  /** The chart's text alternative. */
  label: string;
}

export function RobustnessChart({ bands, xTitle, emptyText, label }: RobustnessChartProps) {
  const frameRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // Theme and presentation mode change the colours and text size: a redraw picks them up.
  const theme = useApp((s) => `${s.ui.theme}/${s.ui.systemDark}/${s.ui.present}`);

  useEffect(() => {
    const frame = frameRef.current!;
    const chart = new CanvasChart(frame, canvasRef.current!, ROBUSTNESS_MARGINS);
    const draw = () => {
      const begun = chart.begin();
      if (!begun) return;
      const t = readPlotTheme();
      const x = robustnessXRange(bands);
      drawAxes(begun.ctx, begun.width, begun.height, ROBUSTNESS_MARGINS, robustnessAxes(x, xTitle), t);
      chart.inPlotArea(begun.ctx, (c) => drawRobustnessContent(c, bands, x));
      if (bands.length === 0) {
        begun.ctx.fillStyle = t.muted;
        begun.ctx.font = `13px ${t.font}`;
        begun.ctx.textAlign = 'center';
        begun.ctx.fillText(emptyText, begun.width / 2, begun.height / 2);
      }
    };
    draw();
    // A collapsed panel has no size: it draws when opened (and on every resize).
    const observer = new ResizeObserver(draw);
    observer.observe(frame);
    return () => observer.disconnect();
  }, [bands, xTitle, emptyText, theme]);

  return (
    <div
      ref={frameRef}
      className="plot-frame robustness-plot"
      data-testid="robustness-chart"
      data-lines={bands.length}
      role="img"
      aria-label={label}
    >
      <canvas ref={canvasRef} className="plot-content plot-whole" />
    </div>
  );
}
