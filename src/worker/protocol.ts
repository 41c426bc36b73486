/**
 * The typed message protocol between the page and the training worker. Everything that
 * crosses is plain, structured-cloneable data (typed arrays are transferred, not copied).
 * Runs are addressed by id so one worker can host several models side by side (compare mode).
 * Over 300 lines because it is the one contract between the two sides: every message type, in
 * both directions, in one place, so neither side can send what the other does not read.
 */
import type { GpuGroupStats } from './gpu/gpuGrouping';
import type { ModelKind } from '../core/config';
import type { Params } from '../core/params';
import type { ShapeAnalysis } from '../core/analysis/shape';
import type { GridSpec } from '../core/grid';
import type { ParamCount } from '../core/model/paramCount';
import type { OptimizerState } from '../core/model/optimizer';
import type { NetworkView } from '../core/networkView';
import type { TrainStreams } from '../core/train/batchOrder';
import type { RobustnessResult } from '../core/robustness/attacks';
import type { RobustnessRequestSpec } from '../core/robustness/settings';
import type { BootstrapVerdict } from '../core/analysis/bootstrap';

export type { GridSpec };

/** 'fused': the fused CPU engine (core/fused); 'webgpu-fused': its step in WGSL (core/fused/gpu); the others are tfjs backends. */
export type BackendName = 'fused' | 'webgpu-fused' | 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export interface MetricPoint {
  step: number;
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAcc: number;
  testAcc: number;
}

/** nodata: the user's own data set has too few points to train on (draw or upload some). */
export type RunStatus = 'building' | 'ready' | 'running' | 'paused' | 'diverged' | 'error' | 'nodata';

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
  /** Parameters of the model built (outer network, g, total). */
  paramCount: ParamCount;
  /**
   * True for a metrics-only snapshot: the read-outs listed in HEAVY_SNAPSHOT_KEYS are null
   * here and the page keeps the ones of the last full snapshot (see mergeSnapshot).
   */
  partial: boolean;
  /** Downsampled, bounded metric history (at most ~1000 points), oldest first. */
  history: MetricPoint[];
  /**
   * g(a, b) on the argument grid (first layer's g when each layer has its own). Null for fixed
   * activations. `step`: the training step it was read at (a metrics snapshot keeps an older g).
   */
  g: { grid: GridSpec; values: Float32Array; step?: number } | null;
  /** g at the start of Session II (after Session I), for comparison. */
  gInit: { grid: GridSpec; values: Float32Array } | null;
  /** Smoothed histogram of the (a, b) arguments of all units (normalised to sum 1) and its 90% mask. */
  density: { grid: GridSpec; all: Float32Array; perLayer: Float32Array[]; mask: Uint8Array } | null;
  /** Shape analysis of g inside the 90% mask. Null for fixed activations. */
  analysis: ShapeAnalysis | null;
  /** For one-argument models: g(x) sampled on a line. */
  g1d: { xs: Float32Array; ys: Float32Array } | null;
  /**
   * Network output (probability of class 1) over the input plane. Undefined in a full snapshot
   * while playing when not recomputed (it is paced to its picture's redraws: worker/pacing.ts);
   * the page keeps the last one (mergeSnapshot).
   */
  decision?: { grid: GridSpec; values: Float32Array } | null;
  /** Image data only: how the classifier does on the evaluated test images. */
  images?: ImageEval | null;
  /**
   * The latest bootstrap verdict on g and the step it was computed at (every run with a
   * two-argument g; null without one or before the first). Full snapshots carry the latest one
   * (computed now and then: src/worker/verdict.ts); metrics-only ones leave it to mergeSnapshot.
   */
  bootstrap?: SnapshotBootstrap | null;
  /** Where Session III began (Freeze g) and the metrics just before it; null in Session II. */
  sessionThree?: SessionThreeStart | null;
  /**
   * 2D data only: every drawn unit's picture and arguments and the links' weights (the network
   * view). Left out (undefined) of a full snapshot when the page does not show it (the
   * `readouts` message): the page then keeps the last one (mergeSnapshot).
   */
  network?: NetworkView | null;
  /**
   * The WebGPU fused step only (null otherwise): the run's GPU group and how its steps were
   * dispatched (compare mode's seeds of one model share one dispatch: gpu/gpuGrouping.ts). Small: every tier carries it.
   */
  gpuGroup?: GpuGroupStats | null;
}

