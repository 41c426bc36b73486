/**
 * Hosts one training run inside the worker: builds it from Params, trains in adaptive chunks
 * while playing, watches for divergence, and publishes snapshots at a bounded rate. Several
 * hosts can live in one worker (compare mode); they share the active tfjs backend.
 */
import { ARGUMENT_GRID, INPUT_GRID, Run, datasetFromParams, specFromParams, trainingDataFrom2D, type Inspection } from '../core/run';
import type { Params } from '../core/params';
import type { Dataset2D } from '../core/data/datasets2d';
import { BoundedHistory } from './history';
import type { ActiveBackend } from './backends';
import type { BenchmarkResult, DatasetMessage, MetricPoint, RunStatus, Snapshot } from './protocol';

export interface HostOutput {
  snapshot(s: Snapshot, transfer: Transferable[]): void;
  dataset(d: DatasetMessage, transfer: Transferable[]): void;
  progress(runId: string, stage: 'sessionOne', done: number, total: number): void;
}

/** Target wall time of one chunk of training steps between two looks at the loss. */
const CHUNK_MS = 25;
const MAX_CHUNK_STEPS = 500;
/** Snapshots at most this often; and bookkeeping may take at most this share of the time. */
const MIN_SNAPSHOT_INTERVAL_MS = 100;
const BOOKKEEPING_SHARE = 0.05;
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
  private lastBookkeepingMs = 0;
  private lastCheckpointAt = 0;
  /** Steps taken before the current Run object (kept across backend switches). */
  private stepOffset = 0;
  private epochOffset = 0;
  private gInit: Float32Array | null = null;
  private snapshotsPublished = 0;

  constructor(
    readonly runId: string,
    private params: Params,
    private backend: ActiveBackend,
    private readonly out: HostOutput,
  ) {}

  get currentParams(): Params {
    return this.params;
  }

  /** Builds data and model from the params (Session I included) and publishes the first snapshot. */
  async build(weights?: Float32Array[]): Promise<void> {
    await this.stop();
    this.disposeRun();
    this.status = 'building';
    this.message = null;
    try {
      const spec = specFromParams(this.params);
      if (!weights) {
        this.dataset = datasetFromParams(this.params);
        this.history.clear();
        this.stepOffset = 0;
        this.epochOffset = 0;
        this.publishDataset();
      }
      const data = trainingDataFrom2D(this.dataset ?? datasetFromParams(this.params));
      // With weights to restore (a backend switch) Session I is skipped: its result is in them.
      this.run = await Run.create(weights ? { ...spec, pretrainSteps: 0 } : spec, data, (stage, done, total) =>
        this.out.progress(this.runId, stage, done, total),
      );
      if (weights) {
        this.run.net.importWeights(weights);
        this.run.saveCheckpoint();
      } else {
        this.gInit = this.run.gInit;
      }
      this.status = 'ready';
      if (this.history.toArray().length === 0) await this.recordMetrics();
    } catch (e) {
      this.disposeRun();
      this.status = 'error';
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

  async reset(): Promise<void> {
    await this.build();
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
    // Warm up (shader compilation on GPU backends) before timing anything.
    await this.trainChunk(5);
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < durationMs && this.run) {
      const loss = this.run.trainer.trainSteps(this.chunkSteps);
      await loss.data();
      loss.dispose();
      steps += this.chunkSteps;
    }
    const bare = (steps * 1000) / (performance.now() - t0);
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

  private async stop(): Promise<void> {
    this.playing = false;
    if (this.loop) await this.loop;
    this.loop = null;
  }

  private async trainLoop(): Promise<void> {
    let windowStart = performance.now();
    let windowSteps = 0;
    while (this.playing && this.run) {
      const t0 = performance.now();
      const ok = await this.trainChunk(this.chunkSteps);
      if (!ok) break;
      const elapsed = performance.now() - t0;
      windowSteps += this.chunkSteps;
      // Adapt the chunk so one chunk takes about CHUNK_MS: responsive and low overhead.
      const perStep = elapsed / this.chunkSteps;
      this.chunkSteps = Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.round(CHUNK_MS / Math.max(perStep, 1e-3))));
      const now = performance.now();
      if (now - windowStart >= 1000) {
        this.stepsPerSecond = (windowSteps * 1000) / (now - windowStart);
        windowStart = now;
        windowSteps = 0;
      }
      const gap = Math.max(MIN_SNAPSHOT_INTERVAL_MS, this.lastBookkeepingMs / BOOKKEEPING_SHARE);
      if (now - this.lastSnapshotAt >= gap) {
        const b0 = performance.now();
        await this.recordMetrics();
        await this.publishSnapshot();
        this.lastBookkeepingMs = performance.now() - b0;
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

  private async recordMetrics(): Promise<void> {
    if (!this.run) return;
    const m = await this.run.evaluate();
    this.history.push({ step: this.totalSteps, epoch: this.totalEpochs, ...m });
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

  private async publishSnapshot(): Promise<void> {
    let view: Inspection | null = null;
    if (this.run) {
      try {
        view = await this.run.inspect({ decision: true });
      } catch (e) {
        this.message = `Could not read the network: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    this.lastSnapshotAt = performance.now();
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
      gInit: this.gInit ? { grid: ARGUMENT_GRID, values: this.gInit.slice() } : null,
      density: view?.density ? { grid: ARGUMENT_GRID, ...view.density } : null,
      analysis: view?.analysis ?? null,
      g1d: view?.g1d ?? null,
      decision: view?.decision ? { grid: INPUT_GRID, values: view.decision } : null,
    };
    const transfer: Transferable[] = [];
    for (const arr of [snapshot.g?.values, snapshot.gInit?.values, snapshot.decision?.values, snapshot.density?.all, snapshot.density?.mask, ...(snapshot.density?.perLayer ?? []), snapshot.g1d?.xs, snapshot.g1d?.ys]) {
      if (arr) transfer.push(arr.buffer);
    }
    this.snapshotsPublished += 1;
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
