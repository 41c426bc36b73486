/**
 * The learned activation g(a, b), the heart of the page: g on a diverging scale centred at 0,
 * with where the network operates drawn on top, and g at the start of training beside it so
 * the change is visible. Plotly draws the axes (newPlot once, react only when they change); g
 * and the contours are repainted on a canvas at most ten times a second (REDRAW_MS; see
 * framedChart.ts). Hovering reads out a, b and g.
 * Over 300 lines because its small controls (density layer, lock scale, colour bar) only make
 * sense beside this picture and read the same figure input; apart, each would repeat it.
 */
import { useEffect, useRef } from 'react';
import { gridCoord } from '../core/grid';
import { appStore, selectMainDataset, selectMainSnapshot, selectReplayFrame, useApp, type AppState } from '../state/store';
import type { NetworkView } from '../core/networkView';
import { drawUnitCloud, unitDataArguments, validUnit, type UnitRef } from './network/networkPictures';
import { compact } from './format';
import { DIVERGING_STOPS } from './colors';
import {
  curveRanges,
  drawCurveContent,
  drawHeatmapContent,
  emptyFrame,
  fixedCurve,
  gViewKind,
  heatmapFrame,
  imageExtent,
  lineFrame,
  scaleLocked,
  type GFigureInput,
  type GViewKind,
} from './figures/gFigure';
import { FramedChart } from './framedChart';
import { attachHover, type HoverContent } from './hover';
import type { Range } from './niceRange';
import { readPlotTheme } from './plotTheme';
import { useThrottledRender } from './useThrottledRender';
import { GInitThumbnail } from './GInitThumbnail';
import { hasNoG } from './noHiddenLayer';

/**
 * Content repaints at most this often (about 1-2 ms each): 10 pictures a second, so g visibly
 * flows while training (the worker sends about that many full snapshots while playing).
 */
const REDRAW_MS = 100;

type HeatmapInput = GFigureInput & {
  theme: string;
  systemDark: boolean;
  present: boolean;
  locked: boolean;
  /** The training step g was read at (the replayed frame's step while the timeline replays). */
  gStep: number | null;
} & UnitCloudInput;

/** The network view's selected unit, whose arguments are marked on g (live g only). */
interface UnitCloudInput {
  network: NetworkView | null;
  selectedUnit: UnitRef | null;
  labels: Float32Array | null;
}

const selectFigureInput = (s: AppState): HeatmapInput => {
  const snap = selectMainSnapshot(s);
  // While the timeline replays, the stored frame of g stands in for the live one.
  const frame = selectReplayFrame(s);
  return {
    g: frame ? frame.g : (snap?.g ?? null),
    gStep: frame ? frame.step : (snap?.g?.step ?? null),
    density: frame ? frame.density : (snap?.density ?? null),
    g1d: snap?.g1d ?? null,
    model: selectMainSnapshot(s)?.model ?? s.params.model,
    densityLayer: s.ui.densityLayer,
    theme: s.ui.theme,
    systemDark: s.ui.systemDark,
    // Presentation mode scales the charts' text: a redraw picks it up.
    present: s.ui.present,
    // Locked by default while the timeline replays or the video is recorded.
    locked: scaleLocked(s.ui.lockScale, frame !== null || s.ui.recording !== null),
    network: frame ? null : (snap?.network ?? null),
    selectedUnit: s.ui.selectedUnit,
    labels: selectMainDataset(s)?.trainY ?? null,
  };
};

/** The selected unit's (a, b) for the first training points, when they belong on the g shown (layer 1's, or the shared one). */
function unitCloud(input: UnitCloudInput, sharedG: boolean): Float32Array | null {
  const unit = validUnit(input.network, input.selectedUnit);
  if (!unit || input.network!.perUnit !== 2 || (!sharedG && unit.layer > 0)) return null;
  return unitDataArguments(input.network!, unit);
}

const selectKind = (s: AppState): GViewKind => gViewKind(selectFigureInput(s));

function DensityLayerPicker() {
  const layers = useApp((s) => selectMainSnapshot(s)?.density?.perLayer.length ?? 0);
  const value = useApp((s) => s.ui.densityLayer);
  if (layers < 2) return null;
  return (
    <label className="inline-field">
      <span>Arguments of</span>
      <select
        value={String(value)}
        onChange={(e) => appStore.getState().setUi({ densityLayer: e.target.value === 'all' ? 'all' : Number(e.target.value) })}
        aria-label="Which layer's arguments the density contours show"
      >
        <option value="all">all layers</option>
        {Array.from({ length: layers }, (_, i) => (
          <option key={i} value={i}>
            layer {i + 1}
          </option>
        ))}
      </select>
    </label>
  );
}

