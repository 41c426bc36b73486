/**
 * Compare mode in the worker: runs of different seeds built with one data seed see the same
 * data; lean runs leave out the decision surface and later frames, and send their checkpoints
 * at the steps they stop at (a fresh pool worker restores them lean, on the same data); the
 * `advance` operation trains several runs of one worker in turns to the same step; the
 * bootstrap verdict arrives in snapshots of two-argument runs only; the engines' density
 * arguments agree between tfjs and the fused engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, type Params } from '../../src/core/params';
import { datasetFromParams, specFromParams, trainingDataFrom2D } from '../../src/core/run';
import { fusedEngine, tfjsEngine } from '../../src/worker/engine';
import { advanceInLockstep, type LockstepRun } from '../../src/worker/lockstep';
import { createHandler, type WorkerContext } from '../../src/worker/operations';
import type { DatasetMessage, FromWorker, RunCheckpoint, Snapshot } from '../../src/worker/protocol';
import { RunHost, type RunOptions } from '../../src/worker/runHost';
import { BOOTSTRAP_RESAMPLES, verdictDue, verdictSeed } from '../../src/worker/verdict';
import { maxDiff, wasmKernels } from './fusedHelpers';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

const base = (over: Partial<Params> = {}): Params => ({ ...defaultParams(), pretrain: 0, ...over });

function host(params: Params, options: RunOptions = {}) {
  const snapshots: Snapshot[] = [];
  const datasets: DatasetMessage[] = [];
  const frames: number[] = [];
  const saved: RunCheckpoint[] = [];
  const h = new RunHost(
    params.model + params.seed,
    params,
    { name: 'fused', reason: 'test' },
    {
      snapshot: (s) => snapshots.push(s),
      dataset: (d) => datasets.push(d),
      progress: () => undefined,
      frame: (f) => frames.push(f.step),
      checkpoint: (c) => saved.push(c.checkpoint),
    },
    {},
    options,
  );
  return { h, snapshots, datasets, frames, saved, checkpoints: () => saved.length, last: () => snapshots[snapshots.length - 1] };
}

describe('compare runs in the worker', () => {
  it('a data seed gives every run the same data whatever its own seed; without it the data follows the seed', async () => {
    const a = host(base({ seed: 5 }), { dataSeed: 1 });
    const b = host(base({ seed: 6 }), { dataSeed: 1 });
    const c = host(base({ seed: 6 }));
    await Promise.all([a.h.build(), b.h.build(), c.h.build()]);
    expect(b.datasets[0].trainX).toEqual(a.datasets[0].trainX);
    expect(b.datasets[0].testY).toEqual(a.datasets[0].testY);
    expect(c.datasets[0].trainX).not.toEqual(a.datasets[0].trainX);
    // The runs' own seeds still differ: their initial g differ.
    expect(b.last().g!.values).not.toEqual(a.last().g!.values);
    await Promise.all([a.h.dispose(), b.h.dispose(), c.h.dispose()]);
  });

  it('a lean run sends no decision surface and only the step-0 frame; its checkpoints come at the steps it stops at', async () => {
    const lean = host(base(), { lean: true });
    await lean.h.build();
    await lean.h.step(45);
    expect(lean.last().step).toBe(45);
    expect(lean.last().decision).toBeNull();
    expect(lean.last().g).not.toBeNull();
    expect(lean.frames).toEqual([0]);
    expect(lean.saved.map((c) => c.step)).toEqual([0, 45]);
    // Lockstep: a paused advance ends with one; while playing they come at most every PAGE_CHECKPOINT_INTERVAL_MS.
    await advanceInLockstep([lean.h], 5, 'full', false);
    expect(lean.saved.map((c) => c.step)).toEqual([0, 45, 50]);
    await advanceInLockstep([lean.h], 5, 'tick', true);
    await advanceInLockstep([lean.h], 5, 'tick', true);
    expect(lean.saved.length).toBeLessThanOrEqual(4);
    const normal = host(base());
    await normal.h.build();
    await normal.h.step(45);
    expect(normal.last().decision).not.toBeNull();
    expect(normal.frames).toEqual([0, 20, 40]);
    expect(normal.checkpoints()).toBeGreaterThan(0);
    await Promise.all([lean.h.dispose(), normal.h.dispose()]);
  });

  it('a fresh worker restores a lean run on the shared data from its checkpoint, and an advance trains it on as it would have gone', async () => {
    const params = base({ seed: 5 });
    const a = host(params, { lean: true, dataSeed: 1 });
    await a.h.build();
    await a.h.step(20);
    const cp = a.saved.at(-1);
    await a.h.step(25);
    const posted: FromWorker[] = [];
    const ctx: WorkerContext = { hosts: new Map(), backend: { name: 'fused', reason: 'test' }, post: (m) => posted.push(m) };
    const handle = createHandler(ctx);
    await handle({ type: 'restoreRun', runId: 'r', params, checkpoint: structuredClone(cp), points: null, dataSeed: 1, lean: true });
    await handle({ type: 'advance', runIds: ['r'], steps: 25, readout: 'full', playing: false });
    const data = posted.find((m): m is DatasetMessage => m.type === 'dataset')!;
    expect(data.trainX).toEqual(a.datasets[0].trainX);
    const snaps = posted.flatMap((m) => (m.type === 'snapshot' ? [m.snapshot] : []));
    expect(snaps[0].step).toBe(20);
    const last = snaps.at(-1);
    expect(last.step).toBe(45);
    expect(last.decision).toBeNull();
    expect(last.history.at(-1).trainLoss).toBeCloseTo(a.last().history.at(-1).trainLoss, 5);
    expect(maxDiff([last.g!.values], [a.last().g!.values]).diff).toBeLessThan(1e-5);
    await a.h.dispose();
    await ctx.hosts.get('r')!.dispose();
  });

  it('the bootstrap verdict comes with a two-argument g when the run stops, and is null for ReLU', async () => {
    const two = host(base());
    await two.h.build();
    // Not computed at the build (the first heatmap must not wait for it).
    expect(two.last().bootstrap).toBeNull();
    await two.h.step(30);
    const v = two.last().bootstrap!;
    expect(v.step).toBe(30);
    expect(v.resamples).toBeGreaterThanOrEqual(BOOTSTRAP_RESAMPLES);
    expect(['soft-xor', 'soft-xnor', 'not-saddle', 'undecided']).toContain(v.verdict);
    expect(v.relativeDet.lo).toBeLessThanOrEqual(v.relativeDet.hi);
    // Deterministic: the same run at the same step gives the same verdict.
    const again = host(base());
    await again.h.build();
    await again.h.step(30);
    expect(again.last().bootstrap).toEqual(v);
    const relu = host(base({ model: 'relu' }));
    await relu.h.build();
    await relu.h.step(30);
    expect(relu.last().bootstrap).toBeNull();
    await Promise.all([two.h.dispose(), again.h.dispose(), relu.h.dispose()]);
  });

  it('verdicts are paced by training time and cost, and never twice for one step', () => {
    const clock = { trainedMsAtLast: 1000, costMs: 100, computedAt: 50_000 };
    expect(verdictDue(10, null, 2000, clock, false, 60_000)).toBe(false);
    expect(verdictDue(10, null, 3000, clock, false, 60_000)).toBe(true);
    // A run that stops gets one for its step, but not for every step clicked in a row.
    expect(verdictDue(10, null, 1001, clock, true, 60_000)).toBe(true);
    expect(verdictDue(10, null, 1001, clock, true, 50_500)).toBe(false);
    expect(verdictDue(10, 10, 9000, clock, true, 60_000)).toBe(false);
    // An expensive verdict spaces the next ones out (its share of training time stays bounded).
    expect(verdictDue(10, 5, 3000, { ...clock, costMs: 400 }, false, 60_000)).toBe(false);
    expect(verdictSeed(3, 7)).toBe(verdictSeed(3, 7));
    expect(verdictSeed(3, 7)).not.toBe(verdictSeed(3, 8));
  });
});

describe('lockstep advance', () => {
  it('trains the runs in turns of one chunk each, each to the same step; a diverging run drops out', async () => {
    const turns: string[] = [];
    const ended: string[] = [];
    const fake = (name: string, chunk: number, divergeAt = Infinity): LockstepRun & { step: number } => ({
      step: 0,
      beginAdvance: async () => true,
      async advanceChunk(max) {
        turns.push(name);
        const n = Math.min(chunk, max);
        if (this.step + n >= divergeAt) return 0;
        this.step += n;
        return n;
      },
      async endAdvance() {
        ended.push(name);
      },
    });
    const a = fake('a', 10);
    const b = fake('b', 25);
    const c = fake('c', 10, 15);
    await advanceInLockstep([a, b, c], 50, 'metrics', true);
    expect(a.step).toBe(50);
    expect(b.step).toBe(50);
    expect(c.step).toBe(10);
    // Turns alternate: no run trains twice in a row while another still has steps to go.
    expect(turns.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(turns.filter((t) => t === 'a')).toHaveLength(5);
    expect(ended).toEqual(['a', 'b', 'c']);
  });

  it('the worker builds compare runs and advances them together, publishing one snapshot each', async () => {
    const posted: FromWorker[] = [];
    const ctx: WorkerContext = { hosts: new Map(), backend: { name: 'fused', reason: 'test' }, post: (m) => posted.push(m) };
    const handle = createHandler(ctx);
    const runs = [base({ seed: 1 }), base({ seed: 2 }), base({ model: 'relu', seed: 1, match: true })];
    const ids = ['twoArg-s1', 'twoArg-s2', 'relu-s1'];
    for (const [i, params] of runs.entries()) await handle({ type: 'init', runId: ids[i], params, dataSeed: 1, lean: true });
    const snaps = () => posted.flatMap((m) => (m.type === 'snapshot' ? [m.snapshot] : []));
    const lastOf = (id: string) =>
      snaps()
        .filter((s) => s.runId === id)
        .at(-1);
    posted.length = 0;
    await handle({ type: 'advance', runIds: ids, steps: 37, readout: 'metrics', playing: true });
    expect(snaps().map((s) => s.runId)).toEqual(ids);
    for (const id of ids) {
      expect(lastOf(id).step).toBe(37);
      expect(lastOf(id).status).toBe('running');
      expect(lastOf(id).partial).toBe(true);
    }
    // A tick reports the step without evaluating the metrics again.
    await handle({ type: 'advance', runIds: ids, steps: 3, readout: 'tick', playing: true });
    for (const id of ids) {
      expect(lastOf(id).step).toBe(40);
      expect(lastOf(id).history.at(-1)?.step).toBe(37);
    }
    await handle({ type: 'advance', runIds: [...ids, 'gone'], steps: 10, readout: 'full', playing: false });
    for (const id of ids) {
      expect(lastOf(id).step).toBe(50);
      expect(lastOf(id).status).toBe('paused');
      expect(lastOf(id).partial).toBe(false);
      expect(lastOf(id).history.at(-1)?.step).toBe(50);
    }
    expect(lastOf('twoArg-s1').bootstrap?.step).toBe(50);
    expect(lastOf('relu-s1').bootstrap).toBeNull();
    // One checkpoint per run, at the step they stopped at together (for the pool to restore from).
    expect(
      posted.flatMap((m) => (m.type === 'checkpoint' ? [[m.runId, m.checkpoint.step]] : [])).filter(([, step]) => step === 50),
    ).toEqual(ids.map((id) => [id, 50]));
    expect(posted.some((m) => m.type === 'frame')).toBe(false);
    for (const id of ids) await handle({ type: 'dispose', runId: id });
  });
});

describe('density arguments on both engines', () => {
  it('tfjs and the fused engine collect the same (a, b) pairs; models without g(a, b) have none', async () => {
    const params = base({ seed: 3 });
    const spec = specFromParams(params);
    const data = trainingDataFrom2D(datasetFromParams(params));
    const [ref, fused] = [await tfjsEngine(spec, data), await fusedEngine(spec, data, await wasmKernels())];
    try {
      await ref.trainChunk(5);
      await fused.trainChunk(5);
      const [a, b] = [(await ref.densityArguments())!, (await fused.densityArguments())!];
      const examples = Math.min(256, data.trainY.length);
      expect(a.examples).toBe(examples);
      expect(b.examples).toBe(examples);
      expect(a.perLayer).toHaveLength(ref.hiddenUnits.length);
      a.perLayer.forEach((pairs, l) => expect(pairs).toHaveLength(examples * 2 * ref.hiddenUnits[l]));
      const { diff, scale } = maxDiff(a.perLayer, b.perLayer);
      expect(diff / scale).toBeLessThan(1e-3);
    } finally {
      ref.dispose();
      fused.dispose();
    }
    const reluSpec = specFromParams({ ...params, model: 'relu' });
    const relu = await fusedEngine(reluSpec, data, await wasmKernels());
    expect(await relu.densityArguments()).toBeNull();
    relu.dispose();
  });
});
