/**
 * Compare mode's worker pool against fake workers that answer like the real one (init: a ready
 * snapshot at step 0 and its frame; advance: each named run's steps, then a snapshot), each
 * holding its answers until the test lets them through: the lockstep barrier (no run is sent
 * past the target while another lags), pause, single steps, reset, and failing workers.
 */
import { describe, expect, it } from 'vitest';
import { comparePlan } from '../../src/core/compare/plan';
import { defaultParams } from '../../src/core/params';
import {
  advancesDue,
  barrierMet,
  comparePoolSize,
  MAX_ROUND_STEPS,
  LOOKAHEAD_ROUNDS,
  nextRoundSteps,
  rejoinBarrier,
  roundsMayFollow,
  TARGET_ROUND_MS,
  type BarrierRun,
} from '../../src/state/barrier';
import { ComparePool } from '../../src/state/comparePool';
import type { CompareBatch } from '../../src/state/compareSlice';
import type { WorkerLike } from '../../src/state/workerClient';
import type { FromWorker, RunCheckpoint, ToWorker } from '../../src/worker/protocol';
import type { CompareRunPlan } from '../../src/core/compare/plan';
import { PoolCheckpoints, poolFault, runMessages } from '../../src/state/poolRecovery';
import { AUTO_RESTART_WINDOW_MS } from '../../src/state/supervision';
import { snapshotFixture } from './snapshotFixture';
import { fakeLocks } from './fakeLocks';

/** A fake training worker: it keeps its runs' steps and holds its answers until `deliver`. */
class FakeWorker implements WorkerLike {
  readonly received: ToWorker[] = [];
  readonly steps = new Map<string, number>();
  private held: FromWorker[] = [];
  private onMessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  private onError: ((e: Event) => void) | null = null;
  terminated = false;
  /** Its life lock: taken as it starts (like src/worker/lifeLock.ts), freed when it ends. */
  readonly lifeLock: string;

  constructor(
    private readonly log: (w: FakeWorker, msg: ToWorker) => void,
    private readonly reported: Map<string, number>,
    private readonly lockSet: ReturnType<typeof fakeLocks> | null = null,
    index = 0,
  ) {
    this.lifeLock = `fake-compare-worker-${index}`;
    lockSet?.hold(this.lifeLock);
  }

  get holding(): number {
    return this.held.length;
  }

  postMessage(msg: ToWorker): void {
    if (this.terminated) return;
    this.received.push(msg);
    this.log(this, msg);
    const snap = (runId: string, status: 'ready' | 'running' | 'paused' = 'ready', partial = false) =>
      this.held.push({ type: 'snapshot', snapshot: snapshotFixture({ runId, step: this.steps.get(runId)!, status, partial }) });
    if (msg.type === 'init' || msg.type === 'reset') {
      this.steps.set(msg.runId, 0);
      this.held.push({
        type: 'frame',
        runId: msg.runId,
        step: 0,
        g: { grid: { min: -4, max: 4, size: 2 }, values: new Float32Array(4) },
        density: null,
        analysis: null,
      });
      snap(msg.runId);
    } else if (msg.type === 'advance') {
      for (const id of msg.runIds) {
        this.steps.set(id, this.steps.get(id)! + msg.steps);
        snap(id, msg.playing ? 'running' : 'paused', msg.readout === 'metrics');
      }
    } else if (msg.type === 'pause') {
      snap(msg.runId, 'paused');
    } else if (msg.type === 'restoreRun') {
      this.steps.set(msg.runId, msg.checkpoint.step);
      snap(msg.runId);
    }
  }

  addEventListener(type: string, fn: (e: never) => void): void {
    if (type === 'message') this.onMessage = fn as (e: MessageEvent<FromWorker>) => void;
    if (type === 'error') this.onError = fn as (e: Event) => void;
  }

  terminate(): void {
    this.terminated = true;
    this.lockSet?.release(this.lifeLock);
  }

  /** The worker closes itself (as `self.close()` from a test does): its answers are lost, its lock comes free. */
  close(): void {
    this.held = [];
    this.terminate();
  }

