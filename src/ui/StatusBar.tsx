/** Where the run is: step, epoch, speed, state, and which backend does the maths (and why). */
import { BACKEND_CHOICES, PARAM_SPECS } from '../core/params';
import { appStore, selectMainProgress, selectMainSnapshot, useApp } from '../state/store';
import { optionLabel } from './optionLabels';
import { switchLabel } from '../state/backendSwitch';

const STATUS_WORDS: Record<string, string> = {
  building: 'building…',
  ready: 'ready',
  running: 'training',
  paused: 'paused',
  diverged: 'diverged',
  error: 'error',
  nodata: 'no data',
};

function BackendPicker() {
  const choice = useApp((s) => s.params.backend);
  return (
    <label className="inline-field" title={PARAM_SPECS.backend.help}>
      <span className="visually-hidden">Backend choice</span>
      <select
        value={choice}
        aria-label="Backend choice"
        data-testid="backend-picker"
        onChange={(e) => appStore.getState().setBackend(e.target.value as (typeof BACKEND_CHOICES)[number])}
      >
        {BACKEND_CHOICES.map((b) => (
          <option key={b} value={b}>
            {optionLabel('backend', b)}
          </option>
        ))}
      </select>
    </label>
  );
}

function BackendBadge() {
  const backend = useApp((s) => selectMainSnapshot(s)?.backend ?? null);
  const reason = useApp((s) => selectMainSnapshot(s)?.backendReason ?? 'starting…');
  // A move forced by a lost GPU is said on the badge itself, not only in its tooltip.
  const lost = reason.startsWith('WebGPU device lost') ? ' (WebGPU device lost)' : '';
  return (
    <span className="badge" data-testid="backend" title={reason} aria-label={`Backend ${backend ?? 'not chosen yet'}: ${reason}`}>
      {backend ? `${backend}${lost}` : '…'}
    </span>
  );
}

/**
 * A backend switch takes seconds (building, then shader compilation in the first steps): say so,
 * with how far it has got, until the new backend runs (state/backendSwitch.ts).
 */
function BackendSwitching() {
  const sw = useApp((s) => s.ui.backendSwitch);
  if (!sw) return null;
  const label = switchLabel(sw);
  return (
    <span className="stat backend-switching" data-testid="backend-switching" data-stage={sw.stage} title={label}>
      <progress aria-label={label} max={3} value={sw.stage === 'building' ? 1 : 2} />
      <span className="stat-label">{label}</span>
    </span>
  );
}

/** Session I can take seconds on a slow backend: show how far it is instead of a frozen page. */
function BuildProgressBar() {
  const progress = useApp(selectMainProgress);
  if (!progress) return null;
  const label = `Session I: fitting g to a random smooth surface (${progress.done}/${progress.total} steps)`;
  return (
    <span className="stat build-progress" data-testid="build-progress" title={label}>
      <progress max={progress.total} value={progress.done} aria-label={label} />
    </span>
  );
}

export function StatusBar() {
  const step = useApp((s) => selectMainSnapshot(s)?.step ?? 0);
  const epoch = useApp((s) => selectMainSnapshot(s)?.epoch ?? 0);
  const speed = useApp((s) => selectMainSnapshot(s)?.stepsPerSecond ?? 0);
  const status = useApp((s) => selectMainSnapshot(s)?.status ?? 'building');
  // While the backend switches nothing trains: no speed, and the state says so.
  const switching = useApp((s) => s.ui.backendSwitch !== null);
  const session = useApp((s) => selectMainSnapshot(s)?.session ?? 2);
  const showBackend = useApp((s) => !s.params.hide.includes('backend'));
  return (
    <div className="status-bar" role="status" aria-live="off">
      <span className="stat">
        <span className="stat-label">step</span>
        <span className="stat-value" data-testid="step-count">
          {step}
        </span>
      </span>
      <span className="stat">
        <span className="stat-label">epoch</span>
        <span className="stat-value" data-testid="epoch-count">
          {Number.isInteger(epoch) ? epoch : epoch.toFixed(1)}
        </span>
      </span>
      <span className="stat">
        <span className="stat-label">steps/s</span>
        <span className="stat-value" data-testid="steps-per-second">
          {switching ? '—' : Math.round(speed)}
        </span>
      </span>
      <span className={`run-state run-${switching ? 'building' : status}`} data-testid="run-status">
        {switching ? 'switching…' : (STATUS_WORDS[status] ?? status)}
      </span>
      <BuildProgressBar />
      {session === 3 && (
        <span
          className="run-state"
          data-testid="session-badge"
          title="Session III: g is frozen; the outer network was re-initialised and retrains with it"
        >
          session III
        </span>
      )}
      {showBackend && (
        <span className="backend-box">
          <BackendBadge />
          <BackendPicker />
          <BackendSwitching />
        </span>
      )}
    </div>
  );
}
