/**
 * Compare mode's main area (beside the settings, in place of the single run's columns): the
 * choice of models and seeds with a slot for the export and robustness buttons, the small
 * multiples, the curves and the summary table. The runs' records re-render it at most four
 * times a second; the table's numbers are computed once per change of the runs.
 */
import { useMemo } from 'react';
import type { CompareState } from '../../state/compareTypes';
import { useApp, type AppState } from '../../state/store';
import { CompareRobustnessPanel } from '../RobustnessPanel';
import { CompareExportButtons } from './CompareExportButtons';
import { CompareForm } from './CompareControls';
import { CompareCurves } from './CompareCurves';
import { CompareGridView } from './CompareGrid';
import { CompareTableView } from './CompareTable';
import { compareTableSummary } from './compareFormat';
import { useThrottledApp } from './useThrottledApp';
import './compare.css';

const RENDER_MS = 250;

const selectCompare = (s: AppState): CompareState | null => s.compare;

function CompareTable({ compare }: { compare: CompareState }) {
  const summary = useMemo(() => compareTableSummary({ plans: compare.plans, runs: compare.runs }), [compare.plans, compare.runs]);
  return <CompareTableView summary={summary} />;
}

export function CompareView() {
  const compare = useThrottledApp(selectCompare, RENDER_MS);
  const present = useApp((s) => s.ui.present);
  const curvesShown = useApp((s) => !s.params.hide.includes('curves'));
  const theme = useApp((s) => s.ui.theme);
  const systemDark = useApp((s) => s.ui.systemDark);
  const themeKey = `${theme}/${systemDark}`;
  return (
    <div className="compare-view" data-testid="compare-view">
      <section className="panel compare-head" data-panel="compare-head" aria-label="What to compare">
        <h2 className="visually-hidden">Compare models</h2>
        <CompareForm />
        <div className="compare-actions">
          <CompareExportButtons />
        </div>
      </section>
      {compare?.imported && (
        <p className="panel compare-imported" role="status" data-testid="compare-imported">
          An imported comparison: its runs as they were saved, not training. Play trains the same plan again from step 0.
        </p>
      )}
      {compare === null ? (
        <section className="panel compare-waiting" data-panel="compare-grid">
          <p role="status">Starting the runs…</p>
        </section>
      ) : (
        <>
          <section className="panel" data-panel="compare-grid" id="picture" tabIndex={-1}>
            <CompareGridView compare={compare} themeKey={themeKey} />
          </section>
          {curvesShown && !present && (
            <section className="panel" data-panel="compare-curves">
              <CompareCurves />
            </section>
          )}
          <section className="panel" data-panel="compare-table">
            <CompareTable compare={compare} />
          </section>
          {!present && (
            <section className="panel" data-panel="compare-robustness">
              <CompareRobustnessPanel />
            </section>
          )}
        </>
      )}
    </div>
  );
}
