/**
 * Compare mode's small multiples: one row per model (its colour, size and widths), one cell per
 * seed for a model with a learned activation; a fixed activation gets its row header only.
 */
import { useMemo, useState, type CSSProperties } from 'react';
import type { CompareState } from '../../state/compareTypes';
import { modelColor } from '../../viz/colors';
import { CompareCell } from './CompareCell';
import { gridRows, modelLabel, rowFacts } from './compareFormat';

export function CompareGridView({
  compare,
  themeKey,
  initialShowInit = false,
}: {
  compare: CompareState;
  themeKey: string;
  initialShowInit?: boolean;
}) {
  const [showInit, setShowInit] = useState(initialShowInit);
  const rows = useMemo(() => gridRows(compare.plans, compare.runs), [compare.plans, compare.runs]);
  const seeds = Math.max(1, ...rows.map((r) => r.plans.length));
  const anyHeatmap = rows.some((r) => r.kind === 'heatmap');
  const rowsWithCells = rows.filter((r) => r.kind !== 'fixed').length;
  return (
    <div className="compare-grid-view">
      <div className="panel-head">
        <h2>Learned activations, one per seed</h2>
        {anyHeatmap && (
          <label className="switch" title="Show each seed's g before training (after Session I) beside its learned g">
            <input type="checkbox" data-testid="compare-show-init" checked={showInit} onChange={(e) => setShowInit(e.target.checked)} />
            <span>show g at step 0</span>
          </label>
        )}
      </div>
      <div
        className={showInit ? 'compare-grid show-init' : 'compare-grid'}
        data-testid="compare-grid"
        style={{ '--seeds': seeds, '--rows': Math.max(1, rowsWithCells) } as CSSProperties}
      >
        {rows.map((row) => {
          const color = modelColor(row.model);
          return (
            <section
              key={row.model}
              className={`compare-row compare-row-${row.kind}`}
              data-model={row.model}
              aria-label={modelLabel(row.model)}
            >
              <div className="compare-row-head" style={{ borderLeftColor: color }}>
                <h3>{modelLabel(row.model)}</h3>
                <p className="compare-row-facts" data-testid="compare-row-facts">
                  {rowFacts(row)}
                </p>
                {row.kind === 'fixed' && (
                  <p className="compare-row-note">fixed activation, no g ({row.seeds} seeds train; see the curves and the table)</p>
                )}
              </div>
              {row.kind !== 'fixed' && (
                <ul className="compare-cells">
                  {row.plans.map((plan) => (
                    <CompareCell
                      key={plan.runId}
                      plan={plan}
                      run={compare.runs[plan.runId]}
                      kind={row.kind === 'curve' ? 'curve' : 'heatmap'}
                      color={color}
                      showInit={showInit}
                      themeKey={themeKey}
                    />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <p className="caption">
        Each cell is one seed: g(a, b) on its own colour scale (red above 0, blue below), the dotted line around where 90% of its arguments
        fall, and under it the verdict over the steps (red soft XOR, blue soft XNOR, grey not a saddle, amber undecided). Click a cell to
        open that run on its own.
      </p>
    </div>
  );
}
