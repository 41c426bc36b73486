/**
 * Compare mode's workers: a pool of training workers (the main run's worker script), each
 * hosting several runs of the comparison (assigned round-robin; on webgpu-fused in blocks, so a
 * model's seeds share a worker's GPU dispatches: poolAssignment.ts), trained in lockstep: the pool
 * sends `advance` rounds to every worker, every run to the same targets, with one round of
 * lookahead: a new round goes out once every run has reached the round before the newest
 * (barrier.ts), so workers never wait for this thread. The rounds' size adapts so one takes about
 * 150 ms, so Pause (which lets the rounds sent finish: every run stops at the last target) acts quickly.
 *
 * Like the main run's client (workerClient.ts), snapshots are coalesced: the newest one per run
 * is handed on at most once per animation frame, with every timeline frame and build progress
 * since, so a dozen runs never make the page busy. Barrier bookkeeping happens as messages
 * arrive, not at the hand-over. A worker that reports a failure marks its runs as failed; the
 * others go on. A worker that ends (its life lock comes free: poolWatch.ts) or whose script
 * fails to start is replaced: a fresh one takes over its runs from their checkpoints
 * (poolRecovery.ts) and brings them to the step the others wait at (rejoinBarrier), at most once
 * a minute by itself, else when the user presses Restart.
 * Over 300 lines because lockstep, snapshot coalescing and recovery all read and write the one
 * run table; their decisions are already pure modules (barrier.ts, poolWatch.ts,
 * poolRecovery.ts, poolAssignment.ts), and what stays here is the state they act on.
 */
import type { Points2D } from '../core/data/points';
import type { CompareRunPlan } from '../core/compare/plan';
import {
  mergeSnapshot,
  type AdvanceReadout,
  type FrameMessage,
  type FromWorker,
  type RobustnessProgressMessage,
  type RobustnessResultMessage,
  type RunStatus,
  type Snapshot,
  type ToWorker,
} from '../worker/protocol';
import type { CompareBatch, ComparePoolControl } from './compareSlice';
import {
  advancesDue,
  barrierMet,
  FIRST_ROUND_STEPS,
  FULL_READOUT_INTERVAL_MS,
  METRICS_READOUT_INTERVAL_MS,
  nextRoundSteps,
  rejoinBarrier,
  roundsMayFollow,
  type BarrierRun,
  type SentRound,
} from './barrier';
import { COMMIT_INTERVAL_MS, nextFrame, type WorkerLike } from './workerClient';
import type { LockManagerLike } from './lifeLock';
import type { PoolFault } from './compareTypes';
import { PoolWatch } from './poolWatch';
import { PoolCheckpoints, poolFault, runMessages } from './poolRecovery';
import { assignWorkers } from './poolAssignment';

export interface ComparePoolOptions {
  /** Workers to start (comparePoolSize). */
  size: number;
  createWorker: () => WorkerLike;
  /** The image data folder's absolute URL (configure), null where there is no document (tests). */
  dataBaseUrl?: string | null;
  /** The user's own points when the data set is custom and they are not in the link. */
  points?: Points2D | null;
  /** Runs the commit (default: the next animation frame, at most ~30 times a second). */
  schedule?: (commit: () => void) => void;
  now?: () => number;
  /** The lock manager the workers' life locks are watched with (navigator.locks by default; tests pass a fake). */
  locks?: LockManagerLike | null;
}

/** Statuses in which a run no longer trains by itself (it stays where it stopped). */
const STOPPED: ReadonlySet<RunStatus> = new Set<RunStatus>(['diverged', 'error', 'nodata']);

interface PoolRun extends BarrierRun {
  plan: CompareRunPlan;
  worker: number;
  status: RunStatus | null;
  failed: boolean;
  /** Reset sent: snapshots of the old run (step > 0) still on their way are dropped. */
  awaitingReset: boolean;
}

