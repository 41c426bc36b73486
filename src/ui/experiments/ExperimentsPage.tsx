/**
 * The Experiments page: opens a sweep's summary.json (the shipped one by default, or one the
 * user picks or drops; checked before anything changes) and shows whether the paper's claims
 * hold: the claims, the table per model, accuracy curves over seeds, robustness, and g of every run.
 */
import { useCallback, useEffect, useState, type DragEvent } from 'react';
import { parseSummaryFile, SUMMARY_MAX_BYTES } from '../../core/experiment/summarySchema';
import type { SummaryFile } from '../../core/experiment/summaryFile';
import { errorMessage } from '../../core/errorMessage';
import { ClaimsTable, ModelTable } from './SummaryTables';
import { AccuracyCurves, RobustnessCurves } from './ExperimentCurves';
import { GGrid } from './GGrid';

/** The summary shipped with the app (npm run experiment on experiments/paper-digits.json). */
export const SHIPPED_SUMMARY = './results/paper-digits/summary.json';

type Loaded = { file: SummaryFile; source: string };

async function readFileText(file: File): Promise<string> {
  if (file.size > SUMMARY_MAX_BYTES) throw new Error(`the file is larger than ${SUMMARY_MAX_BYTES / 1024 / 1024} MB`);
  return file.text();
}

export function ExperimentsPage() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [errors, setErrors] = useState<{ source: string; list: string[] } | null>(null);
  const [dragging, setDragging] = useState(false);

  const accept = useCallback((text: string, source: string) => {
    const parsed = parseSummaryFile(text);
    if (parsed.ok) {
      setLoaded({ file: parsed.file, source });
      setErrors(null);
    } else {
      setErrors({ source, list: parsed.errors });
    }
  }, []);

  const open = useCallback(
    (file: File) => {
      readFileText(file).then(
        (text) => accept(text, file.name),
        (e: unknown) => setErrors({ source: file.name, list: [errorMessage(e)] }),
      );
    },
    [accept],
  );

  useEffect(() => {
    fetch(SHIPPED_SUMMARY)
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(
        (text) => accept(text, 'the shipped paper-digits sweep'),
        (e: unknown) => setErrors({ source: SHIPPED_SUMMARY, list: [`could not load it: ${errorMessage(e)}`] }),
      );
  }, [accept]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) open(file);
  };

  const file = loaded?.file;
  return (
    <main
      className={dragging ? 'experiments dragging' : 'experiments'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="experiments-head">
        <h1>Do the paper's claims hold here?</h1>
        <p>
          Headless sweeps of the same networks as the <a href="./">playground</a>, many seeds each, with the statistics to say so. Open
          another <code>summary.json</code> (from <code>npm run experiment:report</code>) or drop it on the page.
        </p>
        <label className="experiments-open">
          Open summary.json
          <input
            type="file"
            accept="application/json,.json"
            data-testid="summary-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) open(f);
              e.target.value = '';
            }}
          />
        </label>
      </header>
      {errors && (
        <div className="experiments-errors" role="alert" data-testid="summary-errors">
          <strong>
            {errors.source} was not opened{loaded ? '; the results shown are unchanged' : ''}:
          </strong>
          <ul>
            {errors.list.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {file && (
        <>
          <section aria-labelledby="sweep-title">
            <h2 id="sweep-title" data-testid="sweep-name">
              {file.sweep}{' '}
              <span className="muted">
                ({file.summary.runs} runs, from {loaded.source})
              </span>
            </h2>
            <p className="muted">
              Reproduce: <code>{file.command}</code>
            </p>
            <ClaimsTable claims={file.summary.claims} />
          </section>
          <section aria-labelledby="models-title">
            <h2 id="models-title">Per model (mean ± sd over seeds; rates with 95% Wilson intervals)</h2>
            <ModelTable models={file.summary.models} />
          </section>
          <section aria-labelledby="curves-title" className="experiments-charts">
            <h2 id="curves-title">Learning and robustness</h2>
            <AccuracyCurves models={file.summary.models} />
            <RobustnessCurves models={file.summary.models} />
          </section>
          <section aria-labelledby="g-title">
            <h2 id="g-title">The learned g of every run</h2>
            <p className="muted">
              g(a, b) at the best test accuracy on [-5, 5]², blue negative, red positive (each on its own scale); the badge is the paper's
              saddle test inside the 90% region of the first layer's arguments on the test set.
            </p>
            <GGrid runs={file.runs} />
          </section>
        </>
      )}
    </main>
  );
}
