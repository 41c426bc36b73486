/**
 * Canvas drawing of grid fields and data points, with ImageData: one small image of the grid
 * (one pixel per grid point) scaled up by the browser, which costs well under a millisecond,
 * instead of thousands of rectangles.
 */
import type { GridSpec } from '../core/grid';
import { CLASS_COLORS, type Rgb } from './colors';

/** Sizes the canvas backing store to its CSS box times the pixel ratio; returns the CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement): { width: number; height: number; ratio: number } {
  const ratio = Math.min(3, globalThis.devicePixelRatio || 1);
  const width = Math.max(1, canvas.clientWidth);
  const height = Math.max(1, canvas.clientHeight);
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  return { width, height, ratio };
}

/** Fits the canvas, then returns its context in CSS pixels, cleared. */
export function clearedCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; width: number; height: number; ratio: number } {
  const { width, height, ratio } = fitCanvas(canvas);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height, ratio };
}

/**
 * Draws a row-major grid field (row 0 = lowest y) into the whole canvas, coloured by `color`.
 * The image is flipped so that y grows upwards, as on a plot.
 */
export function drawGridField(
  ctx: CanvasRenderingContext2D,
  values: ArrayLike<number>,
  size: number,
  color: (v: number) => Rgb,
  width: number,
  height: number,
  smooth = true,
): void {
  const image = new ImageData(size, size);
  const px = image.data;
  for (let r = 0; r < size; r++) {
    const row = size - 1 - r; // canvas rows run top-down
    for (let c = 0; c < size; c++) {
      const [R, G, B] = color(values[r * size + c]);
      const k = 4 * (row * size + c);
      px[k] = R;
      px[k + 1] = G;
      px[k + 2] = B;
      px[k + 3] = 255;
    }
  }
  const tile = new OffscreenCanvas(size, size);
  tile.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(tile, 0, 0, width, height);
}

/** Maps data coordinates in [min, max]^2 to canvas pixels (y up). */
export function planeToCanvas(grid: Pick<GridSpec, 'min' | 'max'>, width: number, height: number) {
  const span = grid.max - grid.min;
  return (x: number, y: number): [number, number] => [((x - grid.min) / span) * width, (1 - (y - grid.min) / span) * height];
}

/**
 * Draws labelled points: filled discs for training points, outlined rings for test points
 * (as in TensorFlow Playground), class by label > 0.5.
 */
export function drawPoints(
  ctx: CanvasRenderingContext2D,
  xy: Float32Array,
  labels: Float32Array,
  toCanvas: (x: number, y: number) => [number, number],
  style: 'filled' | 'outlined',
  radius: number,
  outline: string,
): void {
  // Batch by class so there are two fills per call rather than one per point.
  for (const cls of [0, 1]) {
    ctx.beginPath();
    for (let i = 0; i < labels.length; i++) {
      if ((labels[i] > 0.5 ? 1 : 0) !== cls) continue;
      const [px, py] = toCanvas(xy[2 * i], xy[2 * i + 1]);
      ctx.moveTo(px + radius, py);
      ctx.arc(px, py, radius, 0, 2 * Math.PI);
    }
    const fill = cls === 1 ? CLASS_COLORS.one : CLASS_COLORS.zero;
    if (style === 'filled') {
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = outline;
      ctx.stroke();
    } else {
      // Hollow ring: a light centre keeps it visible on a background of its own colour.
      ctx.fillStyle = 'rgba(255, 255, 255, 0.75)';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = fill;
      ctx.stroke();
    }
  }
}
