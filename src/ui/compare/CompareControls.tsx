/**
 * Compare mode's own controls: the header switch between one run and the comparison, the form
 * that picks the models and seeds, and the toolbar's play / step / reset and status for all
 * runs at once (the same test ids as the single run's: play, step, reset, step-count).
 */
import { COMPARE_MODELS, MAX_COMPARE_MODELS, MAX_COMPARE_SEEDS, PARAM_SPECS } from '../../core/params';
import { appStore, useApp, type AppState } from '../../state/store';
import { modelColor } from '../../viz/colors';
import { PauseIcon, PlayIcon, ResetIcon, StepIcon } from '../icons';
import { DEFAULT_COMPARE_MODELS, modelLabel } from './compareFormat';
import { GpuDispatchStat } from './GpuDispatchStat';

/**
 * Whether the page shows compare mode: the link asks for it, or a comparison is on screen (an
 * imported one is shown without changing the params).
 */
export const inCompareMode = (s: AppState): boolean => s.params.compare.length > 0 || s.compare !== null;

/** The header switch: "Single run" | "Compare" (with the default models and the seeds param). */
export function CompareModeSwitch() {
  const compare = useApp(inCompareMode);
  const seeds = useApp((s) => s.params.seeds);
  return (
    <div className="mode-switch" role="group" aria-label="View">
      <button
        type="button"
        className="mode-option"
        data-testid="mode-single"
        aria-pressed={!compare}
        title="One network, in detail"
        onClick={() => {
          if (compare) appStore.getState().setCompare([], seeds);
        }}
      >
        Single run
      </button>
      <button
        type="button"
        className="mode-option"
        data-testid="mode-compare"
        aria-pressed={compare}
        title="Two-argument, one-argument and ReLU networks side by side, several seeds each, on the same data"
        onClick={() => {
          if (!compare) appStore.getState().setCompare(DEFAULT_COMPARE_MODELS, seeds);
        }}
      >
        Compare
      </button>
    </div>
  );
}

