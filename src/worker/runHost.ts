/**
 * Hosts one training run inside the worker: its lifecycle (build, params, the user's points,
 * run files, Session III, backend switches) and what it publishes. How it trains is in
 * trainingLoop.ts; the decisions are pure modules (pacing.ts, frames.ts, snapshot.ts,
 * runStatus.ts, divergence.ts); image loading in imageSet.ts; the benchmark in benchmark.ts.
 * Several hosts can live in one worker (compare mode); they share the active tfjs backend.
 * Over 300 lines because every operation here reads and writes the same run state (the run,
 * its data, status, message, history); split further, they would pass it all around.
 */
import { ARGUMENT_GRID, INPUT_GRID, specFromParams, type Inspection } from '../core/run';
import { isImageDataset, needsRebuild, type ImageDataName, type Params } from '../core/params';
import type { Points2D } from '../core/data/points';
import { errorMessage } from '../core/errorMessage';
import type { TrainingData } from '../core/train/trainer';
import { hostDataFor, imageDataMessage, imageEvalOf, type HostData } from './hostData';
import type { ImageLoader } from './imageLoader';
import { imageSetLabel, loadImageSet, paramsToKeep, type LoadedImages } from './imageSet';
import { BoundedHistory } from './history';
import { divergenceMessage } from './divergence';
import { loadInnerWeights, readRunExport } from './runWeights';
import type { ActiveBackend } from './backends';
import type { TrainEngine } from './engine';
import { buildEngine } from './engineChoice';
import { gpuShareTag } from './gpu/gpuGrouping';
import { canTrain, RunStatusMachine } from './runStatus';
import { assembleFrame, assembleSnapshot } from './snapshot';
import { readNetworkView } from './networkReadout';
import type { NetworkView } from '../core/networkView';
import { TrainingLoop, type LoopHost } from './trainingLoop';
import { DECISION_INTERVAL_MS, decisionDue, LEAN_SNAPSHOT_INTERVAL_MS, nextBeat } from './pacing';
import { computeVerdict, startVerdictClock, verdictDue } from './verdict';
import {
  checkpointTransfer,
  type AdvanceReadout,
  type CheckpointMessage,
  type DatasetErrorMessage,
  type DatasetMessage,
  type DatasetProgressMessage,
  type FrameMessage,
  type ImageDataMessage,
  type ImageEval,
  type MetricPoint,
  type RunCheckpoint,
  type RunExport,
  type SessionThreeStart,
  type Snapshot,
  type SnapshotBootstrap,
} from './protocol';

export interface HostOutput {
  snapshot(s: Snapshot, transfer: Transferable[]): void;
  /** Timeline frames (captured at frame steps); without it none are read out. */
  frame?(f: FrameMessage, transfer: Transferable[]): void;
  dataset(d: DatasetMessage, transfer: Transferable[]): void;
  progress(runId: string, stage: 'sessionOne', done: number, total: number): void;
  /** Image data: load progress, what was loaded (once per build), and a failed load. */
  datasetProgress?(m: DatasetProgressMessage): void;
  imageData?(m: ImageDataMessage, transfer: Transferable[]): void;
  datasetError?(m: DatasetErrorMessage): void;
  /** The run's state for a fresh worker to take over (see RunCheckpoint); without it none are read. */
  checkpoint?(m: CheckpointMessage, transfer: Transferable[]): void;
}

/** What the host needs from its surroundings besides the output (tests pass their own). */
export interface HostEnv {
  /** Loads an image data set by asset id; without it image data sets fail with a message. */
  loadImages?: ImageLoader;
  /**
   * Runs a task on the worker's queue of operations. With it an image download runs beside the
   * queue (Step, Play and other messages act on the standing run meanwhile) and what follows the
   * download (the build, or the rollback) is queued when it ends; without it the build awaits it.
   */
  enqueue?: (task: () => Promise<void>) => void;
}

/** What a task run with training stopped sees of the run (RunHost.whilePaused). */
export interface PausedRun {
  engine: TrainEngine;
  data: TrainingData;
  /** Image data (pixels on [-1, 1]) rather than 2D points. */
  image: boolean;
  /** Training stopped itself on a non-finite loss (the last good weights are restored). */
  diverged: boolean;
  step: number;
  seed: number;
}

