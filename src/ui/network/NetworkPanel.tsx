/**
 * The network view (issue 12 item 4, after TF Playground's diagram): the inputs, each hidden
 * layer and the output as columns of units, every unit drawn as a small picture of its output
 * over the input plane, links coloured (sign) and sized (size) by weight. Selecting a unit shows
 * its output large, with the lines where its two arguments are zero, and marks where its
 * arguments (a, b) fall on the g heatmap. 2D data sets only: an image unit has 784 inputs.
 *
 * React renders the structure (which units, which is selected); the pictures and links are
 * painted imperatively at most four times a second (useThrottledRender), like every chart here.
 */
import { useEffect, useRef } from 'react';
import type { NetworkView } from '../../core/networkView';
import { isImageDataset } from '../../core/params';
import { appStore, selectMainDataset, selectMainSnapshot, useApp, type AppState } from '../../state/store';
import { networkLayout, type NetworkLayout } from '../../viz/network/networkLayout';
import {
  inputField,
  paintDetail,
  paintField,
  paintLinks,
  paintPrediction,
  validUnit,
  unitOutput,
  type UnitRef,
} from '../../viz/network/networkPictures';
import { readPlotTheme } from '../../viz/plotTheme';
import { useThrottledRender } from '../../viz/useThrottledRender';
import { UnitDetailText } from './UnitDetailText';
import { useOnScreenReport } from './useOnScreenReport';
import './network.css';

const REDRAW_MS = 250;

/** The layout of a view's columns: the inputs, the drawn units of each layer, the outputs. */
function viewLayout(view: NetworkView): NetworkLayout {
  return networkLayout([2, ...view.layers.map((l) => l.drawn), view.outputs]);
}

/** The diagram's structure as a string: React re-renders only when it changes. */
function shapeKey(view: NetworkView | null | undefined): string {
  if (!view) return '';
  return [view.kind, view.perUnit, view.outputs, ...view.layers.map((l) => `${l.drawn}/${l.units}`)].join('|');
}

interface Shape {
  kind: NetworkView['kind'];
  perUnit: 1 | 2;
  /** Units drawn and units in each hidden layer. */
  layers: { drawn: number; units: number }[];
  outputs: number;
}

function parseShape(key: string): Shape | null {
  if (!key) return null;
  const [kind, perUnit, outputs, ...layers] = key.split('|');
  return {
    kind: kind as Shape['kind'],
    perUnit: Number(perUnit) as 1 | 2,
    outputs: Number(outputs),
    layers: layers.map((l) => {
      const [drawn, units] = l.split('/').map(Number);
      return { drawn, units };
    }),
  };
}

const selectPictures = (s: AppState) => {
  const snap = selectMainSnapshot(s);
  return {
    network: snap?.network ?? null,
    decision: snap?.decision ?? null,
    selected: s.ui.selectedUnit,
    dataset: selectMainDataset(s),
    theme: s.ui.theme,
    systemDark: s.ui.systemDark,
  };
};

function unitLabel(shape: Shape, layer: number, unit: number): string {
  const kind =
    shape.perUnit === 2
      ? 'computes g(a, b) of two weighted sums'
      : shape.kind === 'oneArg'
        ? 'computes g(x) of one weighted sum'
        : `applies ${shape.kind}`;
  return `Layer ${layer + 1}, unit ${unit + 1}: ${kind}. Select to see its output over the plane`;
}

function pct(v: number, of: number): string {
  return `${((100 * v) / of).toFixed(3)}%`;
}

function Diagram({
  shape,
  layout,
  canvases,
}: {
  shape: Shape;
  layout: NetworkLayout;
  canvases: React.RefObject<Map<string, HTMLCanvasElement>>;
}) {
  const selected = useApp((s) => s.ui.selectedUnit);
  const setCanvas = (key: string) => (el: HTMLCanvasElement | null) => {
    if (el) canvases.current.set(key, el);
    else canvases.current.delete(key);
  };
  const box = (x: number, y: number) => ({
    left: pct(x, layout.width),
    top: pct(y, layout.height),
    width: pct(40, layout.width),
    height: pct(40, layout.height),
  });
  const last = layout.columns.length - 1;
  return (
    <div
      className="net-diagram"
      style={{ aspectRatio: `${layout.width} / ${layout.height}` }}
      role="group"
      aria-label="The network, column by column"
    >
      <canvas ref={setCanvas('links')} className="net-links" aria-hidden="true" />
      {layout.columns[0].map((b, i) => (
        <div
          key={`in${i}`}
          className="net-unit net-input"
          style={box(b.x, b.y)}
          role="img"
          aria-label={`Input x${i + 1}: the ${i === 0 ? 'horizontal' : 'vertical'} coordinate`}
        >
          <canvas ref={setCanvas(`in-${i}`)} aria-hidden="true" />
          <span className="net-tag">x{i + 1}</span>
        </div>
      ))}
      {shape.layers.map((_, l) =>
        layout.columns[l + 1].map((b, i) => {
          const on = selected?.layer === l && selected.unit === i;
          return (
            <button
              key={`u${l}-${i}`}
              type="button"
              className={`net-unit net-hidden${on ? ' selected' : ''}`}
              style={box(b.x, b.y)}
              data-testid={`net-unit-${l}-${i}`}
              aria-pressed={on}
              aria-label={unitLabel(shape, l, i)}
              data-tip={`Layer ${l + 1}, unit ${i + 1}`}
              onClick={() => appStore.getState().setUi({ selectedUnit: on ? null : { layer: l, unit: i } })}
            >
              <canvas ref={setCanvas(`u-${l}-${i}`)} aria-hidden="true" />
            </button>
          );
        }),
      )}
      {layout.columns[last].map((b, o) => (
        <div
          key={`out${o}`}
          className="net-unit net-output"
          style={box(b.x, b.y)}
          role="img"
          aria-label="Output: the network's prediction over the plane"
        >
          <canvas ref={setCanvas(`out-${o}`)} aria-hidden="true" />
        </div>
      ))}
    </div>
  );
}

