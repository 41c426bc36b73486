/**
 * g at the start of training (after Session I), small, beside the learned g: the comparison
 * that shows the saddle was learned, not built in. A canvas: it changes only on rebuild.
 */
import { useRef } from 'react';
import { selectMainSnapshot, useApp, type AppState } from '../state/store';
import { divergingColor } from './colors';
import { clearedCanvas, drawGridField } from './drawField';
import { colourRange } from './figures/gFigure';
import { compact } from './format';
import { useThrottledRender } from './useThrottledRender';

const selectInit = (s: AppState) => ({ gInit: selectMainSnapshot(s)?.gInit ?? null });

/** Which Session I made this start (the paper's surface peaks near 0.15, the visible one at 1): said, not left to the colours. */
function sessionOneWords(p: AppState['params']): string {
  if (p.pretrain === 0) return 'Xavier init, no Session I';
  return p.sessionOne === 'paper' ? "Session I: paper's scale" : 'Session I: visible, ±1';
}

export function GInitThumbnail() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scaleRef = useRef<HTMLSpanElement>(null);
  const session = useApp((s) => sessionOneWords(s.params));

  useThrottledRender(
    selectInit,
    ({ gInit }) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const { ctx, width, height } = clearedCanvas(canvas);
      if (!gInit) return;
      const range = colourRange(gInit.values, null);
      drawGridField(ctx, gInit.values, gInit.grid.size, (v) => divergingColor(v, range), width, height);
      // Its own colour range, in numbers, so its colours can be read against the big heatmap's.
      if (scaleRef.current) scaleRef.current.textContent = `colours ±${compact(range)}`;
    },
    500,
    canvasRef,
  );

  return (
    <figure className="g-init">
      <canvas ref={canvasRef} role="img" aria-label="g at the start of training, same axes and colours" />
      <figcaption>
        g at start
        <span className="g-init-scale" data-testid="g-init-session">
          {session}
        </span>
        <span className="g-init-scale" data-testid="g-init-scale" ref={scaleRef} />
      </figcaption>
    </figure>
  );
}
