/**
 * The comparison's exports and import: the whole comparison as JSON or CSV tables, the small
 * multiples as PNG or SVG, and "Import comparison", which shows a comparison file again
 * without retraining. A file that cannot be used changes nothing and says why in an alert,
 * as the run-file import does.
 */
import { useId, useState } from 'react';
import { COMPARE_FILE_MAX_BYTES } from '../../state/compareFile';
import { useApp } from '../../state/store';
import { notify } from '../shareActions';
import {
  NO_COMPARISON,
  exportComparisonCsv,
  exportComparisonJson,
  exportComparisonPng,
  exportComparisonSvg,
  importComparisonFile,
  selectHasComparison,
  selectHasComparisonFigure,
} from './compareExportActions';
import './compareExport.css';
import { ImportErrors } from '../ImportErrors';

const NO_FIGURE = 'Only two-argument and one-argument models have a learned activation to draw.';

function ImportComparison() {
  const id = useId();
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = ''; // the same file can be chosen again
    if (!file) return;
    setErrors([]);
    setDone('');
    setBusy(true);
    try {
      const result = await importComparisonFile(file);
      if (result.ok) {
        const { state, params } = result.comparison;
        const runs = state.plans.length;
        setDone(
          `Showing the comparison from “${file.name.slice(0, 80)}”: ${params.compare.join(', ')}, ${runs} runs, as saved. ` +
            'Nothing is retrained; the numbers are the file’s.',
        );
        notify('Comparison imported');
      } else setErrors(result.errors);
    } catch (e) {
      setErrors([`The file could not be imported: ${e instanceof Error ? e.message : String(e)}`]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="import-run">
      <label htmlFor={id}>Import comparison (JSON exported here, at most {COMPARE_FILE_MAX_BYTES / (1024 * 1024)} MB)</label>
      <input
        id={id}
        type="file"
        accept=".json,application/json"
        data-testid="import-comparison"
        aria-busy={busy}
        onChange={(e) => void onFile(e.currentTarget)}
      />
      {busy && (
        <p className="import-done" role="status">
          Reading the file…
        </p>
      )}
      <ImportErrors errors={errors} testId="import-comparison-errors" />
      {done && (
        <p className="import-done" role="status" data-testid="import-comparison-status">
          {done}
        </p>
      )}
    </div>
  );
}

export function CompareExportButtons() {
  const hasRuns = useApp(selectHasComparison);
  const hasFigure = useApp(selectHasComparisonFigure);
  return (
    <div className="compare-export">
      <div className="export-buttons" role="group" aria-label="Export the comparison">
        <button
          type="button"
          className="btn btn-small"
          data-testid="compare-export-json"
          disabled={!hasRuns}
          title={hasRuns ? 'Every run’s metrics, g, verdicts and the summary table, to import again later (JSON)' : NO_COMPARISON}
          onClick={exportComparisonJson}
        >
          Export JSON
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="compare-export-csv"
          disabled={!hasRuns}
          title={hasRuns ? 'One CSV per table: metrics per run and step, runs, summary (and robustness when computed)' : NO_COMPARISON}
          onClick={exportComparisonCsv}
        >
          Export CSV
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="compare-export-png"
          disabled={!hasFigure}
          title={hasFigure ? 'The small multiples: g of every run with its verdict (PNG)' : hasRuns ? NO_FIGURE : NO_COMPARISON}
          onClick={() => void exportComparisonPng()}
        >
          Figure PNG
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="compare-export-svg"
          disabled={!hasFigure}
          title={hasFigure ? 'The small multiples as a vector picture (SVG)' : hasRuns ? NO_FIGURE : NO_COMPARISON}
          onClick={exportComparisonSvg}
        >
          Figure SVG
        </button>
      </div>
      <ImportComparison />
    </div>
  );
}