/** How a run is hosted (compare mode's runs differ from the single run). */
export interface RunOptions {
  /** Generated 2D data (and a custom set's split) drawn from this seed instead of params.seed. */
  dataSeed?: number;
  /**
   * A compare run: no decision surface, fewer full snapshots, and only the timeline frame at
   * step 0. Its checkpoints go to the pool (state/comparePool.ts), which restores it in a fresh
   * worker if its worker dies.
   */
  lean?: boolean;
  /** Whether the page shows the network view (the `readouts` message); true when not said. */
  network?: boolean;
}

/** The user's own data set has too few points: not an error, the run waits for data. */
class NoDataError extends Error {}

/** An image download: the data set it is for and how to cancel it. */
interface Download {
  name: ImageDataName;
  abort: AbortController;
}

export class RunHost implements LoopHost {
  private run: TrainEngine | null = null;
  /** The backend the badge shows: the active one, or the tfjs one a run fell back to. */
  private shownBackend: ActiveBackend | null = null;
  private readonly state = new RunStatusMachine();
  private message: string | null = null;
  private readonly history = new BoundedHistory<MetricPoint>(1000);
  private readonly training = new TrainingLoop(this);
  /** Steps taken before the current Run object (kept across backend switches). */
  private stepOffset = 0;
  private epochOffset = 0;
  private gInit: Float32Array | null = null;
  snapshotsPublished = 0;
  /** Of snapshotsPublished, the full ones (the benchmark counts both). */
  fullSnapshotsPublished = 0;
  /** g's weights from a run file, loaded by the next build (which then skips Session I). */
  private pendingInner: Float32Array[] | null = null;
  /** The data of the current run, and what it was built from. */
  private source: HostData | null = null;
  /** The user's own points as the page sent them (full precision). */
  private customPoints: Points2D | null = null;
  /** The loaded image data set the params name (kept across rebuilds). */
  private images: LoadedImages | null = null;
  /** Predicted classes of the evaluated test images at the last evaluation (image data). */
  private testPredictions: Int32Array | null = null;
  /** The params of the run that stands (restored when an image data set fails to load). */
  private builtParams: Params | null = null;
  /** On WebGPU, the last checkpoint read back off the device, with its step (what a lost device leaves). */
  private offDevice: { weights: Float32Array[]; steps: number; epochs: number; session: 2 | 3 } | null = null;
  /** Where Session III began, kept across backend switches and worker restarts (null in Session II). */
  private sessionThree: SessionThreeStart | null = null;
  private lastMetrics: MetricPoint | null = null;
  /** The image download under way and the data set it is for (cancelLoad aborts it). */
  private loading: Download | null = null;
  /** The latest download whose outcome has not been applied yet (an older one's outcome is stale). */
  private latestDownload: Download | null = null;
  /** Play was pressed during a download: the run built from it plays (also when none stood meanwhile). */
  private playWhenDownloaded = false;
  /** A checkpoint from the page, loaded by the next build (a fresh worker taking over a run). */
  private pendingRestore: RunCheckpoint | null = null;
  /** The latest bootstrap verdict of this run (null before the first, or without g) and its pacing. */
  private verdict: SnapshotBootstrap | null = null;
  private verdictClock = startVerdictClock(0);
  /** When the next decision surface is due while playing (host clock; pacing.ts decisionDue). */
  private decisionDueAt = -Infinity;
  /** The page shows the network view: only then do full snapshots read it (see wantNetworkView). */
  private networkWanted: boolean;

  constructor(
    readonly runId: string,
    private params: Params,
    private backend: ActiveBackend,
    private readonly out: HostOutput,
    private readonly env: HostEnv = {},
    private readonly options: RunOptions = {},
  ) {
    this.networkWanted = options.network ?? true;
    if (options.lean) {
      this.training.firstFrameOnly = true;
      this.training.fullIntervalTargetMs = LEAN_SNAPSHOT_INTERVAL_MS;
      this.training.stepBoundedFull = false;
    }
  }

  /** The params the data is built from: the run's own, with the data seed when one is given. */
  private get dataParams(): Params {
    return this.options.dataSeed === undefined ? this.params : { ...this.params, seed: this.options.dataSeed };
  }

