/**
 * Robustness: test accuracy against the size of a perturbation of the test inputs (Gaussian
 * noise, or the L-infinity attacks FGSM and PGD), one line per model, mean +- sd over seeds.
 * The test runs in the worker with a progress bar and Cancel; training waits meanwhile. The
 * panel takes the runs to test, so the single-run view and compare mode share it.
 * Over 300 lines because the options, the status line, the values table and the two wrappers
 * (single run, compare) share one test state and its wording; the drawing is in src/viz.
 */
import { useCallback, useMemo, useState } from 'react';
import type { PerturbationKind } from '../core/robustness/attacks';
import { robustnessBands } from '../core/robustness/bands';
import { PGD_FRACTION_RANGE, PGD_STEPS_RANGE, defaultSizes, sizeAxisTitle, type RobustnessOptions } from '../core/robustness/settings';
import { isImageDataset } from '../core/params';
import {
  isFinal,
  robustnessRunning,
  runsProgress,
  type RobustnessRunState,
  type RobustnessSend,
  type RobustnessTest,
} from '../state/robustnessSlice';
import { MAIN_RUN, appStore, useApp } from '../state/store';
import type { ToWorker } from '../worker/protocol';
import { modelColor } from '../viz/colors';
import { percent } from '../viz/format';
import type { DrawnBand } from '../viz/figures/robustnessFigure';
import { RobustnessChart } from '../viz/RobustnessChart';
import { optionLabel } from './optionLabels';
import './robustness.css';

/** A run the panel tests: its id (protocol and store), its model, and how to name it. */
export interface RobustnessRun {
  runId: string;
  model: string;
  label: string;
}

export interface RobustnessPanelProps {
  runs: readonly RobustnessRun[];
  /** Reaches each run's worker (compare mode's pool); default: the main run's worker. */
  send?: RobustnessSend;
  /** Why a test cannot start now (no model built yet), or null. */
  unavailable?: string | null;
}

const KIND_LABELS: Record<PerturbationKind, string> = {
  noise: 'Gaussian noise',
  fgsm: 'FGSM (one signed-gradient step)',
  pgd: 'PGD (k steps, random start)',
};

const SHORT_KIND: Record<PerturbationKind, string> = { noise: 'Gaussian noise', fgsm: 'FGSM', pgd: 'PGD' };

type Overall = 'running' | 'done' | 'cancelled' | 'error';

/** The whole test's state in one word: running until every run is final; then cancelled, failed or done. */
function overallState(runs: RobustnessRunState[]): Overall {
  if (runs.some((r) => !isFinal(r.status))) return 'running';
  if (runs.some((r) => r.status === 'cancelled')) return 'cancelled';
  if (runs.length > 0 && runs.every((r) => r.status === 'error')) return 'error';
  return 'done';
}

/** A number field that lets the user type freely and commits only finite values (clamped by the store). */
function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  testId: string;
  onCommit(v: number): void;
}) {
  const [text, setText] = useState<string | null>(null);
  return (
    <label className="robustness-field">
      <span>{props.label}</span>
      <input
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step}
        value={text ?? String(props.value)}
        data-testid={props.testId}
        onChange={(e) => {
          setText(e.target.value);
          const v = e.target.valueAsNumber;
          if (Number.isFinite(v)) props.onCommit(v);
        }}
        onBlur={() => setText(null)}
      />
    </label>
  );
}