  /** Lets the held answers through (they may trigger more messages, which are held again). */
  deliver(): number {
    const out = this.held;
    this.held = [];
    for (const m of out) {
      if (m.type === 'snapshot') this.reported.set(m.snapshot.runId, m.snapshot.step);
      this.onMessage?.({ data: m } as MessageEvent<FromWorker>);
    }
    return out.length;
  }

  emit(m: FromWorker): void {
    this.onMessage?.({ data: m } as MessageEvent<FromWorker>);
  }

  fail(message: string): void {
    this.onError?.({ message, preventDefault: () => undefined } as unknown as Event);
  }

  advances(): Extract<ToWorker, { type: 'advance' }>[] {
    return this.received.filter((m): m is Extract<ToWorker, { type: 'advance' }> => m.type === 'advance');
  }
}

function setup(size = 2, models = ['twoArg', 'oneArg', 'relu'], seeds = 2, clock = { now: 0 }) {
  const lockSet = fakeLocks();
  const plans = comparePlan({ ...defaultParams(), compare: models, seeds });
  const workers: FakeWorker[] = [];
  const violations: string[] = [];
  // What each run's worker has reported (answers delivered to the pool), and the runs whose worker failed.
  const reported = new Map<string, number>();
  const failed = new Set<string>();
  const commits: (() => void)[] = [];
  const batches: CompareBatch[] = [];
  // Per run, the last two targets it was sent (a run just built, reset or restored starts afresh).
  const sentTargets = new Map<string, number[]>();
  const log = (_w: FakeWorker, msg: ToWorker) => {
    if (msg.type !== 'advance') return;
    // The barrier, with one round of lookahead: when a run is sent on from the end of a round it was
    // sent before, every run still training has reported the step that round started from (so no run
    // is ever more than one round past the last step every run has reached).
    for (const id of msg.runIds) {
      const from = workers.find((w) => !w.terminated && w.steps.has(id))!.steps.get(id)!;
      const [before, last] = sentTargets.get(id) ?? [];
      const required = last === from ? before : from;
      for (const [other, step] of reported)
        if (step < required && !failed.has(other)) violations.push(`${id} sent from ${from} while ${other} at ${step}`);
      sentTargets.set(id, [from, from + msg.steps]);
    }
  };
  const pool = new ComparePool(plans, (b) => batches.push(b), {
    size,
    createWorker: () => {
      const w = new FakeWorker(log, reported, lockSet, workers.length);
      workers.push(w);
      return w;
    },
    schedule: (c) => commits.push(c),
    locks: lockSet.locks,
    now: () => clock.now,
  });
  const commit = () => commits.splice(0).forEach((c) => c());
  const deliver = (w: FakeWorker) => w.deliver();
  /** Until no worker holds an answer (at most 50 rounds: a playing pool never stops by itself). */
  const deliverAll = () => {
    for (let i = 0; i < 50 && workers.some((w) => w.holding > 0); i++) for (const w of workers) w.deliver();
  };
  return { plans, pool, workers, violations, deliver, deliverAll, commit, batches, failed, reported, clock };
}