  get currentParams(): Params {
    return this.params;
  }

  get built(): boolean {
    return this.run !== null;
  }

  /** Builds data and model from the params (Session I included) and publishes the first snapshot. */
  async build(weights?: Float32Array[], session: 2 | 3 = 2): Promise<void> {
    // Image data loads before anything is torn down: a failed load leaves the previous run as it was.
    if (!weights && isImageDataset(this.params.dataset) && this.images?.name !== this.params.dataset) {
      const outcome = this.download(this.params.dataset);
      const enqueue = this.env.enqueue;
      // Beside the queue: the build (or the rollback) is queued when the download ends.
      if (enqueue) void outcome.then((then) => then && enqueue(then));
      else await (await outcome)?.();
      return;
    }
    // A download still under way is for a data set the params no longer name (a backend switch keeps it going).
    if (!weights) this.cancelLoad();
    // What this build was asked to load is taken now (a failed image load drops it: see downloadFailed).
    const inner = this.pendingInner;
    this.pendingInner = null;
    const restoring = weights ? null : this.pendingRestore;
    this.pendingRestore = null;
    await this.stop();
    this.disposeRun();
    this.state.send('build');
    this.message = null;
    try {
      const source = weights && this.source ? this.source : hostDataFor(this.dataParams, this.customPoints, this.images?.data ?? null);
      const spec = specFromParams(weights ? this.runParams : this.params, source.training?.inputSize ?? 2, source.outputSize, source.head);
      if (!weights) {
        this.source = source;
        this.testPredictions = null;
        this.history.clear();
        this.sessionThree = null;
        this.stepOffset = 0;
        this.epochOffset = 0;
        this.training.restartFrames();
        this.verdict = null;
        this.verdictClock = startVerdictClock(this.training.trainedMs);
        this.publishDataset();
        this.publishImageData();
      }
      if (!source.training) throw new NoDataError(source.reason ?? 'no data');
      const data = source.training;
      // With weights to restore (a backend switch) Session I is skipped: its result is in them.
      const built = await buildEngine(
        this.backend,
        weights || inner || restoring ? { ...spec, pretrainSteps: 0 } : spec,
        data,
        (stage, done, total) => this.out.progress(this.runId, stage, done, total),
        // A compare run shares the GPU's dispatches with the other seeds of its model in this worker.
        this.options.lean ? gpuShareTag(weights ? this.runParams : this.params, this.options.dataSeed) : null,
      );
      this.run = built.engine;
      this.shownBackend = built.shown;
      if (weights) {
        // Session III carries over: g stays frozen (the weights below replace the fresh outer ones).
        if (session === 3) this.run.startSessionThree();
        this.run.importWeights(weights);
        this.run.saveCheckpoint();
      } else {
        this.gInit = this.run.gInit;
      }
      if (inner && !weights) this.gInit = await loadInnerWeights(this.run, inner);
      if (restoring) this.loadCheckpoint(this.run, restoring);
      this.state.send('built');
      this.builtParams = this.params;
      this.offDevice = null;
      await this.checkpointSaved();
      if (this.history.toArray().length === 0) await this.recordMetrics();
    } catch (e) {
      this.disposeRun();
      this.state.send(e instanceof NoDataError ? 'noData' : 'fail');
      this.message = errorMessage(e);
    }
    await this.publishSnapshot();
    await this.publishCheckpoint();
  }

  /** A fresh worker takes over a run: rebuild from the params, then load the checkpoint. */
  async restore(checkpoint: RunCheckpoint, points: { x: Float32Array; y: Float32Array } | null): Promise<void> {
    if (points && points.x.length === 2 * points.y.length) this.customPoints = points;
    this.pendingRestore = checkpoint;
    await this.build();
  }

