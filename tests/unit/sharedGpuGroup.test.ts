/**
 * The bookkeeping of runs sharing one GPU group (worker/gpu/sharedGroup.ts), on a fake device
 * group whose "training" adds the steps to every weight: requests of one turn become one
 * submission; a run that sits a round out is read back first and uploaded again before it next
 * trains; a run joining or leaving reallocates without losing anyone's weights.
 */
import { describe, expect, it } from 'vitest';
import { GpuRunCursor } from '../../src/core/fused/gpu/chunkPlan';
import type { GpuPlan } from '../../src/core/fused/gpu/gpuPlan';
import type { GpuRunState } from '../../src/core/fused/gpu/runState';
import { SharedGpuGroup, type CreateBuffers, type GroupBuffers, type GroupMember } from '../../src/worker/gpu/sharedGroup';

const P = 3;
const settings = { optimizer: 'adam' as const, learningRate: 0.01, momentum: 0, batchSize: 4, l2: 0 };

class FakeBuffers implements GroupBuffers {
  submissions = 0;
  dispatches = 0;
  reads = 0;
  readonly state: Float32Array[];
  constructor(runs: number) {
    this.state = Array.from({ length: runs }, () => new Float32Array(P).fill(Number.NaN));
  }
  writeRun(run: number, s: GpuRunState): void {
    this.state[run] = s.params.slice();
  }
  readRuns(): Promise<GpuRunState[]> {
    this.reads += 1;
    return Promise.resolve(this.state.map((p) => ({ params: p.slice(), slot1: new Float32Array(P), slot2: new Float32Array(P) })));
  }
  train(cursors: GpuRunCursor[], steps: number): void {
    cursors.forEach((c, r) => {
      c.step += steps;
      this.state[r] = this.state[r].map((v) => v + steps);
    });
    this.submissions += 1;
    this.dispatches += Math.ceil(steps / 8);
  }
  readReport(): Promise<{ loss: number; norm: number }[]> {
    return Promise.resolve(this.state.map((p) => ({ loss: p[0], norm: 0 })));
  }
  destroy(): void {}
}

/** A run whose CPU shadow is just its weights. */
class Member implements GroupMember {
  readonly cursor = GpuRunCursor.fromSeed(1, 16, settings);
  gpuAhead = false;
  shadowAhead = true;
  chunks = 0;
  pending: (() => void)[] = [];
  inGroup = true;
  constructor(public weights: number) {}
  get hasPending(): boolean {
    return this.pending.length > 0;
  }
  takeFromGpu(state: GpuRunState): void {
    this.weights = state.params[0];
    this.gpuAhead = false;
    for (const op of this.pending.splice(0)) op();
  }
  stateForUpload(): GpuRunState {
    this.shadowAhead = false;
    return { params: new Float32Array(P).fill(this.weights), slot1: new Float32Array(P), slot2: new Float32Array(P) };
  }
  belongsTo(): boolean {
    return this.inGroup;
  }
}

function setup() {
  const made: FakeBuffers[] = [];
  const create: CreateBuffers = (_d, _p, runs) => {
    const b = new FakeBuffers(runs);
    made.push(b);
    return Promise.resolve(b);
  };
  const group = new SharedGpuGroup(
    {} as GPUDevice,
    { batch: 4 } as GpuPlan,
    { x: new Float32Array(32), y: new Float32Array(16) },
    undefined,
    create,
  );
  return { group, made };
}

