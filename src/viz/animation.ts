/**
 * "Export animation": the timeline's frames of g drawn one after another on a canvas and recorded
 * as a WebM video (canvas.captureStream + MediaRecorder), for slides. Each frame shows g with its
 * step and verdict beside the loss curve up to that step. Recording runs in real time, a few
 * milliseconds of drawing per frame, so the page stays responsive meanwhile.
 */
import type { MetricPoint } from '../worker/protocol';
import type { TimelineFrame } from '../state/timeline';
import type { DensityLayer } from '../state/uiSlice';
import { LINE_COLORS } from './colors';
import { decadeTicks, drawAxes, linearTicks, type Margins } from './canvasAxes';
import { FIGURE, VERDICT_WORDS, drawHeatmapFigure } from './exportFigure';
import { chosenDensity, colourRange } from './figures/gFigure';
import type { Range } from './niceRange';
import type { PlotTheme } from './plotTheme';

export const VIDEO = { width: 1280, height: 720 } as const;

type CaptureCanvas = HTMLCanvasElement & { captureStream?: (fps?: number) => MediaStream };

type Support = { ok: true; mimeType: string } | { ok: false; reason: string };
let support: Support | null = null;

/** The WebM type this browser records, or why it cannot record at all (checked once). */
export function animationSupport(): Support {
  support ??= detectSupport();
  return support;
}

function detectSupport(): Support {
  if (typeof MediaRecorder === 'undefined') return { ok: false, reason: 'This browser cannot record video (no MediaRecorder).' };
  if (typeof document === 'undefined' || typeof (document.createElement('canvas') as CaptureCanvas).captureStream !== 'function') {
    return { ok: false, reason: 'This browser cannot record a canvas (no captureStream).' };
  }
  const types = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];
  const mimeType = types.find((t) => MediaRecorder.isTypeSupported(t));
  return mimeType ? { ok: true, mimeType } : { ok: false, reason: 'This browser cannot record WebM video.' };
}

/** How long each frame stays on screen: the whole emergence in about 4-10 s, never faster than 15 fps. */
export function frameDurationMs(frames: number): number {
  return Math.min(500, Math.max(1000 / 15, 6000 / Math.max(1, frames)));
}

const LOSS_MARGINS: Margins = { left: 56, right: 14, top: 12, bottom: 40 };

function log10(x: number): number {
  return Math.log10(Math.max(x, 1e-12));
}

/** The loss curves up to `step`, on axes fixed for the whole video (so nothing jumps). */
function drawLossPanel(
  ctx: CanvasRenderingContext2D,
  x0: number,
  y0: number,
  w: number,
  h: number,
  history: readonly MetricPoint[],
  step: number,
  lastStep: number,
  yRange: Range,
  theme: PlotTheme,
): void {
  ctx.save();
  ctx.translate(x0, y0);
  const xRange: Range = [0, Math.max(1, lastStep)];
  drawAxes(
    ctx,
    w,
    h,
    LOSS_MARGINS,
    { x: { range: xRange, ticks: linearTicks(xRange, 4), title: 'step' }, y: { range: yRange, ticks: decadeTicks(yRange), title: 'loss' } },
    theme,
  );
  const m = LOSS_MARGINS;
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const sx = (v: number) => m.left + ((v - xRange[0]) / (xRange[1] - xRange[0])) * pw;
  const sy = (v: number) => m.top + ph - ((log10(v) - yRange[0]) / (yRange[1] - yRange[0] || 1)) * ph;
  ctx.beginPath();
  ctx.rect(m.left, m.top, pw, ph);
  ctx.clip();
  for (const [key, colour] of [
    ['testLoss', LINE_COLORS.test],
    ['trainLoss', LINE_COLORS.train],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    let pen = false;
    for (const p of history) {
      if (p.step > step) break;
      const v = p[key];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(sx(p.step), sy(v));
      else ctx.moveTo(sx(p.step), sy(v));
      pen = true;
    }
    ctx.stroke();
  }
  // Where the video is now.
  ctx.strokeStyle = theme.muted;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(sx(step), m.top);
  ctx.lineTo(sx(step), m.top + ph);
  ctx.stroke();
  ctx.restore();
}

/** The decades the loss spans over the whole history (at least one). */
export function lossDecades(history: readonly MetricPoint[]): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of history) {
    for (const v of [p.trainLoss, p.testLoss]) {
      if (!Number.isFinite(v) || v <= 0) continue;
      lo = Math.min(lo, log10(v));
      hi = Math.max(hi, log10(v));
    }
  }
  if (!Number.isFinite(lo)) return [-2, 0];
  const a = Math.floor(lo);
  const b = Math.ceil(hi) + 0; // + 0 turns -0 into 0
  return [a, b > a ? b : a + 1];
}

export interface AnimationOptions {
  theme: PlotTheme;
  densityLayer: DensityLayer;
  mimeType: string;
  /** One colour range for every frame (the default: colours then compare across the video). */
  lockScale: boolean;
  onProgress?: (fraction: number) => void;
}

/** A frame's own colour range, as the live heatmap would choose it (|g| where the arguments fall). */
function frameRange(frame: TimelineFrame, layer: DensityLayer): number {
  const chosen = frame.density && frame.density.grid.size === frame.g.grid.size ? chosenDensity(frame.density, layer) : null;
  return colourRange(frame.g.values, chosen?.mask ?? null);
}

