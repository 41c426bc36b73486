/**
 * The timeline under the heatmap: a slider over the frames of g kept while training. Moving it
 * off "live" shows the stored g (and its verdict) instead of the live one; the right end, or the
 * Live button, returns. "Export animation" records the frames as a WebM video.
 */
import { useId } from 'react';
import { appStore, selectMainSnapshot, useApp } from '../state/store';
import { nearestFrameIndex } from '../state/timeline';
import { VERDICT_WORDS } from '../viz/exportFigure';
import { animationBlocker, exportAnimation } from './shareActions';

export function AnimationButton({ testId = 'export-animation', label = 'Export animation' }: { testId?: string; label?: string }) {
  const recording = useApp((s) => s.ui.recording);
  const blocker = useApp(animationBlocker);
  const busy = recording !== null;
  const title = blocker ?? 'Record how g emerged as a WebM video (1280×720) for slides';
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid={testId}
      disabled={blocker !== null || busy}
      title={title}
      aria-label={busy ? `Recording the animation, ${Math.round(recording * 100)}%` : `${label}: ${title}`}
      onClick={() => void exportAnimation()}
    >
      {busy ? `Recording ${Math.round(recording * 100)}%` : label}
    </button>
  );
}

export function Timeline() {
  const frames = useApp((s) => s.timeline.frames);
  const chosen = useApp((s) => s.ui.timelineStep);
  const liveStep = useApp((s) => selectMainSnapshot(s)?.step ?? 0);
  const hasG = useApp((s) => !!selectMainSnapshot(s)?.g);
  const id = useId();
  if (!hasG && frames.length === 0) return null;

  const live = chosen === null || frames.length === 0;
  const index = live ? frames.length : Math.max(0, nearestFrameIndex(frames, chosen));
  const frame = live ? null : frames[index];
  const verdict = frame?.analysis ? VERDICT_WORDS[frame.analysis.verdict] : null;
  const text = frame ? `step ${frame.step}${verdict ? ` · ${verdict}` : ''}` : `live · step ${liveStep}`;
  const set = (i: number) => appStore.getState().setUi({ timelineStep: i >= frames.length ? null : frames[i].step });

  return (
    <div className={`timeline${live ? '' : ' replaying'}`} data-testid="timeline" data-live={live ? 'true' : 'false'}>
      <label htmlFor={id} className="timeline-label">
        Timeline
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={frames.length}
        step={1}
        value={index}
        disabled={frames.length < 2}
        aria-valuetext={live ? `live, step ${liveStep}` : `step ${frame!.step}${verdict ? `, ${verdict}` : ''} (replay)`}
        title={
          frames.length < 2
            ? 'Frames of g are kept while training; train to fill the timeline'
            : 'Replay how g emerged; the right end is live'
        }
        data-testid="timeline-slider"
        onChange={(e) => set(Number(e.target.value))}
      />
      <span className="timeline-value" data-testid="timeline-value" aria-live="off">
        {text}
        {!live && <span className="replay-tag">replay</span>}
      </span>
      <button
        type="button"
        className="btn btn-small"
        data-testid="timeline-live"
        disabled={live}
        onClick={() => appStore.getState().setUi({ timelineStep: null })}
      >
        Live
      </button>
      <AnimationButton />
    </div>
  );
}