describe('compare pool', () => {
  it('assigns runs round-robin, configures nothing without a document, and inits every run lean on the shared data seed', () => {
    const { plans, workers } = setup(2);
    expect(workers).toHaveLength(2);
    expect(workers.flatMap((w) => w.received).some((m) => m.type === 'configure')).toBe(false);
    const inits = workers.map((w) => w.received.filter((m) => m.type === 'init'));
    expect(inits.map((l) => l.length)).toEqual([3, 3]);
    expect(inits[0].map((m) => m.type === 'init' && m.runId)).toEqual([plans[0].runId, plans[2].runId, plans[4].runId]);
    for (const m of inits.flat()) expect(m).toMatchObject({ lean: true, dataSeed: defaultParams().seed });
  });

  it('advances in lockstep with one round of lookahead: no run is sent more than one round past a run that lags', () => {
    const { pool, workers, violations, deliver } = setup(2);
    for (const w of workers) deliver(w);
    pool.play();
    // The round under way and the next one, queued, so no worker waits for the page between rounds.
    expect(workers.map((w) => w.advances().length)).toEqual([2, 2]);
    // The first worker answers quickly, again and again; the second holds its answers: nothing more is sent.
    for (let i = 0; i < 5; i++) deliver(workers[0]);
    expect(workers[0].advances()).toHaveLength(2);
    // The second reports both rounds: each one reached lets one more round follow.
    deliver(workers[1]);
    expect(workers.map((w) => w.advances().length)).toEqual([4, 4]);
    for (let i = 0; i < 20; i++) deliver(workers[i % 2]);
    expect(violations).toEqual([]);
    const steps = workers.flatMap((w) => [...w.steps.values()]);
    expect(Math.max(...steps) - Math.min(...steps)).toBeLessThanOrEqual(Math.max(...workers[0].advances().map((a) => a.steps)));
    // Both workers' advances name the same targets.
    const targets = (w: FakeWorker) => w.advances().reduce<number[]>((t, a) => [...t, (t.at(-1) ?? 0) + a.steps], []);
    expect(targets(workers[0]).slice(0, 10)).toEqual(targets(workers[1]).slice(0, 10));
  });

  it('pause stops sending: the rounds sent finish and every run stands at the same step', () => {
    const { pool, workers, deliver, deliverAll } = setup(2);
    deliverAll();
    pool.play();
    deliver(workers[0]);
    pool.pause();
    const sent = workers.map((w) => w.advances().length);
    // Two rounds were sent (the one under way and the next): both finish, then every run stops at the last target.
    expect(sent).toEqual([2, 2]);
    deliverAll();
    expect(workers.map((w) => w.advances().length)).toEqual(sent);
    expect(workers.flatMap((w) => w.received.filter((m) => m.type === 'pause'))).toHaveLength(6);
    const steps = new Set(workers.flatMap((w) => [...w.steps.values()]));
    expect([...steps]).toEqual([pool.targetStep]);
  });

  it('single steps wait for the round under way, then move every run the same number of steps, paused', () => {
    const { pool, workers, deliverAll } = setup(2);
    deliverAll();
    pool.play();
    pool.step(3);
    expect(workers.flatMap((w) => w.advances()).every((a) => a.playing)).toBe(true);
    deliverAll();
    const last = workers.map((w) => w.advances().at(-1));
    expect(last.map((a) => [a.steps, a.playing, a.readout])).toEqual([
      [3, false, 'full'],
      [3, false, 'full'],
    ]);
    expect(new Set(workers.flatMap((w) => [...w.steps.values()]))).toEqual(new Set([pool.targetStep]));
    pool.step(2);
    deliverAll();
    expect(new Set(workers.flatMap((w) => [...w.steps.values()]))).toEqual(new Set([pool.targetStep]));
    expect(pool.isPlaying).toBe(false);
  });

  it('reset rebuilds every run; answers of the old runs are dropped; playing goes on from step 0 together', () => {
    const { pool, workers, deliver, commit, batches, violations } = setup(2);
    for (const w of workers) deliver(w);
    pool.play();
    for (const w of workers) deliver(w);
    // The first worker has finished the next two rounds; the second still holds its answers (both rounds) when the reset comes.
    deliver(workers[0]);
    expect(workers[1].holding).toBe(6);
    pool.reset();
    commit();
    batches.length = 0;
    deliver(workers[1]);
    commit();
    const snaps = batches.flatMap((b) => b.snapshots);
    expect(snaps).toHaveLength(3);
    expect(snaps.every((s) => s.step === 0)).toBe(true);
    // The first worker's runs have not reported step 0 yet: nothing is sent.
    const sent = workers.map((w) => w.advances().length);
    expect(workers[1].holding).toBe(0);
    deliver(workers[0]);
    // Both go on from step 0 together: the first round and the next one, queued.
    expect(workers.map((w) => w.advances().length)).toEqual(sent.map((n) => n + 2));
    const fresh = workers[0]
      .advances()
      .slice(-2)
      .reduce((t, a) => t + a.steps, 0);
    expect(pool.targetStep).toBe(fresh);
    for (const w of workers) expect(new Set(w.steps.values())).toEqual(new Set([fresh]));
    expect(violations).toEqual([]);
    pool.pause();
  });

  it('a failing worker marks its runs as failed; the others keep training in lockstep', () => {
    const { pool, workers, deliver, commit, batches, failed, violations } = setup(2);
    for (const w of workers) deliver(w);
    pool.play();
    workers[1].fail('out of memory');
    for (const id of workers[1].steps.keys()) failed.add(id);
    commit();
    const failures = batches.flatMap((b) => b.failures);
    expect(failures.map((f) => f.runId).sort()).toEqual([...workers[1].steps.keys()].sort());
    expect(failures[0].message).toMatch(/out of memory/);
    expect(workers[1].terminated).toBe(true);
    for (let i = 0; i < 5; i++) deliver(workers[0]);
    expect(workers[0].advances().length).toBeGreaterThan(3);
    expect(violations).toEqual([]);
  });

  it("an error from an operation fails its run (or, without a run, the worker's runs); snapshots are coalesced per commit", () => {
    const { pool, workers, deliver, commit, batches } = setup(1, ['twoArg'], 2);
    deliver(workers[0]);
    commit();
    expect(batches.at(-1).snapshots).toHaveLength(2);
    expect(batches.at(-1).frames).toHaveLength(2);
    workers[0].emit({ type: 'error', runId: 'twoArg-s1', message: 'bad' });
    commit();
    expect(batches.at(-1).failures).toEqual([{ runId: 'twoArg-s1', message: 'bad' }]);
    pool.play();
    // The failed run is left out of the advance.
    expect(workers[0].advances()[0].runIds).toEqual(['twoArg-s2']);
    workers[0].emit({ type: 'error', runId: null, message: 'advance failed' });
    commit();
    expect(batches.at(-1).failures).toEqual([{ runId: 'twoArg-s2', message: 'advance failed' }]);
    pool.dispose();
    expect(workers[0].terminated).toBe(true);
  });
});

