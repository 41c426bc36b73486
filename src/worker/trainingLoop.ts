/**
 * How a built run trains: chunks of steps cut to land on timeline frame steps, the playing
 * loop with its publications, single steps, the divergence check and checkpoints. The run
 * host owns the run, its status and what is published; this loop decides when.
 */
import type { Run } from '../core/run';
import { divergenceReason } from './divergence';
import { yieldToEventLoop } from './eventLoop';
import { nextFrameStep, stepsToFrame } from './frames';
import { checkpointDue, countSteps, pageCheckpointDue, nextChunkSteps, publicationDue, startPacingClock, startRateWindow } from './pacing';

/** What the loop needs from its host. */
export interface LoopHost {
  /** The built run, or null (the loop then stops). */
  readonly trainedRun: Run | null;
  readonly totalSteps: number;
  recordMetrics(): Promise<void>;
  /** A full snapshot also sends the timeline frame when its step is the frame step (takeFrame). */
  publishSnapshot(kind: 'full' | 'metrics'): Promise<void>;
  /** Sends the timeline frame of the current step (takeFrame decides) with no snapshot. */
  publishFrame(): Promise<void>;
  /** Training stopped itself (the last good weights are already restored): say why. */
  diverged(reason: string): Promise<void>;
  /** Sends the page a checkpoint to restore the run from if the worker dies. */
  publishCheckpoint(): Promise<void>;
}

export class TrainingLoop {
  /** When publications happened and what they cost: the host writes it, the loop paces by it. */
  readonly clock = startPacingClock();
  private playing = false;
  private loop: Promise<void> | null = null;
  private chunkSteps = 1;
  private rate = startRateWindow(0);
  private lastCheckpointAt = 0;
  private lastPageCheckpointAt = 0;
  /** The next step the timeline keeps a frame at (0: a new run's first snapshot is one). */
  private frameAt = 0;

  constructor(private readonly host: LoopHost) {}

  get isPlaying(): boolean {
    return this.playing;
  }

  /** Steps per second over the last second of playing; 0 when not playing. */
  get stepsPerSecond(): number {
    return this.playing ? this.rate.rate : 0;
  }

  /** A new run: its frames start again at step 0. */
  restartFrames(): void {
    this.frameAt = 0;
  }

  /** Whether a full snapshot at `step` is a timeline frame; if so, the next frame step is set. */
  takeFrame(step: number): boolean {
    if (step !== this.frameAt) return false;
    this.frameAt = nextFrameStep(step);
    return true;
  }

  start(): void {
    if (this.playing) return;
    this.playing = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.playing = false;
    if (this.loop) await this.loop;
    this.loop = null;
  }

  /**
   * Trains `steps` steps (the caller has stopped the loop), capturing the timeline frame at
   * every frame step on the way but the last. False when the run diverged.
   */
  async steps(steps: number): Promise<boolean> {
    let left = steps;
    while (left > 0) {
      const n = this.chunkToFrame(left);
      if (!(await this.trainChunk(n))) return false;
      left -= n;
      if (left > 0 && this.host.totalSteps === this.frameAt) await this.host.publishFrame();
    }
    return true;
  }

  /** For the benchmark: one chunk with nothing around it but reading the loss; the steps trained. */
  async bareChunk(): Promise<number> {
    const run = this.host.trainedRun;
    if (!run) return 0;
    const steps = this.chunkSteps;
    const t0 = performance.now();
    const loss = run.trainer.trainSteps(steps);
    await loss.data();
    loss.dispose();
    this.chunkSteps = nextChunkSteps(steps, steps, performance.now() - t0);
    return steps;
  }

  /** At most `planned` steps, cut to land exactly on the next frame step (skipping any that training passed). */
  private chunkToFrame(planned: number): number {
    const step = this.host.totalSteps;
    if (this.frameAt < step) this.frameAt = nextFrameStep(step);
    return stepsToFrame(planned, step, this.frameAt);
  }

  private async run(): Promise<void> {
    this.rate = startRateWindow(performance.now());
    while (this.playing && this.host.trainedRun) {
      const steps = this.chunkToFrame(this.chunkSteps);
      const t0 = performance.now();
      if (!(await this.trainChunk(steps))) break;
      const now = performance.now();
      this.chunkSteps = nextChunkSteps(this.chunkSteps, steps, now - t0);
      this.rate = countSteps(this.rate, steps, now);
      const due = publicationDue(now, this.clock);
      if (due === 'full' || due === 'metrics') await this.host.recordMetrics();
      if (due !== null) await this.host.publishSnapshot(due === 'full' ? 'full' : 'metrics');
      // A full snapshot just published at the frame step has sent its frame; else read it now.
      if (this.host.totalSteps === this.frameAt) await this.host.publishFrame();
      if (pageCheckpointDue(now, this.lastPageCheckpointAt)) {
        this.lastPageCheckpointAt = now;
        await this.host.publishCheckpoint();
      }
      await yieldToEventLoop();
    }
    this.rate = startRateWindow(0);
  }

  /**
   * Trains `steps` steps and checks the loss and the weights. On NaN, Inf or exploding
   * weights: restore the last good checkpoint, stop, and let the host say why. False then.
   */
  private async trainChunk(steps: number): Promise<boolean> {
    const run = this.host.trainedRun!;
    const lossTensor = run.trainer.trainSteps(steps);
    const normTensor = run.trainer.weightNormSquared();
    const [loss, norm] = await Promise.all([lossTensor.data(), normTensor.data()]);
    lossTensor.dispose();
    normTensor.dispose();
    if (!this.host.trainedRun) return false;
    const bad = divergenceReason(loss[0], norm[0]);
    if (bad) {
      run.restoreCheckpoint();
      this.playing = false;
      await this.host.diverged(bad);
      return false;
    }
    const now = performance.now();
    if (checkpointDue(now, this.lastCheckpointAt)) {
      run.saveCheckpoint();
      this.lastCheckpointAt = now;
    }
    return true;
  }
}