/** Which models (1 to 4) and how many seeds each. */
export function CompareForm() {
  const models = useApp((s) => s.params.compare);
  const seeds = useApp((s) => s.params.seeds);
  const choose = (model: string, on: boolean) => {
    const next = on ? [...models, model] : models.filter((m) => m !== model);
    if (next.length > 0) appStore.getState().setCompare(next, seeds);
  };
  return (
    <form className="compare-form" aria-label="What to compare" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="compare-models">
        <legend>Models (up to {MAX_COMPARE_MODELS})</legend>
        {COMPARE_MODELS.map((m) => {
          const on = models.includes(m);
          const full = !on && models.length >= MAX_COMPARE_MODELS;
          const last = on && models.length === 1;
          return (
            <label
              key={m}
              className="compare-model-choice"
              title={full ? `At most ${MAX_COMPARE_MODELS} models at once` : last ? 'At least one model' : undefined}
            >
              <input
                type="checkbox"
                data-testid={`compare-model-${m}`}
                checked={on}
                disabled={full || last}
                onChange={(e) => choose(m, e.target.checked)}
              />
              <span className="model-swatch" style={{ background: modelColor(m) }} aria-hidden="true" />
              {modelLabel(m)}
            </label>
          );
        })}
      </fieldset>
      <label className="inline-field compare-seeds" title={PARAM_SPECS.seeds.help}>
        <span>Seeds per model</span>
        <select data-testid="compare-seeds" value={seeds} onChange={(e) => appStore.getState().setCompare(models, Number(e.target.value))}>
          {Array.from({ length: MAX_COMPARE_SEEDS }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

export function ComparePlayControls() {
  const playing = useApp((s) => s.compare?.playing ?? false);
  const ready = useApp((s) => s.compare !== null);
  const label = playing ? 'Pause' : 'Play';
  const store = appStore.getState();
  return (
    <div className="play-controls" role="group" aria-label="Training, all runs together">
      <button
        type="button"
        className="btn btn-primary btn-play"
        data-testid="play"
        aria-label={`${label} all runs (space)`}
        aria-pressed={playing}
        title={`${label} all runs together (space)`}
        disabled={!ready}
        onClick={() => store.compareTogglePlay()}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
        <span>{label}</span>
      </button>
      <button
        type="button"
        className="btn"
        data-testid="step"
        aria-label="Every run trains one step (S)"
        title="One step, every run (S)"
        disabled={!ready}
        onClick={() => store.compareStep()}
      >
        <StepIcon />
        <span className="btn-text">Step</span>
      </button>
      <button
        type="button"
        className="btn"
        data-testid="reset"
        aria-label="Reset every run to its seed (R)"
        title="Reset every run (R)"
        disabled={!ready}
        onClick={() => store.compareReset()}
      >
        <ResetIcon />
        <span className="btn-text">Reset</span>
      </button>
    </div>
  );
}

/** The common step (runs move in lockstep: the slowest one's step), how the runs are, the pool. */
const selectStep = (s: AppState) => {
  const runs = Object.values(s.compare?.runs ?? {});
  return runs.length ? Math.min(...runs.map((r) => r.step)) : 0;
};

const STATE_WORDS: [string, string][] = [
  ['running', 'training'],
  ['paused', 'paused'],
  ['ready', 'ready'],
  ['building', 'building'],
  ['diverged', 'diverged'],
  ['error', 'failed'],
  ['nodata', 'no data'],
];

/** "12 runs: 11 training, 1 diverged" (a string, so the bar re-renders only when it changes). */
export function runStates(s: AppState): string {
  const runs = Object.values(s.compare?.runs ?? {});
  if (runs.length === 0) return s.compare ? 'starting…' : 'starting the runs…';
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = STATE_WORDS.filter(([k]) => counts.has(k)).map(([k, word]) => `${counts.get(k)} ${word}`);
  return `${runs.length} runs: ${parts.join(', ')}`;
}

/** Session I progress summed over the runs being built (0 of 0 when none is). */
function buildProgress(s: AppState, part: 'done' | 'total'): number {
  let sum = 0;
  for (const r of Object.values(s.compare?.runs ?? {})) if (r.progress) sum += r.progress[part];
  return sum;
}
const selectBuildDone = (s: AppState) => buildProgress(s, 'done');
const selectBuildTotal = (s: AppState) => buildProgress(s, 'total');

export function CompareStatusBar() {
  const step = useApp(selectStep);
  const states = useApp(runStates);
  const done = useApp(selectBuildDone);
  const total = useApp(selectBuildTotal);
  const pool = useApp((s) => s.compare?.poolSize ?? 0);
  const speed = useApp((s) => Math.round(s.compare?.stepsPerSecond ?? 0));
  const diverged = states.includes('diverged') || states.includes('failed');
  return (
    <div className="status-bar" role="status" aria-live="off">
      <span className="stat">
        <span className="stat-label">step</span>
        <span className="stat-value" data-testid="step-count">
          {step}
        </span>
      </span>
      <span className="stat" title="Steps per second of each run (they advance together)">
        <span className="stat-label">steps/s</span>
        <span className="stat-value" data-testid="steps-per-second">
          {speed}
        </span>
      </span>
      <span className={diverged ? 'run-state run-diverged' : 'run-state'} data-testid="compare-run-states">
        {states}
      </span>
      {total > 0 && (
        <span className="stat build-progress" title={`Session I of the runs being built: ${done}/${total} steps`}>
          <progress max={total} value={done} aria-label={`Building the runs: Session I, ${done} of ${total} steps`} />
        </span>
      )}
      {pool > 0 && (
        <span className="stat" title="Runs are shared among this many background workers">
          <span className="stat-label">workers</span>
          <span className="stat-value">{pool}</span>
        </span>
      )}
      <GpuDispatchStat />
    </div>
  );
}

/** The line by the Play button in compare mode. */
export function comparePrompt(s: AppState): string {
  const c = s.compare;
  if (!c) return 'Starting the runs…';
  const runs = Object.values(c.runs);
  if (runs.length === 0 || runs.some((r) => r.status === 'building')) return 'Building the networks, each from its own seed…';
  if (selectStep(s) === 0 && !c.playing) return `Press Play: all ${runs.length} runs train together, on the same data, step for step.`;
  if (c.playing) return 'Watch the badges: a verdict is "undecided" until resampling the data keeps it on one side.';
  return 'Paused. Click a cell to open that run on its own, or compare the table with the step-0 column.';
}

export function ComparePrompt() {
  const text = useApp(comparePrompt);
  return (
    <p className="play-prompt" data-testid="play-prompt">
      {text}
    </p>
  );
}