export class ComparePool implements ComparePoolControl {
  private readonly workers: (WorkerLike | null)[] = [];
  private readonly runs = new Map<string, PoolRun>();
  private target = 0;
  private roundSteps = FIRST_ROUND_STEPS;
  /** Rounds sent and not yet reached by every run, oldest first: at most LOOKAHEAD_ROUNDS + 1 (barrier.ts). */
  private rounds: SentRound[] = [];
  /** When the last timed round was reached by every run (a pipelined round starts then); null: none since play. */
  private lastRoundMetAt: number | null = null;
  private lastFullAt = -Infinity;
  private lastMetricsAt = -Infinity;
  private pendingSteps = 0;
  private playing = false;
  private disposed = false;
  private rate = 0;
  // The coalesced hand-over.
  private pending = new Map<string, Snapshot>();
  private frames: FrameMessage[] = [];
  private progress = new Map<string, { runId: string; done: number; total: number }>();
  private failures: { runId: string; message: string }[] = [];
  private robustness: (RobustnessProgressMessage | RobustnessResultMessage)[] = [];
  private scheduled = false;
  private lastCommit = 0;
  private readonly now: () => number;
  // Recovery: the workers' life locks, each run's latest checkpoint, dead workers waiting for
  // Restart (with why), and the fault to hand over with the next commit (undefined: none new).
  private readonly watch: PoolWatch;
  private readonly checkpoints = new PoolCheckpoints();
  private readonly dead = new Map<number, string>();
  private fault: PoolFault | undefined;

  constructor(
    plans: readonly CompareRunPlan[],
    private readonly onBatch: (batch: CompareBatch) => void,
    private readonly options: ComparePoolOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.watch = new PoolWatch(options.locks, this.now);
    const size = Math.max(1, Math.min(options.size, plans.length || 1));
    const workerOf = assignWorkers(plans, size);
    plans.forEach((plan, i) => {
      this.runs.set(plan.runId, {
        plan,
        worker: workerOf[i],
        reached: null,
        sentTo: 0,
        active: true,
        status: null,
        failed: false,
        awaitingReset: false,
      });
    });
    for (let w = 0; w < size; w++) this.workers.push(this.startWorker(w));
    for (const run of this.runs.values()) for (const msg of runMessages(run.plan, null, options.points)) this.post(run.worker, msg);
  }

  get size(): number {
    return this.workers.length;
  }

  /** The step every run trains to (for tests and the bench). */
  get targetStep(): number {
    return this.target;
  }

  /** Whether the pool keeps advancing the runs. */
  get isPlaying(): boolean {
    return this.playing;
  }

  play(): void {
    if (this.disposed || this.playing) return;
    this.playing = true;
    this.lastRoundMetAt = null;
    this.pump();
  }

  /** Stops after the rounds sent (at most two); every run then stands paused at the same step, the last target. */
  pause(): void {
    if (this.disposed) return;
    const was = this.playing;
    this.playing = false;
    this.rate = 0;
    // Queued behind the rounds sent to each worker, so every run pauses at the target.
    if (was) for (const [runId, run] of this.runs) if (run.active) this.post(run.worker, { type: 'pause', runId });
    this.scheduleCommit();
  }

  /** Every run advances `steps` more steps, after the rounds under way (stepping pauses first). */
  step(steps = 1): void {
    if (this.disposed) return;
    this.pause();
    this.pendingSteps += Math.max(1, Math.floor(steps));
    this.pump();
  }

  /** Every run rebuilt from its seed; if playing, they go on together from step 0. */
  reset(): void {
    if (this.disposed) return;
    this.target = 0;
    this.pendingSteps = 0;
    this.rounds = [];
    this.lastRoundMetAt = null;
    this.lastFullAt = -Infinity;
    this.lastMetricsAt = -Infinity;
    for (const [runId, run] of this.runs) {
      if (run.failed) continue;
      run.reached = null;
      run.sentTo = 0;
      run.awaitingReset = true;
      run.active = true;
      this.pending.delete(runId);
      this.checkpoints.forget(runId);
      this.post(run.worker, { type: 'reset', runId });
    }
    this.frames = [];
  }

