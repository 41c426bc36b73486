/**
 * One run in compare mode's grid: its learned g (g(a, b) with the 90% contour, or the curve
 * g(x)), g at step 0 beside it on demand, the verdict badge and the verdict history strip.
 * The whole cell is a button: it opens the run in the single-run view.
 */
import { useId, useMemo, useRef } from 'react';
import type { CompareRunPlan } from '../../core/compare/plan';
import type { CompareRunView } from '../../state/compareTypes';
import { appStore } from '../../state/store';
import { divergingColor } from '../../viz/colors';
import { drawCellCurve, drawCellHeatmap, drawVerdictStrip, readVerdictColors } from '../../viz/compare/cellFigure';
import { drawGridField } from '../../viz/drawField';
import { colourRange } from '../../viz/figures/gFigure';
import { readPlotTheme } from '../../viz/plotTheme';
import { useQueuedPaint } from '../../viz/useQueuedPaint';
import { cellBadge, cellLabel, VERDICT_LABELS, type RowKind } from './compareFormat';

interface CellProps {
  plan: CompareRunPlan;
  run: CompareRunView | undefined;
  kind: Exclude<RowKind, 'fixed'>;
  color: string;
  showInit: boolean;
  /** Changes when the page's theme does (the curve's axes and the strip follow the theme). */
  themeKey: string;
}

function LearnedPicture({ run, kind, color, themeKey }: Pick<CellProps, 'run' | 'kind' | 'color' | 'themeKey'>) {
  const ref = useRef<HTMLCanvasElement>(null);
  const g = run?.g ?? null;
  const density = run?.density ?? null;
  const g1d = run?.g1d ?? null;
  const data = useMemo(() => ({ g, density, g1d, themeKey }), [g, density, g1d, themeKey]);
  useQueuedPaint(
    ref,
    (c) => {
      if (kind === 'heatmap' && data.g) drawCellHeatmap(c, data.g, data.density);
      else if (kind === 'curve' && data.g1d) drawCellCurve(c, data.g1d.xs, data.g1d.ys, color, readPlotTheme());
    },
    data,
  );
  return <canvas ref={ref} className="compare-pic" aria-hidden="true" />;
}

/** g at step 0 (after Session I), on its own colour range like the single-run thumbnail. */
function InitPicture({ run }: { run: CompareRunView | undefined }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const gInit = run?.gInit ?? null;
  useQueuedPaint(
    ref,
    (c) => {
      if (!gInit) return;
      const range = colourRange(gInit.values, null);
      drawGridField(c.ctx, gInit.values, gInit.grid.size, (v) => divergingColor(v, range), c.width, c.height);
    },
    gInit,
  );
  const initVerdict = run?.analysisInit?.verdict;
  return (
    <span className="compare-init">
      <canvas ref={ref} className="compare-pic" aria-hidden="true" />
      <span className="compare-init-label">
        <span>at step 0</span>
        {initVerdict && <span>{VERDICT_LABELS[initVerdict]}</span>}
      </span>
    </span>
  );
}

function VerdictStrip({ run, themeKey }: { run: CompareRunView | undefined; themeKey: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const history = run?.verdictHistory ?? null;
  const step = run?.step ?? 0;
  const data = useMemo(() => ({ history, step, themeKey }), [history, step, themeKey]);
  useQueuedPaint(ref, (c) => drawVerdictStrip(c, data.history ?? [], data.step, readVerdictColors(), readPlotTheme().grid), data);
  const changes = history ? history.filter((h, i) => i === 0 || h.verdict !== history[i - 1].verdict).length : 0;
  return (
    <canvas
      ref={ref}
      className="compare-strip"
      aria-hidden="true"
      title={
        history && history.length
          ? `Verdict over the steps: ${changes} stretch${changes === 1 ? '' : 'es'} since step ${history[0].step}`
          : 'No verdict yet'
      }
    />
  );
}

export function CompareCell({ plan, run, kind, color, showInit, themeKey }: CellProps) {
  const badge = cellBadge(run, kind);
  const describedBy = useId();
  const withInit = showInit && kind === 'heatmap';
  return (
    <li className={withInit ? 'compare-cell-item with-init' : 'compare-cell-item'}>
      <button
        type="button"
        className="compare-cell"
        data-testid="compare-g"
        data-run={plan.runId}
        data-model={plan.model}
        data-seed={plan.seed}
        data-step={run?.step ?? 0}
        data-kind={kind}
        data-verdict={badge.verdict}
        aria-label={cellLabel(plan, badge)}
        aria-describedby={describedBy}
        style={{ borderTopColor: color }}
        onClick={() => appStore.getState().openCompareRun(plan.runId)}
      >
        <span className="compare-pics">
          <LearnedPicture run={run} kind={kind} color={color} themeKey={themeKey} />
          {withInit && <InitPicture run={run} />}
        </span>
        <span className="compare-cell-foot">
          {/* The space keeps "seed 1 untrained" two words, as in the button's name (axe: the name contains the visible text). */}
          <span className="compare-seed">seed {plan.seed}</span>{' '}
          {kind === 'heatmap' || badge.verdict === 'building' || badge.verdict === 'diverged' || badge.verdict === 'error' ? (
            <span className={`compare-badge v-${badge.verdict}`} title={badge.title}>
              {badge.word}
            </span>
          ) : null}
        </span>
        {kind === 'heatmap' && <VerdictStrip run={run} themeKey={themeKey} />}
        <span id={describedBy} className="visually-hidden">
          {badge.title}
        </span>
      </button>
    </li>
  );
}
