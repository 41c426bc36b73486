/**
 * Robustness tests through the worker's message handler, in Node on the cpu backend with run
 * hosts built directly: progress then one answer whose size-0 point is the run's own test
 * accuracy; training paused meanwhile and resumed after only if it was playing; Cancel acting
 * outside the queue (while running, and before a queued request starts); a diverged run
 * reported as diverged; bad requests answered with an error, never thrown; image data.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageAsset } from '../../src/core/data/imageAssets';
import { defaultParams, type Params } from '../../src/core/params';
import { defaultSizes } from '../../src/core/robustness/settings';
import { createHandler, interrupt, type WorkerContext } from '../../src/worker/operations';
import type {
  FromWorker,
  RobustnessProgressMessage,
  RobustnessRequest,
  RobustnessResultMessage,
  Snapshot,
  ToWorker,
} from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

const digits = decodeImageAsset(readFileSync('public/data/digits.bin'));

function worker() {
  const posted: FromWorker[] = [];
  const snapshots: Snapshot[] = [];
  /** The run's step whenever a progress message went out (training must stand still meanwhile). */
  const stepsDuringTest: number[] = [];
  const ctx: WorkerContext = {
    hosts: new Map(),
    backend: { name: 'cpu', reason: 'test' },
    post: (m) => {
      posted.push(m);
      if (m.type === 'robustnessProgress') stepsDuringTest.push(ctx.hosts.get(m.runId)!.totalSteps);
    },
  };
  const handle = createHandler(ctx);
  /** As train.worker.ts does: interrupt first, else the queue (here: handled at once). */
  const send = (msg: ToWorker): Promise<void> => (interrupt(ctx, msg) ? Promise.resolve() : handle(msg));
  const addHost = async (overrides: Partial<Params> = {}, runId = 'main') => {
    const h = new RunHost(
      runId,
      // A small network: the cpu backend is slow, and the checks do not need a large one.
      { ...defaultParams(), pretrain: 0, hidden: [6], ...overrides },
      { name: 'cpu', reason: 'test' },
      { snapshot: (s) => snapshots.push(s), dataset: () => undefined, progress: () => undefined },
      { loadImages: () => Promise.resolve(digits) },
    );
    ctx.hosts.set(runId, h);
    await h.build();
    return h;
  };
  const results = () => posted.filter((m): m is RobustnessResultMessage => m.type === 'robustnessResult');
  const progress = () => posted.filter((m): m is RobustnessProgressMessage => m.type === 'robustnessProgress');
  const lastSnapshot = () => snapshots[snapshots.length - 1];
  return { ctx, send, addHost, posted, results, progress, lastSnapshot, stepsDuringTest };
}

