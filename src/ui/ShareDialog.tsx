/**
 * "Share and export": the link and the embed code with copy buttons, the exports (heatmap PNG
 * and SVG, curves CSV, run JSON, animation WebM) and the import of a run file. A modal <dialog>:
 * tidy on small screens, focus kept inside and given back by the browser, Escape closes it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { RUN_FILE_MAX_BYTES } from '../state/runFile';
import { appStore, selectMainSnapshot, useApp } from '../state/store';
import { ShareIcon } from './icons';
import { ModalDialog } from './ModalDialog';
import {
  NO_HEATMAP,
  copyText,
  embedCode,
  exportCsv,
  exportPng,
  exportRunJson,
  exportSvg,
  importRunFile,
  notify,
  shareUrl,
} from './shareActions';
import { AnimationButton } from './Timeline';
import { ImportErrors } from './ImportErrors';

export function ShareButton() {
  const open = useApp((s) => s.ui.shareOpen);
  return (
    <button
      type="button"
      className="btn btn-small share-button"
      data-testid="share-button"
      aria-haspopup="dialog"
      aria-expanded={open}
      title="Copy the link or the embed code, export pictures, curves and the run, import a run"
      onClick={() => appStore.getState().setUi({ shareOpen: true })}
    >
      <ShareIcon />
      <span className="btn-text">Share / export</span>
    </button>
  );
}

function CopyField({
  label,
  value,
  testId,
  buttonLabel,
  multiline = false,
}: {
  label: string;
  value: string;
  testId: string;
  buttonLabel: string;
  multiline?: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    if (!status) return;
    const t = setTimeout(() => setStatus(''), 4000);
    return () => clearTimeout(t);
  }, [status]);
  const copy = async () => setStatus(await copyText(value, ref.current));
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        {multiline ? (
          <textarea
            ref={ref}
            id={id}
            readOnly
            rows={4}
            value={value}
            data-testid={testId}
            spellCheck={false}
            onFocus={(e) => e.currentTarget.select()}
          />
        ) : (
          <input
            ref={ref}
            id={id}
            type="text"
            readOnly
            value={value}
            data-testid={testId}
            spellCheck={false}
            onFocus={(e) => e.currentTarget.select()}
          />
        )}
        <button type="button" className="btn btn-small" data-testid={`copy-${testId}`} onClick={() => void copy()}>
          {buttonLabel}
        </button>
      </div>
      <span className="copy-status" role="status" data-testid={`copy-${testId}-status`}>
        {status}
      </span>
    </div>
  );
}

function ImportRun() {
  const id = useId();
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState('');
  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = ''; // the same file can be chosen again
    if (!file) return;
    setErrors([]);
    setDone('');
    const result = await importRunFile(file);
    if (result.ok) {
      const f = result.file;
      const g = f.g ? ' and its learned g' : '';
      const text =
        `Restored the configuration${g} from “${file.name.slice(0, 80)}” (saved at step ${f.step}). ` +
        'The outer network starts fresh from the seed; press Play to train.';
      setDone(text);
      notify('Run imported');
    } else {
      setErrors(result.errors);
    }
  };
  return (
    <div className="import-run">
      <label htmlFor={id}>Import a run (JSON exported here, at most {RUN_FILE_MAX_BYTES / (1024 * 1024)} MB)</label>
      <input id={id} type="file" accept=".json,application/json" data-testid="import-run" onChange={(e) => void onFile(e.currentTarget)} />
      <ImportErrors errors={errors} testId="import-errors" />
      {done && (
        <p className="import-done" role="status" data-testid="import-status">
          {done}
        </p>
      )}
    </div>
  );
}

function ExportButtons() {
  const hasG = useApp((s) => !!selectMainSnapshot(s)?.g);
  const hasCurves = useApp((s) => (selectMainSnapshot(s)?.history.length ?? 0) > 0);
  const ready = useApp((s) => {
    const st = selectMainSnapshot(s)?.status;
    return st !== undefined && st !== 'building' && st !== 'error';
  });
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <button
        type="button"
        className="btn btn-small"
        data-testid="export-png"
        disabled={!hasG}
        title={hasG ? 'g(a, b) as shown, with axes and colour bar (PNG)' : NO_HEATMAP}
        onClick={() => void exportPng()}
      >
        Heatmap PNG
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="export-svg"
        disabled={!hasG}
        title={hasG ? 'g(a, b) as a vector picture (SVG)' : NO_HEATMAP}
        onClick={exportSvg}
      >
        Heatmap SVG
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="export-curves-csv"
        disabled={!hasCurves}
        title="Loss and accuracy curves: step, epoch, trainLoss, testLoss, trainAcc, testAcc"
        onClick={exportCsv}
      >
        Curves CSV
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="export-json"
        disabled={!ready}
        title="The whole run: configuration, seed, metrics, g’s weights, shape analysis"
        onClick={() => void exportRunJson()}
      >
        Run JSON
      </button>
      <AnimationButton testId="export-animation-menu" label="Animation WebM" />
    </div>
  );
}

export function ShareDialog() {
  const open = useApp((s) => s.ui.shareOpen);
  const url = useApp((s) => (s.ui.shareOpen ? shareUrl(s) : ''));
  const snippet = useApp((s) => (s.ui.shareOpen ? embedCode(s) : ''));

  return (
    <ModalDialog
      open={open}
      onClose={() => appStore.getState().setUi({ shareOpen: false })}
      title="Share and export"
      titleId="share-title"
      closeLabel="Close share and export"
      className="share-dialog"
      testId="share-dialog"
    >
      {open && (
        <div className="share-body">
          <section aria-labelledby="share-link-title">
            <h3 id="share-link-title">Link</h3>
            <CopyField
              label="Link to this configuration (the same link on the same backend gives the same run)"
              value={url}
              testId="share-link"
              buttonLabel="Copy link"
            />
            <CopyField
              label="Embed code: heatmap, loss chart and a play button, for slides and pages"
              value={snippet}
              testId="embed-code"
              buttonLabel="Copy embed code"
              multiline
            />
          </section>
          <section aria-labelledby="share-export-title">
            <h3 id="share-export-title">Export</h3>
            <ExportButtons />
          </section>
          <section aria-labelledby="share-import-title">
            <h3 id="share-import-title">Import</h3>
            <ImportRun />
          </section>
        </div>
      )}
    </ModalDialog>
  );
}
