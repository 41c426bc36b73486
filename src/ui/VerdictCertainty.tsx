/**
 * The single run's verdict with its uncertainty (issue 10's rule, the same as compare mode's
 * badges): the worker re-fits g's shape on resampled arguments (the bootstrap) and the verdict
 * is "soft XOR" / "soft XNOR" only when the whole 95% interval of the relative Hessian
 * determinant is below 0, "not a saddle" when it is above, and "undecided" when it straddles 0.
 * Below it, the verdict history strip: the verdict over the steps trained so far.
 */
import { useMemo, useRef } from 'react';
import type { UncertainVerdict } from '../core/analysis/bootstrap';
import { MAIN_RUN, selectMainSnapshot, useApp } from '../state/store';
import type { SnapshotBootstrap } from '../worker/protocol';
import { drawVerdictStrip, readVerdictColors } from '../viz/compare/cellFigure';
import { compact } from '../viz/format';
import { readPlotTheme } from '../viz/plotTheme';
import { useQueuedPaint } from '../viz/useQueuedPaint';

export const CERTAIN_WORDS: Record<UncertainVerdict, string> = {
  'soft-xor': 'Soft XOR',
  'soft-xnor': 'Soft XNOR',
  'not-saddle': 'Not a saddle',
  undecided: 'Undecided',
};

/** The bootstrap verdict that describes the run now: null before the first, or when it is from another run (before a reset). */
export function currentBootstrap(b: SnapshotBootstrap | null | undefined, step: number): SnapshotBootstrap | null {
  return b && b.step <= step ? b : null;
}

/** One sentence on what the interval says. */
export function certaintySentence(b: SnapshotBootstrap): string {
  const interval = `[${compact(b.relativeDet.lo)}, ${compact(b.relativeDet.hi)}]`;
  const at = `step ${b.step}, ${b.resamples} resamples`;
  if (b.verdict === 'undecided')
    return `Undecided: the 95% interval of the relative determinant, ${interval}, straddles 0, so the data cannot yet tell a saddle from not a saddle (${at}).`;
  if (b.verdict === 'not-saddle') return `The whole 95% interval of the relative determinant, ${interval}, is above 0 (${at}).`;
  return `The whole 95% interval of the relative determinant, ${interval}, is below 0: a saddle (${at}).`;
}

function HistoryStrip() {
  const ref = useRef<HTMLCanvasElement>(null);
  const history = useApp((s) => s.runs[MAIN_RUN]?.verdictHistory ?? null);
  const step = useApp((s) => selectMainSnapshot(s)?.step ?? 0);
  const theme = useApp((s) => `${s.ui.theme}/${s.ui.systemDark}`);
  const data = useMemo(() => ({ history, step, theme }), [history, step, theme]);
  useQueuedPaint(ref, (c) => drawVerdictStrip(c, data.history ?? [], data.step, readVerdictColors(), readPlotTheme().grid), data);
  const entries = history ?? [];
  const label =
    entries.length === 0
      ? 'No verdict history yet'
      : `Verdict over the steps: ${entries.map((e) => `step ${e.step} ${CERTAIN_WORDS[e.verdict]}`).join(', ')}`;
  return (
    <div className="verdict-history">
      <span className="verdict-history-label">verdict over the steps</span>
      <canvas
        ref={ref}
        className="verdict-history-strip"
        data-testid="verdict-history"
        data-count={entries.length}
        role="img"
        aria-label={label}
      />
    </div>
  );
}

/** The interval's sentence and the history strip (under the verdict word). */
export function VerdictCertainty({ bootstrap }: { bootstrap: SnapshotBootstrap | null }) {
  return (
    <div className="verdict-certainty" data-testid="verdict-certainty" data-state={bootstrap ? bootstrap.verdict : 'pending'}>
      <p className="verdict-interval">
        {bootstrap ? certaintySentence(bootstrap) : 'Checking how certain this is (re-fitting on resampled data)…'}
      </p>
      <HistoryStrip />
    </div>
  );
}
