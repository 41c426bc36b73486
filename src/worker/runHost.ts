/**
 * Hosts one training run inside the worker: builds it from Params, trains in adaptive chunks
 * while playing, watches for divergence, and publishes snapshots at a bounded rate. Several
 * hosts can live in one worker (compare mode); they share the active tfjs backend.
 */
import { ARGUMENT_GRID, INPUT_GRID, Run, specFromParams, type Inspection } from '../core/run';
import { isImageDataset, needsRebuild, type Params } from '../core/params';
import type { Points2D } from '../core/data/points';
import { IMAGE_DATASET_INFO, type ImageDataset } from '../core/data/imageAssets';
import { IMAGE_ASSET_IDS, hostDataFor, imageDataMessage, imageEvalOf, type HostData } from './hostData';
import type { ImageLoader } from './imageLoader';
import type { Dataset2D } from '../core/data/datasets2d';
import { BoundedHistory } from './history';
import type { ActiveBackend } from './backends';
import type {
  BenchmarkResult,
  DatasetErrorMessage,
  DatasetMessage,
  DatasetProgressMessage,
  ImageDataMessage,
  ImageEval,
  MetricPoint,
  RunExport,
  RunStatus,
  Snapshot,
} from './protocol';
import { evaluateInnerOnGrid } from '../core/inspect';

export interface HostOutput {
  snapshot(s: Snapshot, transfer: Transferable[]): void;
  dataset(d: DatasetMessage, transfer: Transferable[]): void;
  progress(runId: string, stage: 'sessionOne', done: number, total: number): void;
  /** Image data: load progress, what was loaded (once per build), and a failed load. */
  datasetProgress?(m: DatasetProgressMessage): void;
  imageData?(m: ImageDataMessage, transfer: Transferable[]): void;
  datasetError?(m: DatasetErrorMessage): void;
}

/** What the host needs from its surroundings besides the output (tests pass their own). */
export interface HostEnv {
  /** Loads an image data set by asset id; without it image data sets fail with a message. */
  loadImages?: ImageLoader;
}

/** The user's own data set has too few points: not an error, the run waits for data. */
class NoDataError extends Error {}

/** Target wall time of one chunk of training steps between two looks at the loss. */
const CHUNK_MS = 25;
const MAX_CHUNK_STEPS = 500;
/**
 * Snapshots while playing, in three tiers: full ones (g, density, analysis, decision surface:
 * the costly read-outs) at most every 100 ms, metrics ones (one evaluation of the losses) at
 * most every 150 ms, each within its share of the time, so on a slow backend they come less
 * often and bookkeeping stays under about 6% of a bare training loop; and in between, ticks
 * (step, epoch, speed: no tensor work) every 250 ms, so the counter never looks frozen.
 */
const MIN_SNAPSHOT_INTERVAL_MS = 100;
const MIN_METRICS_INTERVAL_MS = 150;
const TICK_INTERVAL_MS = 250;
const INSPECT_SHARE = 0.04;
const METRICS_SHARE = 0.02;
const CHECKPOINT_INTERVAL_MS = 1000;
/** A weight norm this large means the run is exploding even if the loss is still finite. */
const EXPLODING_WEIGHT_NORM_SQ = 1e12;