function ColumnTitles({ shape, layout }: { shape: Shape; layout: NetworkLayout }) {
  const names = [
    'inputs',
    ...shape.layers.map((l, i) => `layer ${i + 1}${l.units > l.drawn ? ` (${l.drawn} of ${l.units})` : ''}`),
    'output',
  ];
  return (
    <div className="net-columns" aria-hidden="true">
      {layout.columns.map((col, c) => (
        <span key={c} style={{ left: pct(col[0]?.x ?? 0, layout.width), width: pct(40, layout.width) }}>
          {names[c]}
        </span>
      ))}
    </div>
  );
}

export function NetworkPanel() {
  const image = useApp((s) => isImageDataset(s.params.dataset));
  const key = useApp((s) => shapeKey(selectMainSnapshot(s)?.network));
  const canvases = useRef(new Map<string, HTMLCanvasElement>());
  const detailRef = useRef<HTMLCanvasElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  // The worker reads the view only while this panel is on screen (or a unit is picked).
  useOnScreenReport(panelRef, !image);
  const shape = parseShape(key);
  const layout = shape ? networkLayout([2, ...shape.layers.map((l) => l.drawn), shape.outputs]) : null;
  // (the same layout viewLayout gives the painter, from the same counts)
  const selectedKey = useApp((s) => {
    const u = validUnit(selectMainSnapshot(s)?.network ?? null, s.ui.selectedUnit);
    return u ? `${u.layer}-${u.unit}` : '';
  });

  // Paints every picture there is a canvas for; the layout comes from the view itself.
  const paint = (input: ReturnType<typeof selectPictures>) => {
    const view = input.network;
    if (!view) return;
    const map = canvases.current;
    const selected = validUnit(view, input.selected);
    const links = map.get('links');
    if (links) paintLinks(links, view, viewLayout(view), selected, readPlotTheme().text);
    const reach = Math.max(Math.abs(view.grid.min), Math.abs(view.grid.max));
    for (const axis of [0, 1] as const) {
      const c = map.get(`in-${axis}`);
      if (c) paintField(c, inputField(view.grid, axis), view.grid.size, reach);
    }
    view.layers.forEach((layer, l) => {
      for (let i = 0; i < layer.drawn; i++) {
        const c = map.get(`u-${l}-${i}`);
        if (!c) continue;
        const { values, range } = unitOutput(view, { layer: l, unit: i });
        paintField(c, values, view.grid.size, range);
      }
    });
    const out = map.get('out-0');
    if (out && input.decision && view.outputs === 1) paintPrediction(out, input.decision);
    if (selected && detailRef.current) {
      const d = input.dataset;
      paintDetail(detailRef.current, {
        view,
        unit: selected,
        points: d ? { x: d.trainX, y: d.trainY } : null,
        lineColor: readPlotTheme().text,
      });
    }
  };
  useThrottledRender(selectPictures, paint, REDRAW_MS, frameRef);
  // New canvases (another network, another selected unit) get their pictures at once.
  useEffect(() => paint(selectPictures(appStore.getState())));

  if (image) return null;
  const selected: UnitRef | null = selectedKey
    ? { layer: Number(selectedKey.split('-')[0]), unit: Number(selectedKey.split('-')[1]) }
    : null;
  return (
    <section className="panel" data-panel="network" aria-labelledby="network-title" ref={panelRef}>
      <div className="panel-head">
        <h2 id="network-title">Network: every unit</h2>
      </div>
      <div className="network-view" data-testid="network-view" data-shape={key} ref={frameRef}>
        {shape && layout ? (
          <>
            <div className="net-figure" style={{ maxWidth: `min(440px, ${Math.round((460 * layout.width) / layout.height)}px)` }}>
              <ColumnTitles shape={shape} layout={layout} />
              <Diagram shape={shape} layout={layout} canvases={canvases} />
            </div>
            <div className="net-detail" data-testid="unit-detail" data-unit={selectedKey}>
              {selected ? (
                <>
                  <canvas
                    ref={detailRef}
                    className="net-detail-canvas"
                    role="img"
                    aria-label={`Output of layer ${selected.layer + 1}, unit ${selected.unit + 1} over the input plane`}
                  />
                  <UnitDetailText shape={shape} unit={selected} />
                </>
              ) : (
                <p className="net-hint">
                  Select a unit to see its output over the plane large and where its arguments{' '}
                  {shape.perUnit === 2 ? (
                    <>
                      (<i>a</i>, <i>b</i>) fall on <i>g</i>.
                    </>
                  ) : (
                    'fall.'
                  )}
                </p>
              )}
            </div>
          </>
        ) : (
          <p className="net-hint">The units appear with the first picture of the trained network.</p>
        )}
      </div>
      <p className="caption" data-testid="network-caption">
        Each square is one unit&apos;s output over the input plane (red above 0, blue below; each layer on its own scale); links are red for
        positive weights and blue for negative, thicker for larger ones.{' '}
        {shape?.perUnit === 2 ? 'Links into the upper half of a unit feed its a, into the lower half its b. ' : ''}
        <b>Why two arguments:</b> XOR of two lines is not linearly separable. A ReLU unit sees one line (one weighted sum), so a ReLU
        network needs two units and a product-like feature after them to compute it; a two-argument unit whose g is a saddle computes it
        alone: high where exactly one of its lines a, b is positive.
      </p>
    </section>
  );
}