describe('SharedGpuGroup', () => {
  it('trains the requests of one turn in one submission, each run on its own weights', async () => {
    const { group, made } = setup();
    const runs = [new Member(0), new Member(100), new Member(200)];
    for (const r of runs) group.join(r);
    const reports = await Promise.all(runs.map((r) => group.request(r, 5)));
    expect(reports.map((r) => r!.loss)).toEqual([5, 105, 205]);
    expect(reports.every((r) => r!.steps === 5)).toBe(true);
    expect(made).toHaveLength(1);
    expect(made[0].submissions).toBe(1);
    expect(runs.every((r) => r.gpuAhead && r.cursor.step === 5 && r.chunks === 1)).toBe(true);
    expect(group.stats(runs[0])).toEqual({ runs: 3, chunks: 1, rounds: 1, runChunks: 3, submissions: 1, dispatches: 1 });
    // Another turn: nothing read back, nothing uploaded again.
    await Promise.all(runs.map((r) => group.request(r, 2)));
    expect(made[0].reads).toBe(0);
    expect(group.stats(runs[2])).toMatchObject({ rounds: 2, runChunks: 6, submissions: 2 });
  });

  it('reads back a run that sits a round out (its slot is trained over) and uploads it before it next trains', async () => {
    const { group, made } = setup();
    const [a, b] = [new Member(0), new Member(50)];
    group.join(a);
    group.join(b);
    await Promise.all([group.request(a, 3), group.request(b, 3)]);
    // b alone: a's newest weights (3) come back first, its slot then holds junk.
    await group.request(b, 4);
    expect(a.weights).toBe(3);
    expect(a.gpuAhead).toBe(false);
    expect(a.shadowAhead).toBe(true);
    expect(a.cursor.step).toBe(3);
    expect(made[0].reads).toBe(1);
    // a again: uploaded from its shadow, trained from 3.
    const [ra, rb] = await Promise.all([group.request(a, 1), group.request(b, 1)]);
    expect(ra!.loss).toBe(4);
    expect(rb!.loss).toBe(50 + 3 + 4 + 1);
  });

  it('trains requests of unequal length to the shortest; the rest waits for the run to ask again', async () => {
    const { group } = setup();
    const [a, b] = [new Member(0), new Member(0)];
    group.join(a);
    group.join(b);
    const [ra, rb] = await Promise.all([group.request(a, 2), group.request(b, 6)]);
    expect(ra).toEqual({ loss: 2, norm: 0, steps: 2 });
    // The group trained 2 steps of both and says so: the caller (the engine) asks for the rest.
    expect(rb).toEqual({ loss: 2, norm: 0, steps: 2 });
    expect(b.cursor.step).toBe(2);
    expect(await group.request(b, 4)).toEqual({ loss: 6, norm: 0, steps: 4 });
  });

  it('applies changes waiting for the device state in the round, and sends a run that moved out to place itself again', async () => {
    const { group } = setup();
    const [a, b] = [new Member(0), new Member(10)];
    group.join(a);
    group.join(b);
    await Promise.all([group.request(a, 1), group.request(b, 1)]);
    let seen = -1;
    a.pending.push(() => {
      seen = a.weights;
      a.inGroup = false;
    });
    const [ra, rb] = await Promise.all([group.request(a, 1), group.request(b, 1)]);
    expect(seen).toBe(1);
    expect(ra).toBeNull();
    expect(rb!.loss).toBe(12);
  });

  it('keeps every run weights when one joins or leaves (a new allocation), and frees the device group with the last', async () => {
    const { group, made } = setup();
    const [a, b, c] = [new Member(0), new Member(10), new Member(20)];
    group.join(a);
    group.join(b);
    await Promise.all([group.request(a, 2), group.request(b, 2)]);
    group.join(c);
    const reports = await Promise.all([a, b, c].map((r) => group.request(r, 1)));
    expect(made).toHaveLength(2);
    expect(reports.map((r) => r!.loss)).toEqual([3, 13, 21]);
    await group.leave(b);
    expect(b.weights).toBe(13);
    const after = await Promise.all([a, c].map((r) => group.request(r, 1)));
    expect(after.map((r) => r!.loss)).toEqual([4, 22]);
    expect(group.stats(a)).toMatchObject({ runs: 2, rounds: 3, runChunks: 7, submissions: 3 });
    group.drop(a);
    group.drop(c);
    expect(group.size).toBe(0);
    await expect(group.prepare()).rejects.toThrow(/destroyed/);
  });
});
