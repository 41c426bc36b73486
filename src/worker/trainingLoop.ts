/**
 * How a built run trains: chunks of steps cut to land on timeline frame steps, the playing
 * loop with its publications, single steps, the divergence check and checkpoints. The run
 * host owns the run, its status and what is published; this loop decides when.
 */
import type { TrainEngine } from './engine';
import { divergenceReason } from './divergence';
import { yieldToEventLoop } from './eventLoop';
import { nextFrameStep, stepsToFrame } from './frames';
import {
  checkpointDue,
  CHUNK_MS,
  countSteps,
  fullSnapshotDueStep,
  pageCheckpointDue,
  nextChunkSteps,
  publicationDue,
  scheduleFull,
  SNAPSHOT_INTERVAL_MS,
  startPacingClock,
  startRateWindow,
} from './pacing';

/** What the loop needs from its host. */
export interface LoopHost {
  /** The built run, or null (the loop then stops). */
  readonly trainedRun: TrainEngine | null;
  readonly totalSteps: number;
  recordMetrics(): Promise<void>;
  /** A full snapshot also sends the timeline frame when its step is the frame step (takeFrame). */
  publishSnapshot(kind: 'full' | 'metrics'): Promise<void>;
  /** Sends the timeline frame of the current step (takeFrame decides) with no snapshot. */
  publishFrame(): Promise<void>;
  /** Training stopped itself (the last good weights are already restored): say why. */
  diverged(reason: string): Promise<void>;
  /** A checkpoint was just saved (the host may keep a copy off the device). */
  checkpointSaved?(): Promise<void>;
  /** Sends the page a checkpoint to restore the run from if the worker dies. */
  publishCheckpoint(): Promise<void>;
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
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
  /** Bumped when a loop is abandoned (a lost device): a loop of an older generation stops where it wakes. */
  private generation = 0;
  private abandoned = signal();
  /** Milliseconds spent training (chunks only, never reset): paces the bootstrap verdict (verdict.ts). */
  trainedMs = 0;
  /** A lean run (compare mode) keeps only the frame at step 0 (its analysis is the comparison's null). */
  firstFrameOnly = false;
  /** Full snapshots while playing about this often on average (pacing.ts fullIntervalMs). */
  fullIntervalTargetMs = SNAPSHOT_INTERVAL_MS;
  /** While playing, a full snapshot at least every fullSnapshotDueStep steps (off for lean runs: no page shows their g live). */
  stepBoundedFull = true;
  /** Advanced by the page in lockstep (compare mode) and counted as playing in the rate. */
  private lockstep = false;

  constructor(private readonly host: LoopHost) {}

  get isPlaying(): boolean {
    return this.playing;
  }

  /** Steps per second over the last second of playing; 0 when not playing. */
  get stepsPerSecond(): number {
    return this.playing || this.lockstep ? this.rate.rate : 0;
  }

  /** A new run: its frames start again at step 0. */
  restartFrames(): void {
    this.frameAt = 0;
  }

  /** Whether a full snapshot at `step` is a timeline frame; if so, the next frame step is set. */
  takeFrame(step: number): boolean {
    if (step !== this.frameAt) return false;
    // No later frame step: chunks are then never cut to land on one.
    this.frameAt = this.firstFrameOnly ? Infinity : nextFrameStep(step);
    return true;
  }

  start(): void {
    if (this.playing) return;
    this.playing = true;
    const generation = this.generation;
    this.loop = this.run(generation).catch((e: unknown) => {
      // An abandoned loop's read on a lost device may fail late: nobody waits for it any more.
      if (generation === this.generation) throw e;
    });
  }

  async stop(): Promise<void> {
    this.playing = false;
    this.lockstep = false;
    // A loop waiting on a lost device may never return: abandoning it releases the waiters.
    if (this.loop) await Promise.race([this.loop, this.abandoned.promise]);
    this.loop = null;
  }

