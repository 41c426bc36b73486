/**
 * Which compare runs share a WebGPU dispatch (worker/gpu/gpuGrouping.ts) and how lockstep gives
 * the runs of one group their turns together with one chunk size (worker/lockstep.ts).
 */
import { describe, expect, it } from 'vitest';
import { comparePlan } from '../../src/core/compare/plan';
import { defaultParams, type Params } from '../../src/core/params';
import { gpuShareTag } from '../../src/worker/gpu/gpuGrouping';
import { advanceInLockstep, lockstepTurns, type LockstepRun } from '../../src/worker/lockstep';
import { assignWorkers } from '../../src/state/poolAssignment';

const base = (): Params => ({ ...defaultParams(), seed: 3 });

/** Run ids by share tag, in plan order (null tags each alone). */
function groupsOf(runs: { runId: string; params: Params; dataSeed?: number }[]): string[][] {
  const byTag = new Map<string, string[]>();
  const out: string[][] = [];
  for (const r of runs) {
    const tag = gpuShareTag(r.params, r.dataSeed);
    const group = tag === null ? undefined : byTag.get(tag);
    if (group) group.push(r.runId);
    else {
      const fresh = [r.runId];
      out.push(fresh);
      if (tag !== null) byTag.set(tag, fresh);
    }
  }
  return out;
}

describe('gpuShareTag: which runs train in one GPU group', () => {
  it("groups a comparison's seeds by model: 3 models x 4 seeds are 3 groups of 4", () => {
    const plans = comparePlan({ ...base(), compare: ['twoArg', 'oneArg', 'relu'], seeds: 4 });
    expect(groupsOf(plans)).toEqual([
      ['twoArg-s3', 'twoArg-s4', 'twoArg-s5', 'twoArg-s6'],
      ['oneArg-s3', 'oneArg-s4', 'oneArg-s5', 'oneArg-s6'],
      ['relu-s3', 'relu-s4', 'relu-s5', 'relu-s6'],
    ]);
  });

  it('keeps runs apart that differ in anything but the seed, or are drawn on other data', () => {
    const p = base();
    const tag = gpuShareTag(p, 3);
    expect(tag).not.toBeNull();
    expect(gpuShareTag({ ...p, seed: 9 }, 3)).toBe(tag);
    expect(gpuShareTag({ ...p, lr: p.lr * 2 }, 3)).not.toBe(tag);
    expect(gpuShareTag({ ...p, batch: p.batch === 32 ? 16 : 32 }, 3)).not.toBe(tag);
    expect(gpuShareTag({ ...p, model: 'relu' }, 3)).not.toBe(tag);
    // Another data seed: other data, so another group.
    expect(gpuShareTag(p, 4)).not.toBe(tag);
  });

  it('lets a run without a data seed (a single run: its data follows its own seed) train alone', () => {
    expect(gpuShareTag(base(), undefined)).toBeNull();
    expect(gpuShareTag(base(), Number.NaN)).toBeNull();
    const single = [0, 1].map((i) => ({ runId: `r${i}`, params: { ...base(), seed: i } }));
    expect(groupsOf(single)).toEqual([['r0'], ['r1']]);
  });

  it('does not depend on the order of the keys in the params', () => {
    const p = base();
    const reversed = Object.fromEntries(Object.entries(p).reverse()) as unknown as Params;
    expect(gpuShareTag(reversed, 3)).toBe(gpuShareTag(p, 3));
  });
});

/** A lockstep run that records its turns; `chunk` is the most it trains per turn. */
class FakeRun implements LockstepRun {
  turns: number[] = [];
  active = 0;
  static concurrent = 0;
  static maxConcurrent = 0;
  constructor(
    readonly name: string,
    readonly turnGroup: object | null,
    private readonly chunk: number,
  ) {}
  beginAdvance(): Promise<boolean> {
    return Promise.resolve(true);
  }
  plannedChunk(max: number): number {
    return Math.min(this.chunk, max);
  }
  async advanceChunk(max: number): Promise<number> {
    const n = Math.min(this.chunk, max);
    FakeRun.concurrent += 1;
    FakeRun.maxConcurrent = Math.max(FakeRun.maxConcurrent, FakeRun.concurrent);
    await Promise.resolve();
    FakeRun.concurrent -= 1;
    this.turns.push(n);
    return n;
  }
  endAdvance(): Promise<void> {
    return Promise.resolve();
  }
}

describe('lockstep turns of runs that share a GPU group', () => {
  it('puts the runs of one group in one turn, in order of their first run; runs without a group alone', () => {
    const a = {};
    const b = {};
    const runs = [
      { id: 1, turnGroup: a },
      { id: 2, turnGroup: null },
      { id: 3, turnGroup: b },
      { id: 4, turnGroup: a },
      { id: 5 },
      { id: 6, turnGroup: b },
    ];
    expect(lockstepTurns(runs).map((t) => t.map((r) => r.id))).toEqual([[1, 4], [2], [3, 6], [5]]);
  });

  it('trains a group together with the smallest chunk of its runs, every run to the same step', async () => {
    const group = {};
    const runs = [new FakeRun('a', group, 7), new FakeRun('b', group, 4), new FakeRun('c', group, 9), new FakeRun('alone', null, 5)];
    FakeRun.maxConcurrent = 0;
    await advanceInLockstep(runs, 20, 'tick', true);
    // The group's turns are of 4 steps (b's chunk), all three together; the lone run keeps its own.
    for (const r of runs.slice(0, 3)) expect(r.turns).toEqual([4, 4, 4, 4, 4]);
    expect(runs[3].turns).toEqual([5, 5, 5, 5]);
    expect(FakeRun.maxConcurrent).toBe(3);
  });

  it('goes on without a run that stopped (diverged), the others of its group still together', async () => {
    const group = {};
    const runs = [new FakeRun('a', group, 5), new FakeRun('b', group, 5), new FakeRun('c', group, 5)];
    runs[1].advanceChunk = async (max) => {
      runs[1].turns.push(max);
      return runs[1].turns.length === 2 ? 0 : Math.min(5, max);
    };
    await advanceInLockstep(runs, 20, 'tick', true);
    expect(runs[0].turns).toEqual([5, 5, 5, 5]);
    expect(runs[1].turns).toEqual([5, 5]);
    expect(runs[2].turns).toEqual([5, 5, 5, 5]);
  });
});

describe("assignWorkers: compare mode's runs over the pool", () => {
  const plans = (backend: Params['backend'], seeds = 4) =>
    comparePlan({ ...base(), backend, compare: ['twoArg', 'oneArg', 'relu'], seeds }).map((p) => p);

  it('deals the runs round-robin on the CPU engines', () => {
    expect(assignWorkers(plans('fused'), 3)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it("keeps each model's seeds on one worker on webgpu-fused, so they share its GPU dispatches", () => {
    const p = plans('webgpu-fused');
    const workers = assignWorkers(p, 3);
    expect(workers).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    // Every seed of a model is in one share group and on one worker.
    for (let i = 0; i < p.length; i++)
      for (let j = 0; j < p.length; j++)
        if (gpuShareTag(p[i].params, p[i].dataSeed) === gpuShareTag(p[j].params, p[j].dataSeed)) expect(workers[i]).toBe(workers[j]);
    // Fewer workers than models: contiguous blocks, every worker used.
    expect(assignWorkers(p, 2)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(assignWorkers(p, 1).every((w) => w === 0)).toBe(true);
    expect(new Set(assignWorkers(plans('webgpu-fused', 1), 4))).toEqual(new Set([0, 1, 2]));
  });
});
