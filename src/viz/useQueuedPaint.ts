/**
 * Paints a canvas from props through the shared render queue (one job per browser task, a newer
 * job replacing a queued one): for many small pictures whose data the parent already throttles,
 * such as compare mode's grid cells. Repaints when `data` changes identity and when the canvas
 * changes size.
 */
import { useCallback, useEffect, useId, useLayoutEffect, useRef, type RefObject } from 'react';
import { clearedCanvas } from './drawField';
import type { ContentContext } from './framedChart';
import { renderQueue } from './renderQueue';

export function useQueuedPaint(canvasRef: RefObject<HTMLCanvasElement | null>, paint: (c: ContentContext) => void, data: unknown): void {
  const paintRef = useRef(paint);
  const owner = useId();
  useLayoutEffect(() => {
    paintRef.current = paint;
  });

  const request = useCallback(() => {
    renderQueue.enqueue(owner, () => {
      const canvas = canvasRef.current;
      if (!canvas || !canvas.isConnected) return;
      const { ctx, width, height } = clearedCanvas(canvas);
      paintRef.current({ ctx, width, height });
    });
  }, [owner, canvasRef]);

  useEffect(() => {
    request();
  }, [request, data]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const observer = canvas ? new ResizeObserver(() => request()) : null;
    if (canvas) observer!.observe(canvas);
    return () => {
      observer?.disconnect();
      renderQueue.cancel(owner);
    };
  }, [request, owner, canvasRef]);
}