function Options({ options, disabled }: { options: RobustnessOptions; disabled: boolean }) {
  const set = (patch: Partial<RobustnessOptions>) => appStore.getState().setRobustnessOptions(patch);
  return (
    <fieldset className="robustness-options" disabled={disabled}>
      <legend className="visually-hidden">Robustness test settings</legend>
      <label className="robustness-field">
        <span>Perturbation</span>
        <select value={options.kind} data-testid="robustness-kind" onChange={(e) => set({ kind: e.target.value as PerturbationKind })}>
          {(Object.keys(KIND_LABELS) as PerturbationKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      {options.kind === 'pgd' && (
        <>
          <NumberField
            label="steps k"
            value={options.pgdSteps}
            min={PGD_STEPS_RANGE.min}
            max={PGD_STEPS_RANGE.max}
            step={1}
            testId="robustness-pgd-steps"
            onCommit={(v) => set({ pgdSteps: v })}
          />
          <NumberField
            label="step size (× eps)"
            value={options.pgdStepFraction}
            min={PGD_FRACTION_RANGE.min}
            max={PGD_FRACTION_RANGE.max}
            step={0.05}
            testId="robustness-pgd-fraction"
            onCommit={(v) => set({ pgdStepFraction: v })}
          />
          <label className="robustness-check">
            <input type="checkbox" checked={options.randomStart} onChange={(e) => set({ randomStart: e.target.checked })} />
            <span>random start</span>
          </label>
        </>
      )}
    </fieldset>
  );
}

function StatusLine({ test, runs, state }: { test: RobustnessTest; runs: RobustnessRunState[]; state: Overall }) {
  const progress = runsProgress(runs);
  const pct = Math.round(progress.fraction * 100);
  const steps = [...new Set(runs.map((r) => r.step).filter((s): s is number => s !== null))];
  const examples = runs.find((r) => r.curve)?.curve?.examples;
  let text: string;
  if (state === 'running') text = `Testing… ${pct}%. Training waits until the test ends.`;
  else if (state === 'cancelled') text = 'Cancelled.';
  else if (state === 'error') text = `The test failed: ${runs.find((r) => r.reason)?.reason ?? 'unknown error'}.`;
  else
    text =
      `Done: ${SHORT_KIND[test.kind]}` +
      (examples !== undefined ? ` on ${examples} test examples` : '') +
      (steps.length === 1 ? `, at training step ${steps[0]}` : '') +
      '.';
  return (
    <div className="robustness-progress-row">
      <progress
        max={1}
        value={state === 'running' ? progress.fraction : state === 'done' ? 1 : progress.fraction}
        aria-label="Robustness test progress"
        aria-valuetext={`${pct}%`}
        data-testid="robustness-progress"
        data-state={state}
      />
      <span className="robustness-status" role="status" data-testid="robustness-status" data-state={state}>
        {text}
      </span>
      {state === 'running' && (
        <button
          type="button"
          className="btn btn-small"
          data-testid="robustness-cancel"
          onClick={() => appStore.getState().cancelRobustness()}
        >
          Cancel
        </button>
      )}
    </div>
  );
}

/** The numbers behind the chart, for screen readers (and anyone who wants them exactly). */
function ValuesTable({ bands, sizeTitle }: { bands: readonly DrawnBand[]; sizeTitle: string }) {
  if (bands.length === 0) return null;
  return (
    <table className="visually-hidden" data-testid="robustness-table">
      <caption>Test accuracy (mean ± sd over runs) at each {sizeTitle}</caption>
      <thead>
        <tr>
          <th scope="col">size</th>
          {bands.map((b) => (
            <th key={b.model} scope="col">
              {optionLabel('model', b.model)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {bands[0].sizes.map((s, i) => (
          <tr key={s}>
            <th scope="row">{s}</th>
            {bands.map((b) => (
              <td key={b.model} data-value={b.mean[i]}>
                {percent(b.mean[i])}
                {b.runs > 1 ? ` ± ${percent(b.sd[i])}` : ''}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RobustnessPanel({ runs, send, unavailable = null }: RobustnessPanelProps) {
  const options = useApp((s) => s.robustness.options);
  const test = useApp((s) => s.robustness.test);
  const imageData = useApp((s) => isImageDataset(s.params.dataset));
  // Only this panel's runs of the latest test (compare mode and the single run share the slice).
  const mine = useMemo(
    () => (test ? runs.filter((r) => r.runId in test.runs).map((r) => ({ run: r, state: test.runs[r.runId] })) : []),
    [runs, test],
  );
  const running = robustnessRunning(test);
  const state = overallState(mine.map((m) => m.state));
  const bands = useMemo<DrawnBand[]>(() => {
    const curves = mine.flatMap((m) => (m.state.status === 'done' && m.state.curve ? [{ model: m.run.model, curve: m.state.curve }] : []));
    return robustnessBands(curves).map((b) => ({ ...b, color: modelColor(b.model) }));
  }, [mine]);
  const diverged = mine.filter((m) => m.state.status === 'diverged');
  const failed = mine.filter((m) => m.state.status === 'error');
  const kind = test && mine.length > 0 ? test.kind : options.kind;
  const image = test && mine.length > 0 ? test.image : imageData;
  const sizes = test && mine.length > 0 ? test.sizes : defaultSizes(options.kind, imageData);
  const sizeTitle = sizeAxisTitle(kind, image);
  const start = () =>
    appStore.getState().startRobustness(
      runs.map((r) => r.runId),
      send,
    );
  const label =
    bands.length === 0
      ? `Robustness chart: no results yet (${sizeTitle})`
      : `Test accuracy against ${sizeTitle}: ` +
        bands.map((b) => `${optionLabel('model', b.model)} from ${percent(b.mean[0])} to ${percent(b.mean[b.mean.length - 1])}`).join('; ');

  return (
    <details className="robustness" data-testid="robustness-panel">
      <summary>
        <h2>Robustness</h2>
        <span className="robustness-summary-note">accuracy under noise and attacks</span>
      </summary>
      <p className="robustness-intro">
        How test accuracy falls as the test inputs are perturbed: by Gaussian noise of size sigma, or by the worst-case L∞ change of size
        eps that FGSM or PGD can find from the gradient. Sizes from 0 to {sizes[sizes.length - 1]},{' '}
        {image ? 'on the [-1, 1] pixel scale' : "on the data's coordinate scale"}
        {image ? ' (perturbed images are clipped to it)' : ''}.
      </p>
      <Options options={options} disabled={running} />
      <div className="robustness-actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="robustness-run"
          disabled={running || unavailable !== null || runs.length === 0}
          title={unavailable ?? undefined}
          onClick={start}
        >
          Test robustness
        </button>
        {unavailable && <span className="robustness-note">{unavailable}</span>}
      </div>
      {test && mine.length > 0 && <StatusLine test={test} runs={mine.map((m) => m.state)} state={state} />}
      <RobustnessChart bands={bands} xTitle={sizeTitle} emptyText={running ? 'Testing…' : 'Press "Test robustness"'} label={label} />
      {bands.length > 0 && (
        <div className="chart-legend robustness-legend" aria-hidden="true">
          {bands.map((b) => (
            <span key={b.model}>
              <i className="key" style={{ borderColor: b.color }} /> {optionLabel('model', b.model)}
              {b.runs > 1 ? ` (mean ± sd of ${b.runs} seeds)` : ''}
            </span>
          ))}
        </div>
      )}
      {diverged.length > 0 && (
        <p className="robustness-diverged" data-testid="robustness-diverged">
          Diverged, not plotted: {diverged.map((m) => m.run.label).join(', ')}.
        </p>
      )}
      {failed.length > 0 && state !== 'error' && (
        <p className="robustness-failed" data-testid="robustness-failed">
          Failed: {failed.map((m) => `${m.run.label} (${m.state.reason ?? 'unknown error'})`).join(', ')}.
        </p>
      )}
      <ValuesTable bands={bands} sizeTitle={sizeTitle} />
    </details>
  );
}

/** Why the main run cannot be tested in this status, or null. */
function unavailableFor(status: string | null): string | null {
  if (status === null || status === 'building') return 'The model is still being built.';
  if (status === 'nodata') return 'Add data first: there is no model to test.';
  if (status === 'error') return 'No model stands (see the message above).';
  return null;
}

/** The panel for compare mode: every run of the comparison, through the pool's workers. */
export function CompareRobustnessPanel() {
  const plans = useApp((s) => s.compare?.plans);
  const imported = useApp((s) => s.compare?.imported ?? false);
  const building = useApp((s) => (s.compare ? Object.values(s.compare.runs).some((r) => r.status === 'building') : true));
  const runs = useMemo(() => (plans ?? []).map((p) => ({ runId: p.runId, model: p.model, label: optionLabel('model', p.model) })), [plans]);
  const send = useCallback((runId: string, msg: ToWorker) => appStore.getState().compareSend(runId, msg), []);
  const unavailable = imported
    ? 'An imported comparison has no trained models here: press Play to train it again, then test it.'
    : building
      ? 'The models are still being built.'
      : null;
  return <RobustnessPanel runs={runs} send={send} unavailable={unavailable} />;
}

/** The panel for the single-run view: the main run. */
export function MainRobustnessPanel() {
  const model = useApp((s) => s.runs[MAIN_RUN]?.snapshot?.model ?? s.params.model);
  const status = useApp((s) => s.runs[MAIN_RUN]?.snapshot?.status ?? null);
  const runs = useMemo(() => [{ runId: MAIN_RUN, model, label: optionLabel('model', model) }], [model]);
  return <RobustnessPanel runs={runs} unavailable={unavailableFor(status)} />;
}