  /** The checkpoint's weights, optimizer state, counts, g at start and history, into a fresh run. */
  private loadCheckpoint(run: TrainEngine, c: RunCheckpoint): void {
    if (c.session === 3) run.startSessionThree();
    run.importWeights(c.weights);
    try {
      run.importOptimizerState(c.optimizer);
    } catch {
      // The optimizer changed since (a live setting): it starts afresh, as a switch of optimizer does.
    }
    try {
      run.importStreams(c.streams);
    } catch {
      // Saved for other data (cannot happen for a checkpoint that fits the params): batches start a fresh order.
    }
    run.saveCheckpoint();
    this.gInit = c.gInit ?? run.gInit;
    this.stepOffset = c.step;
    this.epochOffset = c.epoch;
    this.history.clear();
    for (const point of c.history) this.history.push(point);
    this.sessionThree = c.session === 3 ? (c.sessionThree ?? null) : null;
  }

  /** Sends the page the run's state for a fresh worker to take over (when the run stops, and now and then while training). */
  async publishCheckpoint(): Promise<void> {
    const run = this.run;
    if (!run || !this.out.checkpoint) return;
    const step = this.totalSteps;
    const epoch = this.totalEpochs;
    // Taken with the step count, before anything awaits: the streams as of that step.
    const streams = run.exportStreams();
    try {
      const [weights, optimizer] = await Promise.all([run.exportWeights(), run.exportOptimizerState()]);
      if (run !== this.run) return;
      // Copies: a backend may hand out its own storage, and these buffers are transferred.
      const checkpoint: RunCheckpoint = {
        params: this.runParams,
        step,
        epoch,
        session: run.session,
        weights: weights.map((w) => w.slice()),
        optimizer,
        streams,
        gInit: this.gInit ? this.gInit.slice() : null,
        history: this.history.toArray(),
        sessionThree: this.sessionThree,
      };
      this.out.checkpoint({ type: 'checkpoint', runId: this.runId, checkpoint }, checkpointTransfer(checkpoint));
    } catch (e) {
      this.message = `Could not save a checkpoint: ${errorMessage(e)}`;
    }
  }

  /**
   * The params of the run that stands: the ones it was built from with the live settings since,
   * or, while a download for other params is under way, the ones it was built from.
   */
  private get runParams(): Params {
    return this.builtParams && needsRebuild(this.builtParams, this.params) ? this.builtParams : this.params;
  }

  /** Applies new params: live ones in place, anything structural by rebuilding. */
  async setParams(params: Params, rebuild: boolean): Promise<void> {
    this.params = params;
    // Back to the run that stands while a download was under way: it stays (the download stops).
    if (rebuild && this.run && this.builtParams && !needsRebuild(this.builtParams, params)) {
      this.cancelLoad();
      rebuild = false;
    }
    if (rebuild || !this.run) {
      await this.build();
      return;
    }
    const spec = specFromParams(params);
    try {
      this.run.updateSettings(spec.train);
      this.run.setDropout(params.dropout);
    } catch (e) {
      this.message = errorMessage(e);
    }
    await this.publishSnapshot();
  }

  play(): void {
    if (this.latestDownload) this.playWhenDownloaded = true;
    if (!this.run || !canTrain(this.state.status) || this.training.isPlaying) return;
    this.state.send('play');
    this.message = null;
    this.training.start();
  }

  async pause(): Promise<void> {
    this.playWhenDownloaded = false;
    await this.stop();
    if (this.run) this.state.send('pause');
    await this.publishSnapshot('full', true);
    await this.publishCheckpoint();
  }

  /**
   * The page shows the network view now (or no longer). Its read-out costs as much as the rest
   * of a full snapshot, so it is made only while shown. Shown again: a playing run's next chunk
   * publishes a full snapshot with it, a paused one publishes it at once, so the panel never
   * waits on the pacing with an old picture.
   */
  async wantNetworkView(wanted: boolean): Promise<void> {
    const was = this.networkWanted;
    this.networkWanted = wanted;
    if (!wanted || was || !this.run || this.options.lean) return;
    if (this.training.isPlaying) {
      this.training.clock.lastSnapshotAt = -Infinity;
      this.training.clock.fullDueAt = -Infinity;
    } else await this.publishSnapshot('full');
  }

