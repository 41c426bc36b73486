/** Play/pause, single step, reset and a fresh seed: the run's transport buttons. */
import { appStore, selectMainSnapshot, useApp } from '../state/store';
import { hasNoG } from '../viz/noHiddenLayer';
import { DiceIcon, PauseIcon, PlayIcon, ResetIcon, StepIcon } from './icons';

export function PlayButton() {
  // During a backend switch the button follows what happens once it is done: Pause means "do not resume".
  const playing = useApp((s) => (s.ui.backendSwitch ? s.ui.backendSwitch.resume : s.playing));
  const diverged = useApp((s) => selectMainSnapshot(s)?.status === 'diverged');
  const label = playing ? 'Pause' : 'Play';
  return (
    <button
      type="button"
      className="btn btn-primary btn-play"
      data-testid="play"
      aria-label={`${label} training (space)`}
      aria-pressed={playing}
      title={diverged ? 'The run diverged: reset, or lower the learning rate' : `${label} (space)`}
      onClick={() => {
        const s = appStore.getState();
        if (!s.ui.backendSwitch) s.togglePlay();
        else if (s.ui.backendSwitch.resume) s.pause();
        else s.play();
      }}
    >
      {playing ? <PauseIcon /> : <PlayIcon />}
      <span>{label}</span>
    </button>
  );
}

export function ResetButton() {
  return (
    <button
      type="button"
      className="btn"
      data-testid="reset"
      aria-label="Reset the weights (R)"
      title="Reset (R)"
      onClick={() => appStore.getState().reset()}
    >
      <ResetIcon />
      <span className="btn-text">Reset</span>
    </button>
  );
}

/** Session III (freeze g, retrain the rest) makes sense only once a learned g exists. */
function FreezeGButton() {
  const learned = useApp((s) => s.params.model === 'twoArg' || s.params.model === 'oneArg');
  const session = useApp((s) => selectMainSnapshot(s)?.session ?? 2);
  const ready = useApp((s) => (selectMainSnapshot(s)?.step ?? 0) > 0);
  const noG = useApp((s) => hasNoG(selectMainSnapshot(s)?.hidden ?? s.params.hidden, s.params.model));
  if (!learned) return null;
  return (
    <button
      type="button"
      className="btn"
      data-testid="session-three"
      disabled={session === 3 || !ready || noG}
      aria-label={
        session === 3
          ? 'g frozen (Session III): the rest of the network retrains with the learned g'
          : 'Freeze g (Session III): keep the learned g, re-initialise the rest of the network and train it again'
      }
      title={
        noG
          ? 'No hidden layer, so no g to freeze'
          : session === 3
            ? 'g is frozen (Session III)'
            : 'Freeze g and retrain the rest (the paper’s Session III)'
      }
      onClick={() => appStore.getState().startSessionThree()}
    >
      <span className="btn-text">{session === 3 ? 'g frozen' : 'Freeze g'}</span>
    </button>
  );
}

export function PlayControls() {
  const actions = appStore.getState();
  return (
    <div className="play-controls" role="group" aria-label="Training">
      <PlayButton />
      <button
        type="button"
        className="btn"
        data-testid="step"
        aria-label="Train one step (S)"
        title="One step (S)"
        onClick={() => actions.step()}
      >
        <StepIcon />
        <span className="btn-text">Step</span>
      </button>
      <ResetButton />
      <button
        type="button"
        className="btn"
        data-testid="new-seed"
        aria-label="New seed: new data and new initial weights"
        title="New seed: new data and new initial weights"
        onClick={() => actions.newSeed()}
      >
        <DiceIcon />
        <span className="btn-text">New seed</span>
      </button>
      <FreezeGButton />
    </div>
  );
}