/**
 * The colour range of each frame of the video. Locked: one range for all, the largest of the
 * frames' own, so nothing saturates more than in its own frame and a g that grows from ±0.3 to
 * ±7 is seen to grow. Unlocked: every frame its own (its shape at full contrast).
 */
export function animationRanges(frames: readonly TimelineFrame[], layer: DensityLayer, locked: boolean): number[] {
  const own = frames.map((f) => frameRange(f, layer));
  if (!locked) return own;
  const all = Math.max(...own);
  return own.map(() => all);
}

/** Draws one frame of the video. */
export function drawAnimationFrame(
  ctx: CanvasRenderingContext2D,
  frame: TimelineFrame,
  history: readonly MetricPoint[],
  lastStep: number,
  yRange: Range,
  o: AnimationOptions,
  index: number,
  count: number,
  range: number,
): void {
  const { width: W, height: H } = VIDEO;
  const t = o.theme;
  ctx.save();
  ctx.fillStyle = t.surface;
  ctx.fillRect(0, 0, W, H);
  const scale = Math.min((H - 40) / FIGURE.height, 700 / FIGURE.width);
  drawHeatmapFigure(
    ctx,
    {
      g: frame.g,
      density: frame.density,
      densityLayer: o.densityLayer,
      step: frame.step,
      verdict: frame.analysis?.verdict ?? null,
      fixedRange: range,
    },
    t,
    20,
    (H - FIGURE.height * scale) / 2,
    scale,
  );
  const x = 760;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = t.muted;
  ctx.font = `600 20px ${t.font}`;
  ctx.fillText('Soft-XOR Playground', x, 70);
  ctx.fillStyle = t.text;
  ctx.font = `700 56px ${t.font}`;
  ctx.fillText(`step ${frame.step}`, x, 140);
  const verdict = frame.analysis?.verdict;
  ctx.font = `700 40px ${t.font}`;
  ctx.fillStyle = verdict === 'soft-xor' ? '#b2182b' : verdict === 'soft-xnor' ? '#2166ac' : t.muted;
  ctx.fillText(verdict ? VERDICT_WORDS[verdict] : 'g(a, b)', x, 196);
  drawLossPanel(ctx, x - 10, 250, W - x - 20, 330, history, frame.step, lastStep, yRange, t);
  ctx.font = `14px ${t.font}`;
  ctx.fillStyle = t.muted;
  ctx.fillText('train loss', x + 50, 612);
  ctx.fillText('test loss', x + 190, 612);
  ctx.fillStyle = LINE_COLORS.train;
  ctx.fillRect(x + 20, 605, 24, 3);
  ctx.fillStyle = LINE_COLORS.test;
  ctx.fillRect(x + 160, 605, 24, 3);
  ctx.font = `14px ${t.font}`;
  ctx.fillStyle = t.muted;
  ctx.fillText(o.lockScale ? 'colour scale locked for the whole video' : 'colour scale: each frame its own', x, 650);
  // Progress along the bottom edge.
  ctx.fillStyle = t.grid;
  ctx.fillRect(0, H - 6, W, 6);
  ctx.fillStyle = LINE_COLORS.train;
  ctx.fillRect(0, H - 6, (W * (index + 1)) / count, 6);
  ctx.restore();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records the frames as a WebM video. Rejects with a readable reason when recording fails. */
export async function recordAnimation(
  frames: readonly TimelineFrame[],
  history: readonly MetricPoint[],
  o: AnimationOptions,
): Promise<Blob> {
  if (frames.length === 0) throw new Error('there are no frames yet: train for a while first');
  const canvas = document.createElement('canvas') as CaptureCanvas;
  canvas.width = VIDEO.width;
  canvas.height = VIDEO.height;
  const ctx = canvas.getContext('2d');
  if (!ctx || !canvas.captureStream) throw new Error('this browser cannot record a canvas');
  const lastStep = Math.max(frames[frames.length - 1].step, history.length ? history[history.length - 1].step : 0);
  const yRange = lossDecades(history);
  const ranges = animationRanges(frames, o.densityLayer, o.lockScale);
  const draw = (i: number) => drawAnimationFrame(ctx, frames[i], history, lastStep, yRange, o, i, frames.length, ranges[i]);
  draw(0);
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as MediaStreamTrack & { requestFrame?: () => void };
  const recorder = new MediaRecorder(stream, { mimeType: o.mimeType, videoBitsPerSecond: 5_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve, reject) => {
    recorder.onstop = () => resolve();
    recorder.onerror = () => reject(new Error('the video recorder failed'));
  });
  void stopped.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  recorder.start(500);
  try {
    const frameMs = frameDurationMs(frames.length);
    for (let i = 0; i < frames.length; i++) {
      if (i > 0) draw(i);
      track.requestFrame?.();
      o.onProgress?.((i + 1) / frames.length);
      await sleep(frameMs);
    }
    // Hold the final shape for a moment (re-sent so players show it for the whole time).
    for (let k = 0; k < 6; k++) {
      track.requestFrame?.();
      await sleep(250);
    }
  } finally {
    if (recorder.state !== 'inactive') recorder.stop();
    for (const t of stream.getTracks()) t.stop();
  }
  await stopped;
  const blob = new Blob(chunks, { type: 'video/webm' });
  if (blob.size === 0) throw new Error('the recorder produced no video data');
  return blob;
}