/** A checkpoint as a worker sends it (only what the pool reads of it is real). */
function checkpointAt(plan: CompareRunPlan, step: number, params = plan.params): RunCheckpoint {
  return { params, step, epoch: 0, session: 2, weights: [new Float32Array(3)], gInit: null, history: [] } as unknown as RunCheckpoint;
}

/** Lets the fake lock manager's promises run (a freed life lock is granted to the page's queued request). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

const typed = <T extends ToWorker['type']>(w: FakeWorker, type: T) =>
  w.received.filter((m): m is Extract<ToWorker, { type: T }> => m.type === type);

describe('compare pool: a worker that dies', () => {
  it('is replaced at once: its runs come back from their checkpoints and catch up to the target while the others wait there', async () => {
    const { plans, pool, workers, deliver, deliverAll, commit, batches, violations, reported } = setup(2);
    deliverAll();
    pool.play();
    for (let i = 0; i < 3; i++) for (const w of workers) deliver(w);
    // The worker sends each run's checkpoint at the step they all reported.
    const ids = [...workers[1].steps.keys()];
    const saved = reported.get(ids[0])!;
    for (const id of ids)
      workers[1].emit({
        type: 'checkpoint',
        runId: id,
        checkpoint: checkpointAt(
          plans.find((p) => p.runId === id)!,
          saved,
        ),
      });
    for (let i = 0; i < 2; i++) for (const w of workers) deliver(w);
    deliver(workers[0]);
    const target = pool.targetStep;
    expect(target).toBeGreaterThan(saved);
    const sentBefore = workers[0].advances().length;

    workers[1].close();
    await settle();
    expect(workers).toHaveLength(3);
    const fresh = workers[2];
    expect(typed(fresh, 'restoreRun').map((m) => [m.runId, m.checkpoint.step, m.lean, m.dataSeed])).toEqual(
      ids.map((id) => [id, saved, true, plans[0].dataSeed]),
    );
    expect(typed(fresh, 'init')).toEqual([]);
    // Queued behind the restores: the steps up to the target, no further.
    expect(fresh.advances().map((a) => [a.runIds.sort(), a.steps])).toEqual([[[...ids].sort(), target - saved]]);
    deliver(workers[0]);
    expect(workers[0].advances()).toHaveLength(sentBefore);
    commit();
    expect(batches.flatMap((b) => (b.fault ? [b.fault] : []))).toEqual([
      { kind: 'restarted', reason: 'it ended unexpectedly', runIds: ids, from: saved, rebuilt: 0, target },
    ]);
    // The restored runs report the target; the lockstep goes on with every run (a round and the next, queued).
    deliver(fresh);
    expect(workers[0].advances()).toHaveLength(sentBefore + 2);
    for (let i = 0; i < 6; i++) for (const w of [workers[0], fresh]) deliver(w);
    pool.pause();
    deliverAll();
    expect(new Set([...workers[0].steps.values(), ...fresh.steps.values()])).toEqual(new Set([pool.targetStep]));
    expect(pool.targetStep).toBeGreaterThan(target);
    expect(violations).toEqual([]);
  });

  it('a second death within a minute waits for Restart (the others stand at the target); after a minute it restarts by itself again', async () => {
    const clock = { now: 1000 };
    const { pool, workers, deliver, deliverAll, commit, batches, violations } = setup(2, ['twoArg', 'relu'], 2, clock);
    deliverAll();
    pool.play();
    for (let i = 0; i < 2; i++) for (const w of workers) deliver(w);
    const ids = [...workers[1].steps.keys()];
    workers[1].close();
    await settle();
    // No checkpoint came: rebuilt from the seeds on the comparison's data, then trained to the target.
    expect(typed(workers[2], 'init').map((m) => [m.runId, m.lean])).toEqual(ids.map((id) => [id, true]));
    expect(workers[2].advances()[0].steps).toBe(pool.targetStep);
    commit();
    expect(batches.at(-1).fault).toMatchObject({ kind: 'restarted', from: 0, rebuilt: 2 });
    deliver(workers[2]);
    deliver(workers[0]);
    pool.pause();
    deliverAll();

    // Every run stands at the target when the fresh worker dies too.
    clock.now += 30_000;
    workers[2].close();
    await settle();
    expect(workers).toHaveLength(3);
    commit();
    expect(batches.at(-1).fault).toMatchObject({ kind: 'stopped', runIds: ids, target: pool.targetStep });
    const target = pool.targetStep;
    const sent = workers[0].advances().length;
    // Neither Step nor Play moves the others past the runs that wait for a worker.
    pool.step(3);
    pool.play();
    for (let i = 0; i < 5; i++) deliver(workers[0]);
    expect(workers[0].advances()).toHaveLength(sent);
    expect(pool.targetStep).toBe(target);
    // A robustness test on a run without a worker is answered at once.
    pool.send(ids[0], { type: 'robustness', runId: ids[0], requestId: 7 } as ToWorker);
    commit();
    expect(batches.at(-1).robustness).toMatchObject([{ type: 'robustnessResult', runId: ids[0], requestId: 7, result: null }]);

    pool.restart();
    expect(workers).toHaveLength(4);
    commit();
    expect(batches.at(-1).fault).toMatchObject({ kind: 'restarted', runIds: ids });
    for (let i = 0; i < 4; i++) for (const w of [workers[0], workers[3]]) deliver(w);
    expect(pool.targetStep).toBeGreaterThan(target);

    clock.now += AUTO_RESTART_WINDOW_MS;
    workers[3].close();
    await settle();
    expect(workers).toHaveLength(5);
    expect(violations).toEqual([]);
    pool.dispose();
    await settle();
    expect(workers).toHaveLength(5);
  });

  it('a worker whose script fails to start is replaced; checkpoints of a run before its reset are not used', async () => {
    const { plans, pool, workers, deliver, deliverAll, commit, batches } = setup(2, ['twoArg'], 2);
    deliverAll();
    pool.step(5);
    deliverAll();
    const id = [...workers[1].steps.keys()][0];
    workers[1].emit({ type: 'checkpoint', runId: id, checkpoint: checkpointAt(plans[1], 5) });
    pool.reset();
    // The old run's checkpoint arriving after the reset was sent is dropped too.
    workers[1].emit({ type: 'checkpoint', runId: id, checkpoint: checkpointAt(plans[1], 5) });
    deliver(workers[1]);
    workers[1].close();
    await settle();
    expect(typed(workers[2], 'restoreRun')).toEqual([]);
    expect(typed(workers[2], 'init').map((m) => m.runId)).toEqual([id]);
    // That fresh worker's script fails before it says anything: a death, not a failed run (the budget is spent: Restart).
    workers[2].fail('SyntaxError: injected');
    commit();
    expect(batches.at(-1).fault).toMatchObject({ kind: 'stopped', reason: 'its script failed to start (SyntaxError: injected)' });
    expect(batches.flatMap((b) => b.failures)).toEqual([]);
  });
});

describe('recovery bookkeeping', () => {
  const plans = comparePlan({ ...defaultParams(), compare: ['twoArg'], seeds: 2 });

  it('keeps the latest checkpoint per run, forgets it on reset, and uses one only for the run as planned now', () => {
    const kept = new PoolCheckpoints();
    expect(kept.for(plans[0])).toBeNull();
    kept.keep(plans[0].runId, checkpointAt(plans[0], 10));
    kept.keep(plans[0].runId, checkpointAt(plans[0], 30));
    expect(kept.for(plans[0])?.step).toBe(30);
    expect(kept.for(plans[1])).toBeNull();
    // A live setting changed since: still the same run.
    expect(kept.for({ ...plans[0], params: { ...plans[0].params, lr: 0.5 } })?.step).toBe(30);
    kept.keep(plans[1].runId, checkpointAt(plans[1], 30, { ...plans[1].params, hidden: [3] }));
    expect(kept.for(plans[1])).toBeNull();
    kept.forget(plans[0].runId);
    expect(kept.for(plans[0])).toBeNull();
  });

  it('restores from a checkpoint (copied, lean, on the shared data), else builds from the seed with the user’s points', () => {
    const cp = checkpointAt(plans[0], 40);
    expect(runMessages(plans[0], cp, null)).toEqual([
      {
        type: 'restoreRun',
        runId: plans[0].runId,
        params: plans[0].params,
        checkpoint: cp,
        points: null,
        dataSeed: plans[0].dataSeed,
        lean: true,
      },
    ]);
    const custom = { ...plans[0], params: { ...plans[0].params, dataset: 'custom' as const } };
    const points = { x: new Float32Array([0, 1, 1, 0]), y: new Float32Array([0, 1]) };
    const [init, setPoints] = runMessages(custom, null, points);
    expect(init).toEqual({ type: 'init', runId: custom.runId, params: custom.params, dataSeed: custom.dataSeed, lean: true });
    expect(setPoints).toMatchObject({ type: 'setPoints', x: points.x, y: points.y });
    expect(setPoints.type === 'setPoints' && setPoints.x).not.toBe(points.x);
    expect(runMessages(plans[0], null, points)).toHaveLength(1);
  });

  it('the notice names the lowest step the runs go on from and how many were rebuilt from their seeds', () => {
    const restored = [
      { runId: 'a', from: 120 },
      { runId: 'b', from: null },
    ];
    expect(poolFault('restarted', 'it ended', restored, 150)).toEqual({
      kind: 'restarted',
      reason: 'it ended',
      runIds: ['a', 'b'],
      from: 0,
      rebuilt: 1,
      target: 150,
    });
    expect(poolFault('stopped', 'x', [{ runId: 'a', from: 120 }], 150)).toMatchObject({ from: 120, rebuilt: 0 });
  });
});

describe('lockstep barrier decisions', () => {
  it('waits for every active run; inactive ones never hold the others back', () => {
    const runs = new Map([
      ['a', { reached: 10, sentTo: 10, active: true }],
      ['b', { reached: 5, sentTo: 10, active: true }],
      ['c', { reached: 3, sentTo: 10, active: false }],
    ]);
    expect(barrierMet(runs.values(), 10)).toBe(false);
    runs.get('b')!.reached = 10;
    expect(barrierMet(runs.values(), 10)).toBe(true);
    expect(barrierMet([{ reached: null, sentTo: 0, active: true }], 0)).toBe(false);
    runs.set('d', { reached: 0, sentTo: 0, active: true });
    expect(advancesDue(runs, 10)).toEqual([{ key: 'd', steps: 10 }]);
  });

  it('a run whose worker died holds the others at the target, is sent nothing until taken over, then only the steps to the target', () => {
    const runs = new Map<string, BarrierRun>([
      ['a', { reached: 40, sentTo: 40, active: true }],
      ['b', { reached: 40, sentTo: 40, active: false }],
    ]);
    expect(barrierMet(runs.values(), 40)).toBe(true);
    // b had diverged, its worker died: it comes back too (and diverges again where it did).
    rejoinBarrier(runs.get('b')!, 0, true);
    expect(runs.get('b')).toEqual({ reached: null, sentTo: 0, active: true, orphaned: true });
    expect(barrierMet(runs.values(), 40)).toBe(false);
    expect(advancesDue(runs, 40)).toEqual([]);
    rejoinBarrier(runs.get('b')!, 25, false);
    expect(advancesDue(runs, 40)).toEqual([{ key: 'b', steps: 15 }]);
    runs.get('b')!.reached = 40;
    expect(barrierMet(runs.values(), 40)).toBe(true);
  });

  it('one round of lookahead: a round follows once every run has reached the step the newest starts from, never a third', () => {
    const round = (target: number, steps: number) => ({ target, steps, sentAt: 0, timed: true });
    const runs = new Map<string, BarrierRun>([
      ['a', { reached: 10, sentTo: 30, active: true }],
      ['b', { reached: 20, sentTo: 30, active: true }],
    ]);
    expect(LOOKAHEAD_ROUNDS).toBe(1);
    // Nothing outstanding: a round may follow once everyone stands at the target.
    expect(roundsMayFollow(runs.values(), [], 10)).toBe(true);
    expect(roundsMayFollow(runs.values(), [], 20)).toBe(false);
    // One outstanding (10 -> 30): the next may follow now, since every run has reached 10...
    expect(roundsMayFollow(runs.values(), [round(30, 20)], 30)).toBe(true);
    // ...but not while one lags behind the step the newest round starts from.
    runs.get('a')!.reached = 5;
    expect(roundsMayFollow(runs.values(), [round(30, 20)], 30)).toBe(false);
    // Two outstanding: never a third, however far the runs are.
    runs.get('a')!.reached = 30;
    runs.get('b')!.reached = 30;
    expect(roundsMayFollow(runs.values(), [round(30, 20), round(50, 20)], 50)).toBe(false);
    // A run whose worker died (nothing reported since) holds everyone, with or without rounds outstanding.
    rejoinBarrier(runs.get('b')!, 20, true);
    expect(roundsMayFollow(runs.values(), [], 30)).toBe(false);
    expect(roundsMayFollow(runs.values(), [round(50, 20)], 50)).toBe(false);
  });

  it('sizes rounds to about TARGET_ROUND_MS, changing at most by a factor 2 a round', () => {
    expect(nextRoundSteps(100, TARGET_ROUND_MS)).toBe(100);
    expect(nextRoundSteps(100, TARGET_ROUND_MS * 1.5)).toBe(67);
    expect(nextRoundSteps(100, TARGET_ROUND_MS * 10)).toBe(50);
    expect(nextRoundSteps(100, 1)).toBe(200);
    expect(nextRoundSteps(MAX_ROUND_STEPS, 1)).toBe(MAX_ROUND_STEPS);
    expect(nextRoundSteps(1, 1e6)).toBe(1);
  });

  it('pool size: one worker per spare core, at most 4, at least 1, never more than runs', () => {
    expect(comparePoolSize(8, 12)).toBe(4);
    expect(comparePoolSize(3, 12)).toBe(2);
    expect(comparePoolSize(1, 12)).toBe(1);
    expect(comparePoolSize(undefined, 12)).toBe(1);
    expect(comparePoolSize(16, 2)).toBe(2);
  });
});