  /** Single steps for looking closely: the steps, then a full snapshot; frame steps on the way are captured. */
  async step(steps: number): Promise<void> {
    this.playWhenDownloaded = false;
    await this.stop();
    if (!this.run || !canTrain(this.state.status)) return;
    this.message = null;
    // The snapshot below captures the last step's frame; the loop captures earlier ones.
    if (await this.training.steps(Math.max(1, Math.min(steps, 10_000)))) {
      this.state.send('stepped');
      await this.recordMetrics();
    }
    await this.publishSnapshot('full', true);
    await this.publishCheckpoint();
  }

  /**
   * Lockstep (compare mode, lockstep.ts): before the turns of an advance. False when the run
   * cannot train (not built, no data, or stopped by divergence: it stays where it stopped).
   */
  async beginAdvance(playing: boolean): Promise<boolean> {
    if (!this.run || !canTrain(this.state.status) || this.state.status === 'diverged') return false;
    if (this.training.isPlaying) await this.stop();
    this.message = null;
    if (playing) {
      this.state.send('play');
      this.training.startLockstep();
    }
    return true;
  }

  /** Lockstep: runs of one GPU group take their turns together (one dispatch for all); null for a run of its own. */
  get turnGroup(): object | null {
    return this.run?.dispatchGroup ?? null;
  }

  /** Lockstep: the steps this run's next turn would train, at most `max`. */
  plannedChunk(max: number): number {
    return this.training.plannedLockstepChunk(max);
  }

  /** Lockstep: this run's turn, one chunk of at most `max` steps; the steps trained (0: it diverged). */
  advanceChunk(max: number): Promise<number> {
    return this.training.lockstepChunk(max);
  }

  /** Lockstep: after the run's last turn, its metrics and one snapshot (paused after it unless playing). */
  async endAdvance(readout: AdvanceReadout, playing: boolean): Promise<void> {
    if (!this.run || this.state.status === 'diverged') return;
    if (!playing) {
      await this.stop();
      this.state.send('stepped');
    }
    const kind = playing ? readout : 'full';
    if (kind !== 'tick') await this.recordMetrics();
    await this.publishSnapshot(kind === 'full' ? 'full' : 'metrics', !playing);
    // At the step every run of the comparison stands at: now and then while playing, at every stop.
    if (playing) await this.training.lockstepCheckpoint();
    else await this.publishCheckpoint();
  }

  /** A run file's configuration and g: rebuild from its params (Session I skipped), then load g. */
  async importRun(params: Params, gWeights: number[][] | null): Promise<void> {
    this.params = params;
    this.pendingInner = gWeights ? gWeights.map((w) => Float32Array.from(w)) : null;
    await this.build();
  }

  /** Everything the run file needs, read at one step: training pauses while it is read. */
  async exportRun(): Promise<RunExport> {
    const wasPlaying = this.training.isPlaying;
    await this.stop();
    try {
      const run = this.run;
      if (!run) throw new Error('there is no built run to export');
      return await readRunExport(run, {
        params: this.runParams,
        step: this.totalSteps,
        epoch: this.totalEpochs,
        backend: this.backend.name,
        history: this.history.toArray(),
      });
    } finally {
      if (wasPlaying) this.play();
    }
  }

