/**
 * g at the start of training (after Session I), small, beside the learned g: the comparison
 * that shows the saddle was learned, not built in. A canvas: it changes only on rebuild.
 */
import { useRef } from 'react';
import { selectMainSnapshot, type AppState } from '../state/store';
import { divergingColor } from './colors';
import { clearedCanvas, drawGridField } from './drawField';
import { colourRange } from './figures/gFigure';
import { compact } from './format';
import { useThrottledRender } from './useThrottledRender';

const selectInit = (s: AppState) => ({ gInit: selectMainSnapshot(s)?.gInit ?? null });

export function GInitThumbnail() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scaleRef = useRef<HTMLSpanElement>(null);

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
        <span className="g-init-scale" data-testid="g-init-scale" ref={scaleRef} />
      </figcaption>
    </figure>
  );
}
