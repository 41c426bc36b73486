/**
 * Mean +- sd curves over seeds (Plotly: a static page, drawn once per opened file): test
 * accuracy per evaluation step for each model, and robustness curves (accuracy against the
 * perturbation size) with sd error bars.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { PlotData } from 'plotly.js-cartesian-dist-min';
import type { ModelSummary } from '../../core/experiment/report';
import { modelColor } from '../../viz/colors';
import { baseLayout, readPlotTheme, themedAxis } from '../../viz/plotTheme';
import { MODEL_NAMES } from './SummaryTables';

const colorOf = modelColor;
/** Room for the title above and the legend below the plot (the live charts have neither). */
const LEGEND = { showlegend: true, legend: { orientation: 'h', y: -0.25 }, margin: { l: 56, r: 16, t: 40, b: 80 } };

/** Draws once per (data, layout): callers memoise both on the summary they come from. */
function Plot({ data, layout, label }: { data: PlotData[]; layout: Record<string, unknown>; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let cancelled = false;
    void import('plotly.js-cartesian-dist-min').then((Plotly) => {
      if (!cancelled) void Plotly.newPlot(el, data, layout, { displayModeBar: false, responsive: true });
    });
    return () => {
      cancelled = true;
    };
  }, [data, layout]);
  return <div ref={ref} className="experiments-plot" role="img" aria-label={label} />;
}

function bandTraces(m: ModelSummary): PlotData[] {
  const steps = m.testAccByStep.map((p) => p.step);
  const color = colorOf(m.model);
  return [
    { x: steps, y: m.testAccByStep.map((p) => p.mean + p.sd), mode: 'lines', line: { width: 0 }, hoverinfo: 'skip', showlegend: false },
    {
      x: steps,
      y: m.testAccByStep.map((p) => p.mean - p.sd),
      mode: 'lines',
      line: { width: 0 },
      fill: 'tonexty',
      fillcolor: `${color}33`,
      hoverinfo: 'skip',
      showlegend: false,
    },
    { x: steps, y: m.testAccByStep.map((p) => p.mean), mode: 'lines', name: MODEL_NAMES[m.model] ?? m.model, line: { color, width: 2 } },
  ];
}

export function AccuracyCurves({ models }: { models: readonly ModelSummary[] }) {
  const { data, layout } = useMemo(() => {
    const theme = readPlotTheme();
    return {
      data: models.flatMap(bandTraces),
      layout: {
        ...baseLayout(theme),
        ...LEGEND,
        height: 340,
        title: { text: 'Test accuracy, mean ± sd over seeds' },
        xaxis: themedAxis(theme, 'training step'),
        yaxis: themedAxis(theme, 'test accuracy', { tickformat: '.0%' }),
      },
    };
  }, [models]);
  return (
    <div data-testid="experiments-curves">
      <Plot data={data} layout={layout} label="Test accuracy against training step, mean and sd band per model" />
    </div>
  );
}

export function RobustnessCurves({ models }: { models: readonly ModelSummary[] }) {
  const plots = useMemo(() => robustnessPlots(models), [models]);
  return (
    <div data-testid="experiments-robustness">
      {plots.map((p) => (
        <Plot key={p.kind} data={p.data} layout={p.layout} label={`${p.kind} robustness curves per model`} />
      ))}
    </div>
  );
}

function robustnessPlots(models: readonly ModelSummary[]) {
  const theme = readPlotTheme();
  const kinds = [...new Set(models.flatMap((m) => m.robustness.map((r) => r.kind)))];
  return kinds.map((kind) => {
    const data: PlotData[] = models.flatMap((m) =>
      m.robustness
        .filter((r) => r.kind === kind)
        .map((r) => ({
          x: r.sizes,
          y: r.accuracy.map((a) => a.mean),
          error_y: { type: 'data', array: r.accuracy.map((a) => a.sd), visible: true },
          mode: 'lines+markers',
          name: `${MODEL_NAMES[m.model] ?? m.model}${r.diverged ? ` (${r.diverged} diverged, left out)` : ''}`,
          line: { color: colorOf(m.model) },
        })),
    );
    const layout = {
      ...baseLayout(theme),
      ...LEGEND,
      height: 320,
      title: { text: `${kind === 'noise' ? 'Gaussian noise' : kind.toUpperCase()}: accuracy under attack` },
      xaxis: themedAxis(theme, kind === 'noise' ? 'noise sigma' : 'eps (L-infinity, input scale)'),
      yaxis: themedAxis(theme, 'accuracy', { tickformat: '.0%', range: [0, 1] }),
    };
    return { kind, data, layout };
  });
}