  /** New live settings (same runs, nothing to rebuild): each run gets its new params. */
  updatePlans(plans: readonly CompareRunPlan[]): void {
    for (const plan of plans) {
      const run = this.runs.get(plan.runId);
      if (!run || run.failed) continue;
      run.plan = plan;
      this.post(run.worker, { type: 'setParams', runId: plan.runId, params: plan.params });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.playing = false;
    this.watch.dispose();
    for (const w of this.workers) w?.terminate();
    this.workers.fill(null);
  }

  private startWorker(index: number): WorkerLike {
    const worker = this.options.createWorker();
    let heard = false;
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      heard = true;
      if (this.workers[index] === worker) this.receive(index, e.data);
    });
    worker.addEventListener('error', (e: Event) => {
      if (this.workers[index] !== worker) return;
      e.preventDefault();
      const message = (e as Partial<ErrorEvent>).message;
      const detail = typeof message === 'string' && message ? message : 'an unknown error';
      // Before its first message the script itself failed (it throws at top level, or did not load).
      if (!heard) this.workerGone(index, `its script failed to start (${detail})`);
      else this.failWorker(index, `its training worker failed (${detail})`);
    });
    // Its end is known at once, however busy it was (workerClient.ts does the same for the main run).
    this.watch.watch(index, worker, () => {
      if (this.workers[index] === worker) this.workerGone(index, 'it ended unexpectedly');
    });
    worker.addEventListener('messageerror', () => {
      if (this.workers[index] === worker) this.failWorker(index, 'a message from its training worker could not be read');
    });
    if (this.options.dataBaseUrl) worker.postMessage({ type: 'configure', dataBaseUrl: this.options.dataBaseUrl });
    return worker;
  }

  /** A message for one run's worker (robustness tests on compare runs). */
  send(runId: string, msg: ToWorker): void {
    const run = this.runs.get(runId);
    if (!run || this.disposed) return;
    if (!this.workers[run.worker] && msg.type === 'robustness') {
      // Its worker died and waits for Restart: answered at once rather than never.
      const error = 'its training worker stopped: press Restart first';
      this.robustness.push({
        type: 'robustnessResult',
        runId,
        requestId: msg.requestId,
        step: run.reached ?? 0,
        result: null,
        error,
        cancelled: false,
      });
      this.scheduleCommit();
      return;
    }
    this.post(run.worker, msg);
  }

  private post(worker: number, msg: ToWorker): void {
    this.workers[worker]?.postMessage(msg);
  }

  private receive(worker: number, msg: FromWorker): void {
    if (this.disposed || !msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'snapshot':
        this.receiveSnapshot(msg.snapshot);
        break;
      case 'frame':
        if (this.runs.get(msg.runId)?.awaitingReset && msg.step !== 0) break;
        this.frames.push(msg);
        this.scheduleCommit();
        break;
      case 'progress':
        if (!this.runs.has(msg.runId)) break;
        this.progress.set(msg.runId, { runId: msg.runId, done: msg.done, total: msg.total });
        this.scheduleCommit();
        break;
      case 'datasetError':
        this.failRuns([msg.runId], msg.message);
        break;
      case 'checkpoint': {
        // Kept to restore the run if its worker dies; an old run's (its reset not reached yet) is of no use.
        const run = this.runs.get(msg.runId);
        if (run && !run.failed && !run.awaitingReset) this.checkpoints.keep(msg.runId, msg.checkpoint);
        break;
      }
      case 'robustnessProgress':
      case 'robustnessResult':
        // Every one is kept (a result must never be dropped); they go with the next commit.
        if (!this.runs.has(msg.runId)) break;
        this.robustness.push(msg);
        this.scheduleCommit();
        break;
      case 'error':
        // An operation on one run failed, or a worker-wide one (an advance) did: then all its runs.
        if (msg.runId !== null && this.runs.has(msg.runId)) this.failRuns([msg.runId], msg.message);
        else this.failWorker(worker, msg.message);
        break;
      default:
        // Datasets, image data and pongs: compare mode shows none of them.
        break;
    }
  }

  private receiveSnapshot(s: Snapshot): void {
    const run = this.runs.get(s.runId);
    if (!run || run.failed) return;
    if (run.awaitingReset) {
      // Still the old run's (its worker had not reached the reset yet).
      if (s.step !== 0 || s.status === 'building') return;
      run.awaitingReset = false;
    }
    run.status = s.status;
    run.reached = s.status === 'building' ? null : s.step;
    run.active = !STOPPED.has(s.status);
    this.progress.delete(s.runId);
    this.pending.set(s.runId, mergeSnapshot(this.pending.get(s.runId), s));
    this.scheduleCommit();
    this.pump();
  }

  private failWorker(index: number, message: string): void {
    const ids = [...this.runs].filter(([, r]) => r.worker === index).map(([id]) => id);
    // Terminated on purpose: its life lock coming free is no news.
    this.watch.unwatch(index);
    this.workers[index]?.terminate();
    this.workers[index] = null;
    this.failRuns(ids, message);
  }

  private failRuns(runIds: string[], message: string): void {
    for (const id of runIds) {
      const run = this.runs.get(id);
      if (!run || run.failed) continue;
      run.failed = true;
      run.active = false;
      run.status = 'error';
      this.pending.delete(id);
      this.failures.push({ runId: id, message });
    }
    this.scheduleCommit();
    // The others need not wait for them.
    this.pump();
  }

  /** The runs of worker `index` that still count (not failed). */
  private runsOf(index: number): [string, PoolRun][] {
    return [...this.runs].filter(([, r]) => r.worker === index && !r.failed);
  }

  /**
   * Worker `index` has gone: its runs hold the others at the target until a fresh worker has
   * them. One starts at once if none was started by itself within the minute, else the notice
   * waits for Restart (the other runs then stand at the target, still in lockstep).
   */
  private workerGone(index: number, reason: string): void {
    if (this.disposed) return;
    this.watch.unwatch(index);
    this.workers[index]?.terminate();
    this.workers[index] = null;
    const runs = this.runsOf(index);
    for (const [id, run] of runs) {
      rejoinBarrier(run, 0, true);
      this.progress.delete(id);
    }
    if (runs.length === 0) return;
    if (this.watch.takeAutomaticRestart()) this.takeOver(index, reason);
    else {
      this.dead.set(index, reason);
      const waiting = runs.map(([runId, run]) => ({ runId, from: this.checkpoints.for(run.plan)?.step ?? null }));
      this.fault = poolFault('stopped', reason, waiting, this.target);
      this.scheduleCommit();
    }
  }

  /** A fresh worker at `index` takes over its runs: each from its checkpoint, else from its seed, then up to the target. */
  private takeOver(index: number, reason: string): void {
    this.dead.delete(index);
    this.workers[index] = this.startWorker(index);
    const restored = this.runsOf(index).map(([runId, run]) => {
      // A run whose reset its old worker never reached starts from its seed, as the reset would have.
      const checkpoint = run.awaitingReset ? null : this.checkpoints.for(run.plan);
      for (const msg of runMessages(run.plan, checkpoint, this.options.points)) this.post(index, msg);
      rejoinBarrier(run, checkpoint?.step ?? 0, false);
      return { runId, from: checkpoint?.step ?? null };
    });
    this.fault = poolFault('restarted', reason, restored, this.target);
    this.scheduleCommit();
    // Their catch-up advances follow the restore in the fresh worker's queue.
    this.pump();
  }

  /** The user's Restart: fresh workers for the dead ones that wait. */
  restart(): void {
    if (this.disposed) return;
    for (const [index, reason] of [...this.dead]) this.takeOver(index, reason);
  }

  /**
   * Sends what the barrier allows: catch-ups; single steps once every run stands at the target;
   * while playing, a new round once every run has reached the round before the newest one
   * (roundsMayFollow): one round of lookahead, so a worker has its next round queued when it
   * finishes one and never idles through the round trip to this thread.
   */
  private pump(): void {
    if (this.disposed) return;
    this.sendAdvances(this.playing ? 'tick' : 'full');
    this.retireRounds();
    if (![...this.runs.values()].some((r) => r.active)) return;
    if (this.pendingSteps > 0) {
      if (this.rounds.length > 0 || !barrierMet(this.runs.values(), this.target)) return;
      const steps = this.pendingSteps;
      this.pendingSteps = 0;
      this.startRound(steps, false, 'full');
      return;
    }
    while (this.playing && roundsMayFollow(this.runs.values(), this.rounds, this.target))
      this.startRound(this.roundSteps, true, this.readoutAt(this.now()));
  }

  /** Drops the rounds every run has reached; a timed one sets the rate and the next rounds' size. */
  private retireRounds(): void {
    while (this.rounds.length > 0 && barrierMet(this.runs.values(), this.rounds[0].target)) {
      const round = this.rounds.shift()!;
      const now = this.now();
      // A pipelined round starts when the one before it ends (or when sent, if later).
      const started = Math.max(round.sentAt, this.lastRoundMetAt ?? -Infinity);
      const roundMs = now - started;
      // Two rounds reached by one answer (a run caught up after its worker died) time nothing.
      if (round.timed && this.playing && roundMs > 0) {
        this.rate = (round.steps * 1000) / roundMs;
        this.roundSteps = nextRoundSteps(round.steps, roundMs);
      }
      this.lastRoundMetAt = round.timed ? now : null;
    }
  }

  private startRound(steps: number, timed: boolean, readout: AdvanceReadout): void {
    this.target += steps;
    this.rounds.push({ target: this.target, steps, sentAt: this.now(), timed });
    this.sendAdvances(readout);
  }

  /** A play round's read-out: full ones and evaluations of the metrics each at most so often, else the step only. */
  private readoutAt(now: number): AdvanceReadout {
    if (now - this.lastFullAt >= FULL_READOUT_INTERVAL_MS) {
      this.lastFullAt = this.lastMetricsAt = now;
      return 'full';
    }
    if (now - this.lastMetricsAt >= METRICS_READOUT_INTERVAL_MS) {
      this.lastMetricsAt = now;
      return 'metrics';
    }
    return 'tick';
  }

  /** One `advance` per worker and step count for every active run not yet sent to the target. */
  private sendAdvances(readout: AdvanceReadout): void {
    const groups = new Map<string, { worker: number; steps: number; runIds: string[] }>();
    for (const { key, steps } of advancesDue(this.runs, this.target)) {
      const run = this.runs.get(key)!;
      run.sentTo = this.target;
      const id = `${run.worker}:${steps}`;
      const group = groups.get(id) ?? { worker: run.worker, steps, runIds: [] };
      group.runIds.push(key);
      groups.set(id, group);
    }
    for (const g of groups.values())
      this.post(g.worker, { type: 'advance', runIds: g.runIds, steps: g.steps, readout, playing: this.playing });
  }

  private scheduleCommit(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    const commit = () => this.commit();
    if (this.options.schedule) {
      this.options.schedule(commit);
      return;
    }
    const wait = Math.max(0, this.lastCommit + COMMIT_INTERVAL_MS - performance.now());
    if (wait > 0) setTimeout(() => nextFrame(commit), wait);
    else nextFrame(commit);
  }

  private commit(): void {
    this.scheduled = false;
    if (this.disposed) return;
    this.lastCommit = performance.now();
    const batch: CompareBatch = {
      snapshots: [...this.pending.values()],
      frames: this.frames,
      progress: [...this.progress.values()],
      failures: this.failures,
      robustness: this.robustness,
      stepsPerSecond: this.playing ? this.rate : 0,
      ...(this.fault ? { fault: this.fault } : {}),
    };
    this.fault = undefined;
    this.robustness = [];
    this.pending = new Map();
    this.frames = [];
    this.progress = new Map();
    this.failures = [];
    this.onBatch(batch);
  }
}
