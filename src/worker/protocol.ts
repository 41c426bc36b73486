/**
 * The typed message protocol between the page and the training worker. Everything that
 * crosses is plain, structured-cloneable data (typed arrays are transferred, not copied).
 * Runs are addressed by id so one worker can host several models side by side later.
 */
import type { ModelKind } from '../core/config';
import type { Params } from '../core/params';
import type { ShapeAnalysis } from '../core/analysis/shape';
import type { GridSpec } from '../core/grid';

export type { GridSpec };

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export interface MetricPoint {
  step: number;
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAcc: number;
  testAcc: number;
}

export type RunStatus = 'building' | 'ready' | 'running' | 'paused' | 'diverged' | 'error';

export interface ParamCount {
  outer: number;
  inner: number;
  total: number;
}

export interface Snapshot {
  runId: string;
  status: RunStatus;
  /** Why the run stopped by itself (divergence) and what to try; shown to the user. */
  message: string | null;
  step: number;
  epoch: number;
  /** 2: g and the outer network train together; 3: g frozen, outer network retrained. */
  session: 2 | 3;
  /** Training steps per second over the last second of running (0 when paused). */
  stepsPerSecond: number;
  backend: BackendName;
  /** Why this backend runs, in words ("auto: software WebGPU adapter, using wasm"). */
  backendReason: string;
  /** The model actually built: its kind and widths (after parameter matching). */
  model: ModelKind;
  hidden: number[];
  params: ParamCount;
  /** Downsampled, bounded metric history (at most ~1000 points), oldest first. */
  history: MetricPoint[];
  /** g(a, b) on the argument grid (first layer's g when each layer has its own). Null for fixed activations. */
  g: { grid: GridSpec; values: Float32Array } | null;
  /** g at the start of Session II (after Session I), for comparison. */
  gInit: { grid: GridSpec; values: Float32Array } | null;
  /** Smoothed histogram of the (a, b) arguments of all units (normalised to sum 1) and its 90% mask. */
  density: { grid: GridSpec; all: Float32Array; perLayer: Float32Array[]; mask: Uint8Array } | null;
  /** Shape analysis of g inside the 90% mask. Null for fixed activations. */
  analysis: ShapeAnalysis | null;
  /** For one-argument models: g(x) sampled on a line. */
  g1d: { xs: Float32Array; ys: Float32Array } | null;
  /** Network output (probability of class 1) over the input plane. */
  decision: { grid: GridSpec; values: Float32Array } | null;
}

export interface DatasetMessage {
  type: 'dataset';
  runId: string;
  /** Interleaved x, y coordinates. */
  trainX: Float32Array;
  trainY: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
}

export type ToWorker =
  | { type: 'init'; runId: string; params: Params }
  | { type: 'setParams'; runId: string; params: Params }
  | { type: 'play'; runId: string }
  | { type: 'pause'; runId: string }
  | { type: 'step'; runId: string; steps: number }
  | { type: 'reset'; runId: string }
  /** Session III: freeze g, re-initialise the outer weights, keep training. */
  | { type: 'sessionThree'; runId: string }
  | { type: 'setBackend'; backend: Params['backend'] }
  /** Measures steps/s of a bare training loop and of the normal loop with its bookkeeping. */
  | { type: 'benchmark'; runId: string; durationMs: number }
  | { type: 'dispose'; runId: string };

export type FromWorker =
  | { type: 'snapshot'; snapshot: Snapshot }
  | DatasetMessage
  | { type: 'error'; runId: string | null; message: string }
  /** While a run builds: how far Session I has got. */
  | { type: 'progress'; runId: string; stage: 'sessionOne'; done: number; total: number }
  | ({ type: 'benchmark'; runId: string } & BenchmarkResult);

export interface BenchmarkResult {
  backend: BackendName;
  /** Training steps per second with no snapshots, metrics or checks between chunks. */
  bareStepsPerSecond: number;
  /** The same, while playing normally (metrics, snapshots, divergence checks, checkpoints). */
  playingStepsPerSecond: number;
  snapshotsWhilePlaying: number;
}
