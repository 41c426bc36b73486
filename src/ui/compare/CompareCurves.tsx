/**
 * Compare mode's curves: loss and accuracy per model as mean ± sd bands over its seeds, for the
 * test or the training set, with the single-run chart's log-scale switch and a hover read-out of
 * every seed at the step under the pointer. Drawn on canvases a few times a second.
 */
import { useEffect, useRef, useState } from 'react';
import type { CompareRunPlan } from '../../core/compare/plan';
import type { CompareRunView } from '../../state/compareTypes';
import { appStore, useApp, type AppState } from '../../state/store';
import { drawAxes } from '../../viz/canvasAxes';
import { CanvasChart } from '../../viz/canvasChart';
import { modelColor } from '../../viz/colors';
import {
  BAND_MARGINS,
  bandAxes,
  bandKey,
  bandRanges,
  drawBands,
  modelBands,
  readoutStep,
  type BandMetric,
  type BandRanges,
  type BandRun,
  type BandSplit,
  type ModelBand,
} from '../../viz/compare/bandFigure';
import { attachHover } from '../../viz/hover';
import { readPlotTheme } from '../../viz/plotTheme';
import { useThrottledRender } from '../../viz/useThrottledRender';
import { bandReadout, modelLabel } from './compareFormat';

const REDRAW_MS = 300;
const NO_PLANS: CompareRunPlan[] = [];
const NO_RUNS: Record<string, CompareRunView> = {};

const selectCurves = (s: AppState) => ({
  plans: s.compare?.plans ?? NO_PLANS,
  runs: s.compare?.runs ?? NO_RUNS,
  logScale: s.ui.logScale,
  theme: s.ui.theme,
  systemDark: s.ui.systemDark,
  present: s.ui.present,
});

/**
 * The runs that did not diverge, in plan order, and the models in plan order. A diverged run is
 * left out as in the table: its history stops while the others go on, and a band keeps only
 * the steps every run has.
 */
function bandInput(
  plans: readonly CompareRunPlan[],
  runs: Readonly<Record<string, CompareRunView>>,
): { runs: BandRun[]; models: string[] } {
  const out: BandRun[] = [];
  for (const p of plans) {
    const r = runs[p.runId];
    if (r && !r.diverged) out.push({ model: p.model, seed: p.seed, history: r.history });
  }
  return { runs: out, models: [...new Set(plans.map((p) => p.model))] };
}

function BandChart({ metric, split }: { metric: BandMetric; split: BandSplit }) {
  const frameRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<CanvasChart | null>(null);
  const rangesRef = useRef<BandRanges | null>(null);
  const bandsRef = useRef<ModelBand[]>([]);
  const key = bandKey(metric, split);

  useEffect(() => {
    const chart = new CanvasChart(frameRef.current!, canvasRef.current!, BAND_MARGINS);
    chartRef.current = chart;
    const detach = attachHover(frameRef.current!, {
      area: () => chart.area,
      ranges: () => (rangesRef.current ? { x: rangesRef.current.x, y: rangesRef.current.y } : null),
      describe: (x) => {
        const step = readoutStep(bandsRef.current, x);
        if (step === null) return null;
        return { guideX: step, lines: bandReadout(bandsRef.current, step, key) };
      },
    });
    return () => {
      detach();
      chartRef.current = null;
    };
  }, [key]);

  useThrottledRender(
    selectCurves,
    (input) => {
      const chart = chartRef.current;
      if (!chart) return;
      const { runs, models } = bandInput(input.plans, input.runs);
      const bands = modelBands(runs, models, key, modelColor);
      const ranges = bandRanges(bands, metric, input.logScale, rangesRef.current);
      const frame = chart.begin();
      if (!frame) return;
      const theme = readPlotTheme();
      drawAxes(frame.ctx, frame.width, frame.height, BAND_MARGINS, bandAxes(ranges, split), theme);
      chart.inPlotArea(frame.ctx, (c) => drawBands(c, bands, ranges));
      if (bands.every((b) => b.points.length === 0)) {
        frame.ctx.fillStyle = theme.muted;
        frame.ctx.font = `${Math.round(13 * theme.textScale)}px ${theme.font}`;
        frame.ctx.textAlign = 'center';
        frame.ctx.fillText('Press play to train', frame.width / 2, frame.height / 2);
      }
      rangesRef.current = ranges;
      bandsRef.current = bands;
    },
    REDRAW_MS,
    frameRef,
  );

  const what = metric === 'loss' ? 'loss' : 'accuracy';
  return (
    <div
      ref={frameRef}
      className="plot-frame compare-band-chart"
      data-testid={`compare-${metric}-chart`}
      role="img"
      aria-label={`${split === 'test' ? 'Test' : 'Training'} ${what} against the step: per model the mean over seeds as a line and ± one standard deviation as a band`}
    >
      <canvas ref={canvasRef} className="plot-content plot-whole" />
    </div>
  );
}

const selectModels = (s: AppState) => s.compare?.plans ?? NO_PLANS;

export function CompareCurves() {
  const [split, setSplit] = useState<BandSplit>('test');
  const logScale = useApp((s) => s.ui.logScale);
  const plans = useApp(selectModels);
  const models = [...new Set(plans.map((p) => p.model))];
  return (
    <div className="compare-curves">
      <div className="panel-head">
        <h2>Loss and accuracy, mean ± sd over seeds</h2>
        <span className="g-head-tools">
          <span className="segmented" role="radiogroup" aria-label="Which data set the curves show">
            {(['test', 'train'] as const).map((v) => (
              <label key={v} className={split === v ? 'segment on' : 'segment'}>
                <input type="radio" name="compare-split" value={v} checked={split === v} onChange={() => setSplit(v)} />
                {v === 'test' ? 'test set' : 'training set'}
              </label>
            ))}
          </span>
          <label className="switch">
            <input type="checkbox" checked={logScale} onChange={(e) => appStore.getState().setUi({ logScale: e.target.checked })} />
            <span>log scale (loss)</span>
          </label>
        </span>
      </div>
      <div className="chart-legend" aria-hidden="true">
        {models.map((m) => (
          <span key={m}>
            <i className="key" style={{ borderColor: modelColor(m) }} /> {modelLabel(m)}
          </span>
        ))}
      </div>
      <div className="compare-charts">
        {/* A new split is a new chart: its ranges and read-out start afresh. */}
        <BandChart key={`loss-${split}`} metric="loss" split={split} />
        <BandChart key={`acc-${split}`} metric="acc" split={split} />
      </div>
    </div>
  );
}
