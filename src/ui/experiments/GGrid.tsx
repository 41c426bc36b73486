/** Small multiples: g of every run of a sweep, grouped by model, drawn from its weights on a canvas each. */
import { useEffect, useRef } from 'react';
import { gOnGridFromWeights } from '../../core/experiment/gForward';
import type { SummaryRun } from '../../core/experiment/summaryFile';
import type { GridSpec } from '../../core/grid';
import { divergingColor } from '../../viz/colors';
import { clearedCanvas, drawGridField } from '../../viz/drawField';
import { MODEL_NAMES } from './SummaryTables';

const GRID: GridSpec = { min: -5, max: 5, size: 48 };
const VERDICT_WORDS: Record<string, string> = { 'soft-xor': 'soft XOR', 'soft-xnor': 'soft XNOR', 'not-saddle': 'not a saddle' };

function GCell({ run }: { run: SummaryRun }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !run.gWeights) return;
    const g = gOnGridFromWeights(run.inner, run.innerAct, run.gWeights, GRID);
    let range = 0;
    for (const v of g) if (Number.isFinite(v)) range = Math.max(range, Math.abs(v));
    const { ctx, width, height } = clearedCanvas(canvas);
    drawGridField(ctx, g, GRID.size, (v) => divergingColor(v, range), width, height);
  }, [run]);
  const verdict = run.verdictBest ?? 'none';
  return (
    <figure className="g-cell" data-testid="experiments-g" data-verdict={verdict}>
      <canvas ref={ref} role="img" aria-label={`g of ${run.id}: ${VERDICT_WORDS[verdict] ?? 'no verdict'}`} />
      <figcaption>
        seed {run.seed} <span className={`verdict-badge v-${verdict}`}>{VERDICT_WORDS[verdict] ?? '-'}</span>
        <span className="muted"> (start: {VERDICT_WORDS[run.verdictInitial ?? ''] ?? '-'})</span>
      </figcaption>
    </figure>
  );
}

export function GGrid({ runs }: { runs: readonly SummaryRun[] }) {
  const models = [...new Set(runs.filter((r) => r.gWeights && r.verdictBest).map((r) => r.model))];
  if (models.length === 0) return <p>No run in this sweep has a two-argument g.</p>;
  return (
    <div data-testid="experiments-grid">
      {models.map((m) => (
        <div key={m} className="g-model">
          <h3>{MODEL_NAMES[m] ?? m}</h3>
          <div className="g-cells">
            {runs
              .filter((r) => r.model === m && r.gWeights && r.verdictBest)
              .map((r) => (
                <GCell key={r.id} run={r} />
              ))}
          </div>
        </div>
      ))}
    </div>
  );
}