/** Session III's start: the step g was frozen at and the metrics with the learned g just before. */
export interface SessionThreeStart {
  step: number;
  before: MetricPoint;
}

/** A bootstrap verdict on g (core/analysis/bootstrap.ts) and the training step it was computed at. */
export type SnapshotBootstrap = BootstrapVerdict & { step: number };

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
  /**
   * Builds a run. dataSeed: generated 2D data drawn from it instead of params.seed (compare mode:
   * every run of a comparison sees the same data). lean: a compare run (RunOptions in runHost.ts).
   */
  | { type: 'init'; runId: string; params: Params; dataSeed?: number; lean?: boolean }
  | { type: 'setParams'; runId: string; params: Params }
  | { type: 'play'; runId: string }
  | { type: 'pause'; runId: string }
  | { type: 'step'; runId: string; steps: number }
  /**
   * Lockstep (compare mode): every named run of this worker trains `steps` more steps, in turns
   * of one chunk each, then publishes one snapshot (AdvanceReadout). playing: the page keeps
   * advancing them (status running), else they stand paused after it (with a full snapshot).
   */
  | { type: 'advance'; runIds: string[]; steps: number; readout: AdvanceReadout; playing: boolean }
  | { type: 'reset'; runId: string }
  /** Session III: freeze g, re-initialise the outer weights, keep training. */
  | { type: 'sessionThree'; runId: string }
  | { type: 'setBackend'; backend: Params['backend'] }
  /** Measures steps/s of a bare training loop and of the normal loop with its bookkeeping. */
  /**
   * For `npm run bench`: bare vs playing steps/s over `durationMs`; with `steps`, the bare
   * figure over those training steps of the run instead (playing not measured: 0): the
   * reference for compare mode's figure, whose window covers the same steps (worker/benchmark.ts).
   */
  | { type: 'benchmark'; runId: string; durationMs: number; steps?: { from: number; to: number } }
  /** The run as it is now, for the run file (answered by `runExport` with the same requestId). */
  | { type: 'exportRun'; runId: string; requestId: number }
  /** Rebuild from params with Session I skipped, then load g's weights (from a run file). */
  | { type: 'importRun'; runId: string; params: Params; gWeights: number[][] | null }
  /** The user's own 2D points (drawn or uploaded) with the params that go with them; rebuilds the run. */
  | { type: 'setPoints'; runId: string; x: Float32Array; y: Float32Array; params: Params }
  /** Page facts the worker cannot know: the absolute URL of the image data folder. */
  | { type: 'configure'; dataBaseUrl: string }
  | { type: 'dispose'; runId: string }
  /**
   * A fresh worker takes over a run from the page's last checkpoint (the old worker died):
   * params are the page's now; points are the user's own (custom data set), else null.
   * dataSeed and lean as in `init` (a compare run taken over by a fresh pool worker).
   */
  | {
      type: 'restoreRun';
      runId: string;
      params: Params;
      checkpoint: RunCheckpoint;
      points: { x: Float32Array; y: Float32Array } | null;
      dataSeed?: number;
      lean?: boolean;
    }
  /** Liveness: answered at once with `pong`, outside the queue of operations. */
  | { type: 'ping' }
  /** The user cancels the image download under way (acts at once, outside the queue). */
  | { type: 'cancelLoad'; runId: string }
  | RobustnessRequest
  /** Cancels the run's robustness tests, running or queued (acts at once, outside the queue). */
  | { type: 'cancelRobustness'; runId: string }
  /**
   * Whether the page shows the run's network view now (its panel on screen, or a unit picked
   * whose arguments g marks). Its read-out costs as much as the rest of a full snapshot, so it
   * is computed only while wanted; turned on, the next full snapshot carries it (a paused run
   * publishes one at once). Kept per run id across init and restoreRun; true until told.
   */
  | { type: 'readouts'; runId: string; network: boolean };

