/**
 * The one line by the Play button that tells a first-time visitor what to do and what to watch;
 * it follows the run (before Play, while g learns, once it is a saddle, paused, diverged).
 */
import { selectMainSnapshot, useApp, type AppState } from '../state/store';
import { hasNoG } from '../viz/noHiddenLayer';

export function playPrompt(s: AppState): string {
  const snap = selectMainSnapshot(s);
  const model = snap?.model ?? s.params.model;
  if (hasNoG(snap?.hidden ?? s.params.hidden, model)) return 'No hidden layer, so no g: add hidden units under Model to see one learn.';
  const sw = s.ui.backendSwitch;
  if (sw) {
    const shaders = sw.to === 'webgl' || sw.to === 'webgpu' ? ' and compiled its shaders' : '';
    return `Switching to ${sw.to}: ${sw.resume ? 'training goes on' : 'the run stands ready'} once it has built${shaders}.`;
  }
  if (!snap || snap.status === 'building') return 'Building the network…';
  if (snap.status === 'diverged') return 'The run diverged: press Reset, or lower the learning rate.';
  if (snap.status === 'error' || snap.status === 'nodata') return 'Nothing to train yet: see the message below.';
  if (model !== 'twoArg' && model !== 'oneArg') return `A fixed ${model} activation: press Play to compare its loss with the learned g.`;
  const saddle = snap.analysis?.verdict === 'soft-xor' || snap.analysis?.verdict === 'soft-xnor';
  if (snap.step === 0 && !s.playing) return 'Press Play and watch g(a, b) become a saddle.';
  if (s.playing) {
    if (snap.session === 3) return 'g is frozen: only the rest of the network retrains with it. Watch the accuracy.';
    return saddle
      ? 'g is a saddle now, a soft XOR: red where exactly one argument is high.'
      : 'Watch the big heatmap: red and blue corners appear as g learns.';
  }
  return saddle
    ? 'g became a soft XOR. Try Freeze g (Session III), or New seed to see it again.'
    : 'Paused: press Play to go on, or Step one at a time.';
}

export function PlayPrompt() {
  const text = useApp(playPrompt);
  return (
    <p className="play-prompt" data-testid="play-prompt">
      {text}
    </p>
  );
}