/** Resolves on a fresh macrotask, so queued messages get handled between training chunks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class RunHost {
  private run: Run | null = null;
  private dataset: Dataset2D | null = null;
  private status: RunStatus = 'building';
  private message: string | null = null;
  private readonly history = new BoundedHistory<MetricPoint>(1000);
  private loop: Promise<void> | null = null;
  private playing = false;
  private chunkSteps = 1;
  private stepsPerSecond = 0;
  private lastSnapshotAt = 0;
  private lastMetricsAt = 0;
  private lastPublishedAt = 0;
  private lastInspectMs = 0;
  private lastMetricsMs = 0;
  private lastCheckpointAt = 0;
  /** Steps taken before the current Run object (kept across backend switches). */
  private stepOffset = 0;
  private epochOffset = 0;
  private gInit: Float32Array | null = null;
  private snapshotsPublished = 0;
  /** g's weights from a run file, loaded by the next build (which then skips Session I). */
  private pendingInner: Float32Array[] | null = null;
  /** The data of the current run, and what it was built from. */
  private source: HostData | null = null;
  /** The user's own points as the page sent them (full precision). */
  private customPoints: Points2D | null = null;
  /** The loaded image data set the params name (kept across rebuilds). */
  private images: { name: string; data: ImageDataset } | null = null;
  /** Predicted classes of the evaluated test images at the last evaluation (image data). */
  private testPredictions: Int32Array | null = null;
  /** The params of the run that stands (restored when an image data set fails to load). */
  private builtParams: Params | null = null;

  constructor(
    readonly runId: string,
    private params: Params,
    private backend: ActiveBackend,
    private readonly out: HostOutput,
    private readonly env: HostEnv = {},
  ) {}

  get currentParams(): Params {
    return this.params;
  }

  /** Builds data and model from the params (Session I included) and publishes the first snapshot. */
  async build(weights?: Float32Array[]): Promise<void> {
    // Image data loads before anything is torn down: a failed load leaves the previous run as it was.
    if (!weights && isImageDataset(this.params.dataset) && !(await this.ensureImages())) return;
    await this.stop();
    const inner = this.pendingInner;
    this.pendingInner = null;
    this.disposeRun();
    this.status = 'building';
    this.message = null;
    try {
      const source = weights && this.source ? this.source : hostDataFor(this.params, this.customPoints, this.images?.data ?? null);
      const spec = specFromParams(this.params, source.training?.inputSize ?? 2, source.outputSize, source.head);
      if (!weights) {
        this.source = source;
        this.dataset = source.dataset2d;
        this.testPredictions = null;
        this.history.clear();
        this.stepOffset = 0;
        this.epochOffset = 0;
        this.publishDataset();
        this.publishImageData();
      }
      if (!source.training) throw new NoDataError(source.reason ?? 'no data');
      const data = source.training;
      // With weights to restore (a backend switch) Session I is skipped: its result is in them.
      this.run = await Run.create(weights || inner ? { ...spec, pretrainSteps: 0 } : spec, data, (stage, done, total) =>
        this.out.progress(this.runId, stage, done, total),
      );
      if (weights) {
        this.run.net.importWeights(weights);
        this.run.saveCheckpoint();
      } else {
        this.gInit = this.run.gInit;
      }
      if (inner && !weights) await this.loadInner(inner);
      this.status = 'ready';
      this.builtParams = this.params;
      if (this.history.toArray().length === 0) await this.recordMetrics();
    } catch (e) {
      this.disposeRun();
      this.status = e instanceof NoDataError ? 'nodata' : 'error';
      this.message = e instanceof Error ? e.message : String(e);
    }
    await this.publishSnapshot();
  }

  /** Applies new params: live ones in place, anything structural by rebuilding. */
  async setParams(params: Params, rebuild: boolean): Promise<void> {
    this.params = params;
    if (rebuild || !this.run) {
      await this.build();
      return;
    }
    const spec = specFromParams(params);
    try {
      this.run.trainer.updateSettings(spec.train);
      this.run.net.setDropout(params.dropout);
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
    await this.publishSnapshot();
  }

  play(): void {
    if (!this.run || this.status === 'building' || this.status === 'error') return;
    if (this.playing) return;
    this.playing = true;
    this.status = 'running';
    this.message = null;
    this.loop = this.trainLoop();
  }

  async pause(): Promise<void> {
    await this.stop();
    if (this.run && this.status === 'running') this.status = 'paused';
    await this.publishSnapshot();
  }

  /** Single steps for looking closely: each step then a full snapshot. */
  async step(steps: number): Promise<void> {
    await this.stop();
    if (!this.run || this.status === 'building' || this.status === 'error') return;
    this.message = null;
    const ok = await this.trainChunk(Math.max(1, Math.min(steps, 10_000)));
    if (ok) {
      this.status = 'paused';
      await this.recordMetrics();
    }
    await this.publishSnapshot();
  }

  /** A run file's configuration and g: rebuild from its params (Session I skipped), then load g. */
  async importRun(params: Params, gWeights: number[][] | null): Promise<void> {
    this.params = params;
    this.pendingInner = gWeights ? gWeights.map((w) => Float32Array.from(w)) : null;
    await this.build();
  }

  /** Everything the run file needs, read at one step: training pauses while it is read. */
  async exportRun(): Promise<RunExport> {
    const wasPlaying = this.playing;
    await this.stop();
    try {
      const run = this.run;
      if (!run) throw new Error('there is no built run to export');
      const [gWeights, view] = await Promise.all([
        Promise.all(run.net.innerVariables().map(async (v) => Float32Array.from((await v.data()) as Float32Array))),
        run.inspect({ decision: false }),
      ]);
      return {
        params: this.params,
        step: this.totalSteps,
        epoch: this.totalEpochs,
        session: run.session,
        backend: this.backend.name,
        history: this.history.toArray(),
        analysis: view.analysis,
        gWeights: run.net.inner.length > 0 ? gWeights : null,
      };
    } finally {
      if (wasPlaying) this.play();
    }
  }

  /** Replaces g's weights (all copies) and makes them the start: checkpoint and "g at start". */
  private async loadInner(inner: Float32Array[]): Promise<void> {
    const run = this.run!;
    const outerCount = run.net.outerVariables().length;
    const innerCount = run.net.innerVariables().length;
    if (inner.length !== innerCount) throw new Error(`the run file's g has ${inner.length} weight arrays; this model's g has ${innerCount}`);
    const all = await run.net.exportWeights();
    all.splice(outerCount, innerCount, ...inner);
    run.net.importWeights(all);
    run.saveCheckpoint();
    this.gInit = run.net.perUnit === 2 && run.net.inner.length > 0 ? await evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID) : null;
  }

  async reset(): Promise<void> {
    await this.build();
  }

  /** The user's own points (drawn or uploaded) and the params that go with them: rebuild. */
  async setPoints(x: Float32Array, y: Float32Array, params: Params): Promise<void> {
    this.customPoints = x.length === 2 * y.length ? { x, y } : null;
    const rebuild = params.dataset === 'custom' || needsRebuild(this.params, params);
    this.params = params;
    if (rebuild) await this.build();
  }

  /**
   * Makes sure the image data set the params name is loaded, reporting progress. On failure:
   * the previous run (if any) and its params stay, the page is told why, and false is returned.
   */
  private async ensureImages(): Promise<boolean> {
    const name = this.params.dataset as keyof typeof IMAGE_ASSET_IDS;
    if (this.images?.name === name) return true;
    await this.stop();
    const id = IMAGE_ASSET_IDS[name];
    try {
      if (!this.env.loadImages) throw new Error(`could not load ${name} (image data cannot be loaded here)`);
      const data = await this.env.loadImages(id, (p) =>
        this.out.datasetProgress?.({ type: 'datasetProgress', runId: this.runId, dataset: name, name: IMAGE_DATASET_INFO[id].name, phase: p.phase, fraction: p.fraction, loaded: p.loaded, total: p.total }),
      );
      this.images = { name, data };
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const kept = this.run !== null && this.builtParams !== null;
      if (kept) {
        this.params = this.builtParams!;
        if (this.status === 'running') this.status = 'paused';
      } else {
        this.disposeRun();
        this.status = 'error';
        this.message = message;
      }
      this.out.datasetError?.({ type: 'datasetError', runId: this.runId, dataset: name, message, kept, params: this.params });
      await this.publishSnapshot();
      return false;
    }
  }

  /** Once per built image run: names, counts and the sample test images (pixels sent once). */
  private publishImageData(): void {
    const image = this.source?.image;
    if (!image || !this.out.imageData) return;
    const msg = imageDataMessage(this.runId, image);
    this.out.imageData(msg, [msg.sample.indices.buffer, msg.sample.labels.buffer, msg.sample.pixels.buffer]);
  }

  /** Confusion matrix, per-class accuracy and sample predictions from the last evaluation. */
  private imageEval(): ImageEval | null {
    const image = this.source?.image;
    return image && this.testPredictions && this.run ? imageEvalOf(image, this.testPredictions) : null;
  }

  /** Session III: freeze g, re-initialise the outer network, keep training. */
  async startSessionThree(): Promise<void> {
    const wasPlaying = this.playing;
    await this.stop();
    if (!this.run) return;
    try {
      this.run.startSessionThree();
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
    await this.recordMetrics();
    await this.publishSnapshot();
    if (wasPlaying) this.play();
  }

  /** Before a backend switch: stop and hand over the weights (read asynchronously). */
  async exportWeights(): Promise<{ weights: Float32Array[]; playing: boolean } | null> {
    const playing = this.playing;
    await this.stop();
    if (!this.run) return null;
    const weights = await this.run.net.exportWeights();
    this.stepOffset += this.run.trainer.step;
    this.epochOffset += this.run.trainer.epoch;
    this.disposeRun();
    return { weights, playing };
  }

  /** After a backend switch: rebuild on the new backend with the same weights. */
  async importAfterSwitch(backend: ActiveBackend, saved: { weights: Float32Array[]; playing: boolean } | null): Promise<void> {
    this.backend = backend;
    await this.build(saved?.weights);
    if (saved?.playing) this.play();
  }

  /**
   * Steps per second of a bare loop (train, read the loss, nothing else) and of the normal
   * playing loop over the same duration: the difference is what the bookkeeping costs.
   */
  async benchmark(durationMs: number): Promise<Omit<BenchmarkResult, 'backend'>> {
    await this.stop();
    if (!this.run) throw new Error('nothing to benchmark: the run is not built');
    // Warm up (shader compilation, JIT, chunk size) before timing anything.
    await this.bareLoop(Math.min(1000, durationMs / 4));
    const bare = await this.bareLoop(durationMs);
    const startStep = this.totalSteps;
    const startSnapshots = this.snapshotsPublished;
    const t1 = performance.now();
    this.play();
    await new Promise((r) => setTimeout(r, durationMs));
    await this.stop();
    const playing = ((this.totalSteps - startStep) * 1000) / (performance.now() - t1);
    const snapshots = this.snapshotsPublished - startSnapshots;
    if (this.status === 'running') this.status = 'paused';
    await this.publishSnapshot();
    return { bareStepsPerSecond: bare, playingStepsPerSecond: playing, snapshotsWhilePlaying: snapshots };
  }

  /** Trains for about `ms` with nothing between chunks but reading the loss; steps per second. */
  private async bareLoop(ms: number): Promise<number> {
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms && this.run) {
      const c0 = performance.now();
      const loss = this.run.trainer.trainSteps(this.chunkSteps);
      await loss.data();
      loss.dispose();
      steps += this.chunkSteps;
      this.adaptChunk(performance.now() - c0);
    }
    return (steps * 1000) / (performance.now() - t0);
  }

  private async stop(): Promise<void> {
    this.playing = false;
    if (this.loop) await this.loop;
    this.loop = null;
  }

  /** Sizes the next chunk so one chunk takes about CHUNK_MS: responsive and low overhead. */
  private adaptChunk(elapsedMs: number): void {
    const perStep = elapsedMs / this.chunkSteps;
    this.chunkSteps = Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.round(CHUNK_MS / Math.max(perStep, 1e-3))));
  }

  private async trainLoop(): Promise<void> {
    let windowStart = performance.now();
    let windowSteps = 0;
    while (this.playing && this.run) {
      const t0 = performance.now();
      const ok = await this.trainChunk(this.chunkSteps);
      if (!ok) break;
      windowSteps += this.chunkSteps;
      this.adaptChunk(performance.now() - t0);
      const now = performance.now();
      if (now - windowStart >= 1000) {
        this.stepsPerSecond = (windowSteps * 1000) / (now - windowStart);
        windowStart = now;
        windowSteps = 0;
      }
      // A full snapshot evaluates the metrics too: both costs count against its share (the
      // evaluation dominates on image data, where it covers thousands of images).
      const fullDue = now - this.lastSnapshotAt >= Math.max(MIN_SNAPSHOT_INTERVAL_MS, (this.lastInspectMs + this.lastMetricsMs) / INSPECT_SHARE);
      const metricsDue = now - this.lastMetricsAt >= Math.max(MIN_METRICS_INTERVAL_MS, this.lastMetricsMs / METRICS_SHARE);
      if (fullDue || metricsDue) {
        await this.recordMetrics();
        await this.publishSnapshot(fullDue ? 'full' : 'metrics');
      } else if (now - this.lastPublishedAt >= TICK_INTERVAL_MS) {
        await this.publishSnapshot('metrics');
      }
      await yieldToEventLoop();
    }
    this.stepsPerSecond = 0;
  }

  /**
   * Trains `steps` steps and checks the loss and the weights. On NaN, Inf or exploding
   * weights: restore the last good checkpoint, stop, and say why. Returns false then.
   */
  private async trainChunk(steps: number): Promise<boolean> {
    const run = this.run!;
    const lossTensor = run.trainer.trainSteps(steps);
    const normTensor = run.trainer.weightNormSquared();
    const [loss, norm] = await Promise.all([lossTensor.data(), normTensor.data()]);
    lossTensor.dispose();
    normTensor.dispose();
    if (!this.run) return false;
    const bad = !Number.isFinite(loss[0]) ? `the loss became ${loss[0]}` : !(norm[0] < EXPLODING_WEIGHT_NORM_SQ) ? 'the weights exploded' : null;
    if (bad) {
      run.restoreCheckpoint();
      this.playing = false;
      this.status = 'diverged';
      this.message =
        `Training stopped by itself: ${bad} around step ${this.stepOffset + run.trainer.step}. ` +
        `The last good weights are restored. Try a lower learning rate (now ${this.params.lr}).`;
      await this.recordMetrics();
      await this.publishSnapshot();
      return false;
    }
    const now = performance.now();
    if (now - this.lastCheckpointAt >= CHECKPOINT_INTERVAL_MS) {
      run.saveCheckpoint();
      this.lastCheckpointAt = now;
    }
    return true;
  }

  private get totalSteps(): number {
    return this.stepOffset + (this.run?.trainer.step ?? 0);
  }

  private get totalEpochs(): number {
    return this.epochOffset + (this.run?.trainer.epoch ?? 0);
  }

  /** Evaluates and records the metrics; its cost paces the metrics snapshots. */
  private async recordMetrics(): Promise<void> {
    if (!this.run) return;
    const t0 = performance.now();
    const { testPredictions, ...m } = await this.run.evaluate({ testPredictions: this.source?.image != null });
    this.testPredictions = testPredictions ?? null;
    this.history.push({ step: this.totalSteps, epoch: this.totalEpochs, ...m });
    this.lastMetricsAt = performance.now();
    this.lastMetricsMs = this.lastMetricsAt - t0;
  }

  private publishDataset(): void {
    if (!this.dataset) return;
    const d = this.dataset;
    const msg: DatasetMessage = {
      type: 'dataset',
      runId: this.runId,
      trainX: d.trainX.slice(),
      trainY: d.trainY.slice(),
      testX: d.testX.slice(),
      testY: d.testY.slice(),
    };
    this.out.dataset(msg, [msg.trainX.buffer, msg.trainY.buffer, msg.testX.buffer, msg.testY.buffer]);
  }

  /** 'metrics' skips the costly read-outs; the page keeps the previous ones (Snapshot.partial). */
  private async publishSnapshot(kind: 'full' | 'metrics' = 'full'): Promise<void> {
    let view: Inspection | null = null;
    const t0 = performance.now();
    if (this.run && kind === 'full') {
      try {
        view = await this.run.inspect({ decision: true });
      } catch (e) {
        this.message = `Could not read the network: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    if (kind === 'full') {
      // Every full read-out (the first one after a build too) paces the next.
      this.lastSnapshotAt = performance.now();
      this.lastInspectMs = this.lastSnapshotAt - t0;
    }
    const run = this.run;
    const snapshot: Snapshot = {
      runId: this.runId,
      status: this.status,
      message: this.message,
      step: this.totalSteps,
      epoch: this.totalEpochs,
      session: run?.session ?? 2,
      stepsPerSecond: this.playing ? this.stepsPerSecond : 0,
      backend: this.backend.name,
      backendReason: this.backend.reason,
      model: run ? run.net.config.kind : this.params.model,
      hidden: run ? run.net.hiddenUnits : [],
      params: run ? run.paramCount : { outer: 0, inner: 0, total: 0 },
      history: this.history.toArray(),
      g: view?.g ? { grid: ARGUMENT_GRID, values: view.g } : null,
      partial: kind === 'metrics',
      gInit: this.gInit && kind === 'full' ? { grid: ARGUMENT_GRID, values: this.gInit.slice() } : null,
      density: view?.density ? { grid: ARGUMENT_GRID, ...view.density } : null,
      analysis: view?.analysis ?? null,
      g1d: view?.g1d ?? null,
      decision: view?.decision ? { grid: INPUT_GRID, values: view.decision } : null,
      images: this.imageEval(),
    };
    const transfer: Transferable[] = [];
    for (const arr of [snapshot.g?.values, snapshot.gInit?.values, snapshot.decision?.values, snapshot.density?.all, snapshot.density?.mask, ...(snapshot.density?.perLayer ?? []), snapshot.g1d?.xs, snapshot.g1d?.ys, snapshot.images?.confusion, snapshot.images?.perClassAccuracy, snapshot.images?.samplePredicted]) {
      if (arr) transfer.push(arr.buffer);
    }
    this.snapshotsPublished += 1;
    this.lastPublishedAt = performance.now();
    this.out.snapshot(snapshot, transfer);
  }

  private disposeRun(): void {
    this.run?.dispose();
    this.run = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.disposeRun();
  }
}