const GRADIENT = `linear-gradient(to top, ${DIVERGING_STOPS.map(([p, c]) => `${c} ${(p * 100).toFixed(0)}%`).join(', ')})`;

/** The colour legend: labels are set directly by the drawing code (no React render per frame). */
/** "lock scale": one colour range across frames (on by default while the timeline replays or a video is recorded). */
function LockScaleSwitch() {
  const locked = useApp((s) => scaleLocked(s.ui.lockScale, selectReplayFrame(s) !== null || s.ui.recording !== null));
  return (
    <label
      className="inline-field lock-scale"
      title="Keep the colour range fixed, so colours compare across steps (on by default during replay and video export)"
    >
      <input
        type="checkbox"
        data-testid="lock-scale"
        checked={locked}
        onChange={(e) => appStore.getState().setUi({ lockScale: e.target.checked ? 'on' : 'off' })}
      />
      lock scale
    </label>
  );
}

function ColourBar({
  topRef,
  bottomRef,
}: {
  topRef: React.RefObject<HTMLSpanElement | null>;
  bottomRef: React.RefObject<HTMLSpanElement | null>;
}) {
  return (
    <div className="colour-bar" aria-hidden="true">
      <span className="colour-bar-title">g</span>
      <div className="colour-bar-body">
        <div className="colour-bar-ramp" style={{ backgroundImage: GRADIENT }} />
        <div className="colour-bar-ticks">
          <span ref={topRef}>+1</span>
          <span>0</span>
          <span ref={bottomRef}>−1</span>
        </div>
      </div>
    </div>
  );
}

const CAPTIONS: Record<GViewKind, string> = {
  heatmap:
    'Colour is g(a, b): red above 0, blue below, white at 0. The dotted line encloses 90% of the arguments the units actually receive (faint lines: their density); only there does the shape matter.',
  line: 'A one-argument model learns g(x) of a single weighted sum; there is no second argument to combine.',
  fixed: 'A fixed activation has nothing to learn: this curve never changes. Choose the two-argument model to watch g(a, b) emerge.',
  waiting: 'Building the model…',
};

interface Drawn {
  input: GFigureInput;
  ranges: { x: Range; y: Range };
  line: { xs: ArrayLike<number>; ys: ArrayLike<number> } | null;
}