/**
 * Test accuracy under a perturbation at each size, on the run's test set (answered by
 * `robustnessProgress` messages and one `robustnessResult` with the same requestId). Training of
 * the run pauses while it runs and resumes after if it was playing. Sizes are sigma for noise,
 * eps for FGSM and PGD (on the [-1, 1] pixel scale for image data, which is clipped to it).
 */
export interface RobustnessRequest extends RobustnessRequestSpec {
  type: 'robustness';
  runId: string;
  requestId: number;
}

export interface RobustnessProgressMessage {
  type: 'robustnessProgress';
  runId: string;
  requestId: number;
  /** Chunks x sizes attacked so far, of total. */
  done: number;
  total: number;
}

/** Exactly one of: a result (a curve, or the model marked diverged), an error, or cancelled. */
export interface RobustnessResultMessage {
  type: 'robustnessResult';
  runId: string;
  requestId: number;
  /** The training step of the weights tested. */
  step: number;
  result: RobustnessResult | null;
  error: string | null;
  cancelled: boolean;
}

/**
 * What a run publishes after an advance: 'full' (g, density, analysis: a new read-out), 'metrics'
 * (losses and accuracies evaluated, read-outs kept), 'tick' (the step count only, no evaluation).
 */
export type AdvanceReadout = 'full' | 'metrics' | 'tick';

/**
 * Everything needed to carry a run over to a fresh worker: the weights, the optimizer state
 * and the counts, sent now and then while training and whenever the run stops (CheckpointMessage).
 */
export interface RunCheckpoint {
  params: Params;
  step: number;
  epoch: number;
  session: 2 | 3;
  /** Every weight in the network's order (Network.exportWeights). */
  weights: Float32Array[];
  optimizer: OptimizerState;
  /** Where the batch order and dropout masks stand: the restored run draws the batches this one would have. */
  streams: TrainStreams;
  /** g at the start of Session II, on the argument grid. */
  gInit: Float32Array | null;
  history: MetricPoint[];
  /** Where Session III began (absent in checkpoints from before it was kept). */
  sessionThree?: SessionThreeStart | null;
}

export interface CheckpointMessage {
  type: 'checkpoint';
  runId: string;
  checkpoint: RunCheckpoint;
}

/** The typed arrays of a checkpoint, to transfer rather than copy. */
export function checkpointTransfer(c: RunCheckpoint): Transferable[] {
  const arrays = [...c.weights, ...c.optimizer.slots, ...(c.gInit ? [c.gInit] : [])];
  return [...new Set(arrays.map((a) => a.buffer))] as Transferable[];
}

/**
 * A frame of the timeline of g, captured when training reached a frame step (step 0, then
 * evenly spaced steps: src/worker/frames.ts). The page's timeline stores only these.
 */
export interface FrameMessage {
  type: 'frame';
  runId: string;
  step: number;
  g: { grid: GridSpec; values: Float32Array };
  /** The pooled argument density and its 90% mask (no per-layer densities). */
  density: { grid: GridSpec; all: Float32Array; perLayer: Float32Array[]; mask: Uint8Array } | null;
  analysis: ShapeAnalysis | null;
}

export type FromWorker =
  | { type: 'snapshot'; snapshot: Snapshot }
  | FrameMessage
  | DatasetMessage
  | DatasetProgressMessage
  | ImageDataMessage
  | DatasetErrorMessage
  | CheckpointMessage
  | { type: 'pong' }
  | { type: 'error'; runId: string | null; message: string }
  /** While a run builds: how far Session I has got. */
  | { type: 'progress'; runId: string; stage: 'sessionOne'; done: number; total: number }
  | ({ type: 'benchmark'; runId: string } & BenchmarkResult)
  | { type: 'runExport'; runId: string; requestId: number; run: RunExport | null; error: string | null }
  | RobustnessProgressMessage
  | RobustnessResultMessage;