  /**
   * Leaves the current loop where it is without waiting for it (its device is gone, its reads
   * may never resolve); it stops at its next check. The host then rebuilds and may start again.
   */
  abandon(): void {
    this.playing = false;
    this.generation += 1;
    this.loop = null;
    this.abandoned.resolve();
    this.abandoned = signal();
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

  /** Lockstep (compare mode): the page advances the run; the rate counts from the first advance. */
  startLockstep(): void {
    if (this.lockstep) return;
    this.lockstep = true;
    this.rate = startRateWindow(performance.now());
  }

  /**
   * Lockstep: one adaptive chunk of at most `max` steps (cut at a frame step), the turn of this
   * run before the next run of the worker trains. The steps trained; 0 when the run diverged.
   */
  async lockstepChunk(max: number): Promise<number> {
    if (!this.host.trainedRun || max <= 0) return 0;
    const planned = Math.min(this.chunkSteps, max);
    const steps = this.chunkToFrame(planned);
    const t0 = performance.now();
    if (!(await this.trainChunk(steps))) return 0;
    const now = performance.now();
    this.chunkSteps = nextChunkSteps(this.chunkSteps, steps, now - t0);
    if (this.lockstep) this.rate = countSteps(this.rate, steps, now);
    if (this.host.totalSteps === this.frameAt) await this.host.publishFrame();
    return steps;
  }

  /** Lockstep: the page's checkpoint when one is due (as the free-running loop sends them), after an advance. */
  async lockstepCheckpoint(): Promise<void> {
    const now = performance.now();
    if (!pageCheckpointDue(now, this.lastPageCheckpointAt)) return;
    this.lastPageCheckpointAt = now;
    await this.host.publishCheckpoint();
  }

  /** Lockstep: the steps lockstepChunk(max) would train now (a shared turn asks every run first). */
  plannedLockstepChunk(max: number): number {
    return max <= 0 ? 0 : this.chunkToFrame(Math.min(this.chunkSteps, max));
  }

  /** For the benchmark: one chunk with nothing around it but reading the loss; the steps trained. */
  async bareChunk(): Promise<number> {
    const run = this.host.trainedRun;
    if (!run) return 0;
    const steps = this.chunkSteps;
    const t0 = performance.now();
    await run.trainBare(steps);
    this.chunkSteps = nextChunkSteps(steps, steps, performance.now() - t0);
    return steps;
  }

  /**
   * A timeline frame and a full snapshot read the same things (g, the density, the analysis),
   * and on the fused engine both come 10-20 times a second: landing full snapshots on frame
   * steps makes one read-out serve both. At a frame step a full snapshot due within the next
   * chunk comes now; elsewhere a due one waits for the frame step when the next chunk (cut to
   * land on it) reaches it: at most one chunk (~CHUNK_MS) late.
   */
  private alignToFrame(due: ReturnType<typeof publicationDue>, now: number, bound: number | null): ReturnType<typeof publicationDue> {
    const step = this.host.totalSteps;
    if (step === this.frameAt) {
      return due !== 'full' && publicationDue(now + CHUNK_MS, this.clock, this.fullIntervalTargetMs, bound) === 'full' ? 'full' : due;
    }
    return due === 'full' && this.frameAt > step && this.frameAt - step <= this.chunkSteps ? null : due;
  }

  /** At most `planned` steps, cut to land exactly on the next frame step (skipping any that training passed). */
  private chunkToFrame(planned: number): number {
    const step = this.host.totalSteps;
    if (this.frameAt < step) this.frameAt = nextFrameStep(step);
    return stepsToFrame(planned, step, this.frameAt);
  }

  /** At most `planned` steps, cut to land exactly on the step the next full snapshot is due by (pacing.ts). */
  private chunkToFullBound(planned: number): number {
    if (!this.stepBoundedFull) return planned;
    return stepsToFrame(planned, this.host.totalSteps, fullSnapshotDueStep(this.clock.lastSnapshotStep));
  }

  private async run(generation: number): Promise<void> {
    this.rate = startRateWindow(performance.now());
    while (this.playing && this.host.trainedRun && generation === this.generation) {
      const steps = this.chunkToFullBound(this.chunkToFrame(this.chunkSteps));
      const t0 = performance.now();
      if (!(await this.trainChunk(steps)) || generation !== this.generation) break;
      const now = performance.now();
      this.chunkSteps = nextChunkSteps(this.chunkSteps, steps, now - t0);
      this.rate = countSteps(this.rate, steps, now);
      const bound = this.stepBoundedFull ? this.host.totalSteps : null;
      const due = this.alignToFrame(publicationDue(now, this.clock, this.fullIntervalTargetMs, bound), now, bound);
      if (due === 'full' || due === 'metrics') await this.host.recordMetrics();
      if (due !== null) await this.host.publishSnapshot(due === 'full' ? 'full' : 'metrics');
      // The schedule counts from when this one was due: one that waited makes the next come sooner.
      if (due === 'full') scheduleFull(this.clock, now, this.fullIntervalTargetMs);
      // A full snapshot just published at the frame step has sent its frame; else read it now.
      if (this.host.totalSteps === this.frameAt) await this.host.publishFrame();
      if (pageCheckpointDue(now, this.lastPageCheckpointAt)) {
        this.lastPageCheckpointAt = now;
        await this.host.publishCheckpoint();
      }
      await yieldToEventLoop();
    }
    if (generation === this.generation) this.rate = startRateWindow(0);
  }

  /**
   * Trains `steps` steps and checks the loss and the weights. On NaN, Inf or exploding
   * weights: restore the last good checkpoint, stop, and let the host say why. False then.
   */
  private async trainChunk(steps: number): Promise<boolean> {
    const run = this.host.trainedRun!;
    const t0 = performance.now();
    const { loss, norm } = await run.trainChunk(steps);
    this.trainedMs += performance.now() - t0;
    if (this.host.trainedRun !== run) return false;
    const bad = divergenceReason(loss, norm);
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
      await this.host.checkpointSaved?.();
    }
    return true;
  }
}