export function GHeatmap() {
  const frameRef = useRef<HTMLDivElement>(null);
  const divRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<FramedChart | null>(null);
  const drawnRef = useRef<Drawn | null>(null);
  const lineYRef = useRef<Range | null>(null);
  const topRef = useRef<HTMLSpanElement>(null);
  const bottomRef = useRef<HTMLSpanElement>(null);
  const lockedRangeRef = useRef<number | null>(null);
  const kind = useApp(selectKind);
  // Your own data set with too few points: there is no model yet, so say what it waits for.
  const noData = useApp((s) => selectMainSnapshot(s)?.status === 'nodata');
  const noG = useApp((s) => hasNoG(selectMainSnapshot(s)?.hidden ?? s.params.hidden, selectMainSnapshot(s)?.model ?? s.params.model));
  const caption = noG
    ? 'No hidden layer, so no g: the output is a weighted sum of the inputs, with no unit to apply g. Add hidden units under Model.'
    : kind === 'waiting' && noData
      ? 'No model yet: add points on the plane at right (or upload a CSV), and g appears.'
      : CAPTIONS[kind];
  const model = useApp((s) => selectMainSnapshot(s)?.model ?? s.params.model);
  const separateG = useApp((s) => !s.params.innerShared && s.params.model === 'twoArg');

  useEffect(() => {
    const chart = new FramedChart(frameRef.current!, divRef.current!, canvasRef.current!);
    chartRef.current = chart;
    const describe = (x: number, y: number): HoverContent | null => {
      const drawn = drawnRef.current;
      if (!drawn) return null;
      const g = drawn.input.g;
      if (g) {
        const h = (g.grid.max - g.grid.min) / (g.grid.size - 1);
        const c = Math.round((x - g.grid.min) / h);
        const r = Math.round((y - g.grid.min) / h);
        if (c < 0 || r < 0 || c >= g.grid.size || r >= g.grid.size) return null;
        return {
          lines: [
            `a ${gridCoord(g.grid, c).toFixed(2)}   b ${gridCoord(g.grid, r).toFixed(2)}`,
            `g ${compact(g.values[r * g.grid.size + c])}`,
          ],
        };
      }
      if (drawn.line && drawn.line.xs.length > 1) {
        const { xs, ys } = drawn.line;
        const step = (xs[xs.length - 1] - xs[0]) / (xs.length - 1);
        const i = Math.max(0, Math.min(xs.length - 1, Math.round((x - xs[0]) / step)));
        return { lines: [`x ${xs[i].toFixed(2)}`, `g ${compact(ys[i])}`], guideX: xs[i] };
      }
      return null;
    };
    const detach = attachHover(frameRef.current!, { area: () => chart.area, ranges: () => drawnRef.current?.ranges ?? null, describe });
    return () => {
      detach();
      chart.destroy();
      chartRef.current = null;
    };
  }, []);

  useThrottledRender(
    selectFigureInput,
    async (input) => {
      const chart = chartRef.current;
      if (!chart) return;
      const theme = readPlotTheme();
      const kindNow = gViewKind(input);
      if (kindNow === 'heatmap') {
        const ext = imageExtent(input.g!.grid);
        if (!(await chart.setFrame(heatmapFrame(ext, theme)))) return;
        const c = chart.content();
        if (!c) return;
        // A locked scale keeps the range it had when it was locked.
        if (!input.locked) lockedRangeRef.current = null;
        const range = drawHeatmapContent(c, input, lockedRangeRef.current);
        if (input.locked) lockedRangeRef.current = range;
        const cloud = unitCloud(input, appStore.getState().params.innerShared);
        if (cloud) drawUnitCloud(c, cloud, input.labels, ext);
        if (frameRef.current) frameRef.current.dataset.unitCloud = cloud ? String(cloud.length / 2) : '0';
        drawnRef.current = { input, ranges: { x: ext, y: ext }, line: null };
        // User-timing mark read by `npm run bench` (time to the first heatmap on screen).
        if (performance.getEntriesByName('first-heatmap').length === 0) performance.mark('first-heatmap');
        if (topRef.current) topRef.current.textContent = `+${compact(range)}`;
        // The range a locked scale holds ('' unlocked), once drawn: what a check can wait for.
        if (frameRef.current) frameRef.current.dataset.lockedRange = input.locked ? compact(range) : '';
        // The training step of the g on screen: checks measure in steps how far the picture trails training.
        if (frameRef.current) frameRef.current.dataset.step = input.gStep === null ? '' : String(input.gStep);
        if (bottomRef.current) bottomRef.current.textContent = `−${compact(range)}`;
      } else if (kindNow === 'line' || kindNow === 'fixed') {
        const curve = kindNow === 'line' ? input.g1d! : fixedCurve(input.model)!;
        const ranges = curveRanges(curve.xs, curve.ys, lineYRef.current);
        lineYRef.current = ranges.y;
        const yTitle = kindNow === 'line' ? 'g(x)' : `${input.model}(x)`;
        if (!(await chart.setFrame(lineFrame(ranges.x, ranges.y, 'x (weighted sum)', yTitle, theme)))) return;
        const c = chart.content();
        if (!c) return;
        drawCurveContent(c, curve.xs, curve.ys, ranges);
        drawnRef.current = { input, ranges, line: curve };
      } else {
        if (!(await chart.setFrame(emptyFrame(theme)))) return;
        chart.content();
        drawnRef.current = null;
      }
    },
    REDRAW_MS,
    frameRef,
  );

  const title =
    kind === 'heatmap'
      ? 'Learned activation g(a, b)'
      : kind === 'line'
        ? 'Learned activation g(x)'
        : kind === 'fixed'
          ? `Fixed activation: ${model}`
          : 'Activation';

  return (
    <div className="g-view">
      <div className="panel-head">
        <h2>{title}</h2>
        {kind === 'heatmap' && (
          <span className="g-head-tools">
            <LockScaleSwitch />
            <DensityLayerPicker />
          </span>
        )}
      </div>
      <div className="g-row">
        <div
          ref={frameRef}
          className="plot-frame plot-square"
          data-testid="activation-heatmap"
          data-kind={kind}
          role="img"
          aria-label={`${title}. ${caption}`}
        >
          <div ref={divRef} className="plot" />
          <canvas ref={canvasRef} className="plot-content" />
        </div>
        {kind === 'heatmap' && <ColourBar topRef={topRef} bottomRef={bottomRef} />}
        {kind === 'heatmap' && <GInitThumbnail />}
      </div>
      <p className="caption">
        {caption}
        {separateG && kind === 'heatmap' ? ' Each layer has its own g; this is layer 1’s.' : ''}
      </p>
    </div>
  );
}