/** Everything the run file needs from the worker, read at one step (training paused meanwhile). */
export interface RunExport {
  params: Params;
  step: number;
  epoch: number;
  session: 2 | 3;
  backend: BackendName;
  history: MetricPoint[];
  analysis: ShapeAnalysis | null;
  /** g's weights in the network's order (copy by copy: W0, b0, W1, b1, ...); null without g. */
  gWeights: Float32Array[] | null;
}

export interface BenchmarkResult {
  backend: BackendName;
  /** Training steps per second with no snapshots, metrics or checks between chunks. */
  bareStepsPerSecond: number;
  /** The same, while playing normally (metrics, snapshots, divergence checks, checkpoints). */
  playingStepsPerSecond: number;
  /** Snapshots of every tier (full, metrics, ticks) published while playing. */
  snapshotsWhilePlaying: number;
  /** Of them, the full ones (g, density, decision surface: what the heatmap redraws from). */
  fullSnapshotsWhilePlaying: number;
}

/** The costly read-outs a metrics-only snapshot leaves out (kept from the last full snapshot). */
export const HEAVY_SNAPSHOT_KEYS = [
  'g',
  'gInit',
  'density',
  'analysis',
  'g1d',
  'decision',
  'network',
  'bootstrap',
] as const satisfies readonly (keyof Snapshot)[];

/** The snapshot to show: `next`, with the heavy read-outs of `prev` when `next` is partial. */
export function mergeSnapshot(prev: Snapshot | null | undefined, next: Snapshot): Snapshot {
  if (!prev) return next;
  if (!next.partial) {
    // A full snapshot without the network view (not shown meanwhile) or without a new decision
    // surface (paced to its redraws) keeps the last ones.
    const kept = { ...next };
    if (next.network === undefined) kept.network = prev.network;
    if (next.decision === undefined) kept.decision = prev.decision;
    return kept;
  }
  // The result is as complete as `prev`: partial only if prev was partial too.
  const merged: Snapshot = { ...next, partial: prev.partial };
  for (const key of HEAVY_SNAPSHOT_KEYS) (merged as unknown as Record<string, unknown>)[key] = prev[key];
  return merged;
}

/** Image data: confusion matrix, per-class accuracy and the sample images' predictions (small, transferable). */
export interface ImageEval {
  /** The data set evaluated (so the page never pairs predictions with another set's images). */
  dataset: Params['dataset'];
  classes: number;
  /** Test images evaluated (the first ones, at most EVAL_LIMIT). */
  evaluated: number;
  /** classes x classes counts, row = true class, column = predicted class. */
  confusion: Int32Array;
  /** Fraction correct per true class (NaN for a class with no evaluated image). */
  perClassAccuracy: Float32Array;
  /** Predicted class of each sample image (same order as ImageDataMessage.sample.indices). */
  samplePredicted: Int32Array;
}

/** While an image data set loads: download and check progress (fraction 0..1 of the whole load). */
export interface DatasetProgressMessage {
  type: 'datasetProgress';
  runId: string;
  dataset: Params['dataset'];
  /** Human name ("Fashion-MNIST"). */
  name: string;
  phase: 'manifest' | 'download' | 'verify' | 'decode' | 'done';
  fraction: number;
  loaded: number;
  total: number;
}

/** Once per built image run: what the data is, and a fixed set of test images to show. */
export interface ImageDataMessage {
  type: 'imageData';
  runId: string;
  dataset: Params['dataset'];
  name: string;
  width: number;
  height: number;
  classes: number;
  classNames: string[];
  trainCount: number;
  testCount: number;
  sample: {
    /** Indices into the test set (all below the evaluated count). */
    indices: Int32Array;
    labels: Int32Array;
    /** Grey levels 0-255, one image after another (width * height each). */
    pixels: Uint8ClampedArray;
  };
}

/** An image data set could not be loaded. kept: the previous run (and its params) continue. */
export interface DatasetErrorMessage {
  type: 'datasetError';
  runId: string;
  dataset: Params['dataset'];
  message: string;
  kept: boolean;
  /** The load was cancelled (by the user, or by choosing another data set), not failed. */
  cancelled?: boolean;
  /** The params the worker's run now has (the previous ones when kept). */
  params: Params;
}