  /**
   * Runs `task` on the built run with training stopped, resuming after if it was playing (a
   * robustness test: the weights must not move under it). Throws when no model stands.
   */
  async whilePaused<T>(task: (run: PausedRun) => Promise<T>): Promise<T> {
    const wasPlaying = this.training.isPlaying;
    await this.stop();
    try {
      const engine = this.run;
      const data = this.source?.training;
      if (!engine || !data) throw new Error('there is no built model to test');
      const diverged = this.state.status === 'diverged';
      return await task({ engine, data, image: this.source?.image != null, diverged, step: this.totalSteps, seed: this.params.seed });
    } finally {
      if (wasPlaying) this.play();
    }
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
   * Downloads the image data set `name` (progress to the page) and resolves to what follows:
   * the build when it arrived, the rollback when it failed; null when a download of `name` is
   * under way already (its own outcome follows it). The run that stands is untouched meanwhile.
   */
  private async download(name: ImageDataName): Promise<(() => Promise<void>) | null> {
    if (this.loading?.name === name) return null;
    this.cancelLoad();
    const loading: Download = { name, abort: new AbortController() };
    this.loading = loading;
    this.latestDownload = loading;
    try {
      const images = await loadImageSet(name, this.runId, this.env.loadImages, (m) => this.out.datasetProgress?.(m), loading.abort.signal);
      return () => this.downloaded(loading, images);
    } catch (e) {
      return () => this.downloadFailed(loading, e);
    } finally {
      if (this.loading === loading) this.loading = null;
    }
  }

  /** The download arrived: build the run the params name now (playing on if the run that stood was playing). */
  private async downloaded(loading: Download, images: LoadedImages): Promise<void> {
    if (this.latestDownload !== loading) return;
    this.latestDownload = null;
    if (this.params.dataset !== loading.name) return;
    this.images = images;
    const play = this.training.isPlaying || this.playWhenDownloaded;
    this.playWhenDownloaded = false;
    await this.build();
    if (play) this.play();
  }

  /**
   * The download failed or was cancelled. When it was for what the params still name, the run
   * that stands and its params stay (or, with none, the run fails) and the page is told why.
   * One the user moved on from changes nothing; the page only hears that it stopped.
   */
  private async downloadFailed(loading: Download, e: unknown): Promise<void> {
    const name = loading.name;
    const cancelled = loading.abort.signal.aborted;
    const message = cancelled ? `the download of ${imageSetLabel(name)} was cancelled` : errorMessage(e);
    const current = this.latestDownload === loading && this.params.dataset === name;
    if (this.latestDownload === loading) this.latestDownload = null;
    if (!current) {
      // Another data set is chosen now: its progress bar ends. (A newer download of the same set says the rest.)
      if (this.params.dataset !== name) {
        this.out.datasetError?.({
          type: 'datasetError',
          runId: this.runId,
          dataset: name,
          message,
          kept: true,
          cancelled,
          params: this.params,
        });
      }
      return;
    }
    // What the failed build was asked to load goes with it.
    this.pendingInner = null;
    this.pendingRestore = null;
    this.playWhenDownloaded = false;
    const kept = paramsToKeep(this.builtParams, this.run !== null);
    if (kept) {
      this.params = kept;
    } else {
      await this.stop();
      this.disposeRun();
      this.state.send('fail');
      this.message = message;
    }
    this.out.datasetError?.({
      type: 'datasetError',
      runId: this.runId,
      dataset: name,
      message,
      kept: kept !== null,
      cancelled,
      params: this.params,
    });
    await this.publishSnapshot();
  }

  /** The image data set being downloaded, or null. */
  get loadingDataset(): ImageDataName | null {
    return this.loading?.name ?? null;
  }

  /** Cancels the image download under way (called outside the queue of operations, so at once). */
  cancelLoad(): void {
    this.loading?.abort.abort(new DOMException('the download was cancelled', 'AbortError'));
    // No longer under way: a new request for the same data set starts a fresh download.
    this.loading = null;
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
    const wasPlaying = this.training.isPlaying;
    await this.stop();
    if (!this.run) return;
    // The accuracy with the learned g, measured now, to set beside the accuracy with it frozen.
    await this.recordMetrics();
    const before = this.lastMetrics?.step === this.totalSteps ? this.lastMetrics : null;
    try {
      this.run.startSessionThree();
      if (before) this.sessionThree = { step: this.totalSteps, before };
    } catch (e) {
      this.message = errorMessage(e);
    }
    await this.recordMetrics();
    await this.publishSnapshot();
    await this.publishCheckpoint();
    if (wasPlaying) this.play();
  }

  /** Before a backend switch: stop and hand over the weights (read asynchronously). */
  async exportWeights(): Promise<{ weights: Float32Array[]; playing: boolean; session: 2 | 3 } | null> {
    const playing = this.training.isPlaying;
    await this.stop();
    if (!this.run) return null;
    const weights = await this.run.exportWeights();
    const session = this.run.session;
    this.stepOffset += this.run.step;
    this.epochOffset += this.run.epoch;
    this.disposeRun();
    return { weights, playing, session };
  }

  /** After a backend switch: rebuild on the new backend with the same weights. */
  async importAfterSwitch(
    backend: ActiveBackend,
    saved: { weights: Float32Array[]; playing: boolean; session: 2 | 3 } | null,
  ): Promise<void> {
    this.backend = backend;
    await this.build(saved?.weights, saved?.session);
    if (saved?.playing) this.play();
  }

  /** On WebGPU, keeps a copy of the checkpoint just saved off the device (read asynchronously). */
  async checkpointSaved(): Promise<void> {
    const run = this.run;
    if (!run || (this.backend.name !== 'webgpu' && this.backend.name !== 'webgpu-fused')) return;
    const steps = this.totalSteps;
    const epochs = this.totalEpochs;
    const weights = await run.exportWeights();
    if (this.run === run) this.offDevice = { weights, steps, epochs, session: run.session };
  }

  /**
   * The WebGPU device is gone: leave the loop where it hangs, drop the run without touching
   * the device, and continue on `backend` from the last checkpoint read off the device (or
   * from the params when there is none), playing again if it was.
   */
  async recoverFromDeviceLoss(backend: ActiveBackend): Promise<void> {
    const wasPlaying = this.training.isPlaying;
    this.training.abandon();
    const saved = this.offDevice;
    this.offDevice = null;
    const run = this.run;
    this.run = null;
    try {
      run?.dispose();
    } catch {
      // Its tensors lived on the lost device: nothing left to free.
    }
    this.backend = backend;
    if (saved && this.source) {
      this.stepOffset = saved.steps;
      this.epochOffset = saved.epochs;
      await this.build(saved.weights, saved.session);
    } else {
      await this.build();
    }
    if (wasPlaying) this.play();
  }

  /** For the benchmark (benchmark.ts): one chunk with nothing around it but reading the loss. */
  bareChunk(): Promise<number> {
    return this.training.bareChunk();
  }

  /** Stops the training loop; the status is the caller's to change. */
  stop(): Promise<void> {
    return this.training.stop();
  }

  get trainedRun(): TrainEngine | null {
    return this.run;
  }

  /** Training stopped itself with the last good weights restored: say why and show them. */
  async diverged(reason: string): Promise<void> {
    this.state.send('diverge');
    this.message = divergenceMessage(reason, this.totalSteps, this.params.lr);
    await this.recordMetrics();
    await this.publishSnapshot();
  }

  get totalSteps(): number {
    return this.stepOffset + (this.run?.step ?? 0);
  }

  get totalEpochs(): number {
    return this.epochOffset + (this.run?.epoch ?? 0);
  }

  /** Evaluates and records the metrics (kept in lastMetrics too); its cost paces the metrics snapshots. */
  async recordMetrics(): Promise<void> {
    if (!this.run) return;
    const t0 = performance.now();
    const { testPredictions, ...m } = await this.run.evaluate({ testPredictions: this.source?.image != null });
    this.testPredictions = testPredictions ?? null;
    // The history may thin this point out; lastMetrics keeps it (Session III's "before").
    this.lastMetrics = { step: this.totalSteps, epoch: this.totalEpochs, ...m };
    this.history.push(this.lastMetrics);
    this.training.clock.lastMetricsAt = performance.now();
    this.training.clock.lastMetricsMs = this.training.clock.lastMetricsAt - t0;
  }

  private publishDataset(): void {
    const d = this.source?.dataset2d;
    if (!d) return;
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

  /**
   * 'metrics' skips the costly read-outs; the page keeps the previous ones (Snapshot.partial).
   * A full snapshot at the next frame step sends the timeline frame from the same read-out.
   */
  async publishSnapshot(kind: 'full' | 'metrics' = 'full', settled = false): Promise<void> {
    let view: Inspection | null = null;
    // undefined: not read (the page does not show it and keeps its last one).
    let network: NetworkView | null | undefined = null;
    const t0 = performance.now();
    const reading = this.run;
    // A lean run has none; a playing one recomputes it as often as the page draws it (pacing.ts).
    const decision = !this.options.lean && kind === 'full' && decisionDue(this.training.isPlaying, t0, this.decisionDueAt);
    if (reading && kind === 'full') {
      try {
        view = await reading.inspect({ decision });
        if (decision) this.decisionDueAt = nextBeat(this.decisionDueAt, t0, DECISION_INTERVAL_MS);
        // The network view is the page's own run's (a lean compare run has no page to show it).
        // Not shown on the page: not read at all (it costs as much as the rest of the read-out).
        if (!this.options.lean) network = this.networkWanted ? await readNetworkView(reading, this.params, this.source) : undefined;
      } catch (e) {
        this.message = `Could not read the network: ${errorMessage(e)}`;
      }
      // The run was replaced meanwhile (a lost device): this read-out belongs to no run.
      if (this.run !== reading) return;
    }
    if (kind === 'full') {
      // Every full read-out (the first one after a build too) paces the next.
      this.training.clock.lastSnapshotAt = performance.now();
      this.training.clock.lastInspectMs = this.training.clock.lastSnapshotAt - t0;
      this.training.clock.lastSnapshotStep = this.totalSteps;
      // Paced on its own (verdict.ts): its cost must not slow the read-outs down.
      if (reading && view?.g) await this.updateVerdict(reading, view.g, settled);
      if (this.run !== reading) return;
    }
    const run = this.run;
    const step = this.totalSteps;
    const { snapshot, transfer } = assembleSnapshot({
      runId: this.runId,
      status: this.state.status,
      message: this.message,
      step,
      epoch: this.totalEpochs,
      stepsPerSecond: this.training.stepsPerSecond,
      backend: (run && this.shownBackend) || this.backend,
      model: run ? { session: run.session, kind: run.modelKind, hidden: run.hiddenUnits, paramCount: run.paramCount } : null,
      paramsModel: this.params.model,
      history: this.history.toArray(),
      kind,
      view,
      gInit: this.gInit,
      images: this.imageEval(),
      grids: { argument: ARGUMENT_GRID, input: INPUT_GRID },
      sessionThree: this.sessionThree,
      network,
      bootstrap: this.verdict,
      gpuGroup: run?.dispatchStats ?? null,
      decisionKept: !this.options.lean && !decision,
    });
    // The frame first: its arrays are copies of the snapshot's, which are transferred.
    if (view && kind === 'full' && this.training.takeFrame(step)) this.sendFrame(step, view, true);
    this.snapshotsPublished += 1;
    if (kind === 'full') this.fullSnapshotsPublished += 1;
    this.training.clock.lastPublishedAt = performance.now();
    this.out.snapshot(snapshot, transfer);
  }

  /** A new bootstrap verdict on g when one is due (verdict.ts); a failure leaves the last one and says why. */
  private async updateVerdict(run: TrainEngine, g: Float32Array, settled: boolean): Promise<void> {
    const step = this.totalSteps;
    const due = verdictDue(step, this.verdict?.step ?? null, this.training.trainedMs, this.verdictClock, settled, performance.now());
    if (!run.hasG2 || !due) return;
    const t0 = performance.now();
    try {
      const verdict = await computeVerdict(run, g, step, this.params.seed);
      if (this.run === run) this.verdict = verdict;
    } catch (e) {
      this.message = `Could not compute the verdict's interval: ${errorMessage(e)}`;
    }
    const now = performance.now();
    this.verdictClock = { trainedMsAtLast: this.training.trainedMs, costMs: now - t0, computedAt: now };
  }

  /** At a frame step with no full snapshot due: read g, the density and the analysis for the timeline only. */
  async publishFrame(): Promise<void> {
    const step = this.totalSteps;
    const run = this.run;
    if (!run || !this.training.takeFrame(step)) return;
    // Only a two-argument g has frames (the read-out would be wasted on the others).
    if (!this.out.frame || !run.hasG2) return;
    try {
      this.sendFrame(step, await run.inspect({ decision: false }), false);
    } catch (e) {
      this.message = `Could not read the network: ${errorMessage(e)}`;
    }
  }

  private sendFrame(step: number, view: Inspection, copy: boolean): void {
    const f = this.out.frame && assembleFrame(this.runId, step, view, ARGUMENT_GRID, copy);
    if (f) this.out.frame!(f.frame, f.transfer);
  }

  private disposeRun(): void {
    this.run?.dispose();
    this.run = null;
  }

  async dispose(): Promise<void> {
    // A download under way would build a run for a host that is gone.
    this.latestDownload = null;
    this.cancelLoad();
    await this.stop();
    this.disposeRun();
  }
}