function request(overrides: Partial<RobustnessRequest> = {}): RobustnessRequest {
  return {
    type: 'robustness',
    runId: 'main',
    requestId: 1,
    kind: 'fgsm',
    sizes: defaultSizes('fgsm', false),
    pgdSteps: 10,
    pgdStepFraction: 0.25,
    randomStart: true,
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('robustness through the worker', () => {
  it('reports progress, then a curve whose size 0 is the test accuracy shown; a paused run stays paused', async () => {
    const w = worker();
    const h = await w.addHost();
    await h.step(40);
    const shown = w.lastSnapshot().history.at(-1);
    await w.send(request());
    const [answer] = w.results();
    expect(answer).toMatchObject({ runId: 'main', requestId: 1, step: 40, error: null, cancelled: false });
    expect(answer.result?.diverged).toBe(false);
    if (answer.result?.diverged !== false) return;
    const curve = answer.result.curve;
    expect(curve.sizes).toEqual(defaultSizes('fgsm', false));
    expect(curve.accuracy[0]).toBeCloseTo(shown.testAcc, 6);
    // Larger attacks never help a model.
    expect(curve.accuracy.at(-1)).toBeLessThanOrEqual(curve.accuracy[0]);
    const p = w.progress();
    expect(p.length).toBeGreaterThan(0);
    expect(p.at(-1).done).toBe(p.at(-1).total);
    for (let i = 1; i < p.length; i++) expect(p[i].done).toBeGreaterThan(p[i - 1].done);
    // The progress came before the answer.
    expect(w.posted.indexOf(p.at(-1))).toBeLessThan(w.posted.indexOf(answer));
    // Nothing restarted a run that was not playing.
    await sleep(100);
    expect(h.totalSteps).toBe(40);
    await h.dispose();
  });

  it('pauses a playing run while it tests and resumes it after', async () => {
    const w = worker();
    const h = await w.addHost();
    h.play();
    while (h.totalSteps < 20) await sleep(20);
    await w.send(request({ kind: 'pgd', pgdSteps: 5, sizes: [0, 0.2] }));
    const [answer] = w.results();
    expect(answer.error).toBeNull();
    // The weights tested stood still: the answer's step is where training stopped, and it goes on from there.
    const tested = answer.step;
    expect(tested).toBeGreaterThanOrEqual(20);
    expect(w.stepsDuringTest.length).toBeGreaterThan(0);
    expect(new Set(w.stepsDuringTest)).toEqual(new Set([tested]));
    while (h.totalSteps <= tested) await sleep(20);
    await h.pause();
    await h.dispose();
  });

  it('Cancel acts at once on a running test, and on a queued one before it starts', async () => {
    const w = worker();
    const h = await w.addHost();
    await h.step(5);
    const running = w.send(request({ kind: 'pgd', pgdSteps: 200, requestId: 7 }));
    while (w.progress().length === 0) await sleep(5);
    await w.send({ type: 'cancelRobustness', runId: 'main' });
    await running;
    expect(w.results()).toEqual([expect.objectContaining({ requestId: 7, cancelled: true, result: null, error: null })]);
    const sent = w.progress().length;

    // A request known on arrival (interrupt), cancelled while it waits in the queue.
    const queued = request({ requestId: 8 });
    expect(interrupt(w.ctx, queued)).toBe(false);
    await w.send({ type: 'cancelRobustness', runId: 'main' });
    await w.send(queued);
    expect(w.results()[1]).toMatchObject({ requestId: 8, cancelled: true, result: null });
    expect(w.progress().length).toBe(sent);
    // A later request runs normally.
    await w.send(request({ requestId: 9, sizes: [0, 0.1] }));
    expect(w.results()[2]).toMatchObject({ requestId: 9, cancelled: false, error: null });
    await h.dispose();
  });

  it('a diverged run is reported as diverged, not plotted', async () => {
    const w = worker();
    const h = await w.addHost({ optimizer: 'sgd', lr: 3, ln: false });
    h.play();
    for (let i = 0; i < 200 && w.lastSnapshot().status !== 'diverged'; i++) await sleep(25);
    expect(w.lastSnapshot().status).toBe('diverged');
    await w.send(request({ kind: 'noise', sizes: defaultSizes('noise', false) }));
    const [answer] = w.results();
    expect(answer.result?.diverged).toBe(true);
    if (answer.result?.diverged) expect(answer.result.reason).toMatch(/diverged/);
    await h.dispose();
  });

  it('answers bad requests and unknown runs with an error and never throws', async () => {
    const w = worker();
    const h = await w.addHost();
    await w.send(request({ requestId: 1, kind: 'bogus' as never }));
    await w.send(request({ requestId: 2, sizes: [NaN, -1, 99] }));
    await w.send(request({ requestId: 3, runId: 'nobody' }));
    // Out-of-range options are clamped, not refused (size 0 only: no PGD step runs).
    await w.send(request({ requestId: 4, kind: 'pgd', pgdSteps: 1e6, pgdStepFraction: -3, sizes: [0, 0, -1] }));
    const r = w.results();
    expect(r[0].error).toMatch(/unknown perturbation "bogus"/);
    expect(r[1].error).toMatch(/no usable perturbation size/);
    expect(r[2]).toMatchObject({ runId: 'nobody', error: 'no run named nobody' });
    expect(r[3].error).toBeNull();
    expect(r[3].result).toMatchObject({ diverged: false, curve: { sizes: [0] } });
    await h.dispose();
  });

  it('tests image data on its test set (digits), size 0 equal to the test accuracy', async () => {
    const w = worker();
    const h = await w.addHost({ dataset: 'digits', hidden: [8] });
    await h.step(30);
    const shown = w.lastSnapshot().history.at(-1);
    await w.send(request({ sizes: defaultSizes('fgsm', true) }));
    const [answer] = w.results();
    expect(answer.error).toBeNull();
    if (!answer.result || answer.result.diverged) throw new Error('expected a curve');
    expect(answer.result.curve.examples).toBe(digits.testY.length);
    expect(answer.result.curve.accuracy[0]).toBeCloseTo(shown.testAcc, 6);
    // eps 0.3 on the [-1, 1] scale is a strong attack on an MLP trained for 30 steps.
    expect(answer.result.curve.accuracy.at(-1)).toBeLessThan(answer.result.curve.accuracy[0]);
    await h.dispose();
  });
});
