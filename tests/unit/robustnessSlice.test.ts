/**
 * The store's robustness slice with fake transports: what it sends (to the main run's worker,
 * or through a per-run send as compare mode's pool gives it), progress over several runs,
 * results, diverged and failed runs, Cancel (at once on the page, late answers ignored), a new
 * test replacing a running one, and results dropped exactly when the model is rebuilt.
 */
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/core/params';
import type { RobustnessCurve } from '../../src/core/robustness/attacks';
import { defaultSizes } from '../../src/core/robustness/settings';
import { robustnessProgress, robustnessRunning } from '../../src/state/robustnessSlice';
import { createAppStore, MAIN_RUN } from '../../src/state/store';
import type { RobustnessRequest, RobustnessResultMessage, ToWorker } from '../../src/worker/protocol';

function setup(dataset: 'xor' | 'digits' = 'xor') {
  const sent: ToWorker[] = [];
  const store = createAppStore({ ...defaultParams(), dataset });
  store.getState().connect((m) => sent.push(m));
  sent.length = 0; // the init message
  return { store, sent, s: () => store.getState() };
}

const curve = (accuracy: number[], sizes = accuracy.map((_, i) => i / 10)): RobustnessCurve => ({
  kind: 'fgsm',
  sizes,
  accuracy,
  examples: 100,
});

function result(runId: string, requestId: number, over: Partial<RobustnessResultMessage> = {}): RobustnessResultMessage {
  return { type: 'robustnessResult', runId, requestId, step: 50, result: null, error: null, cancelled: false, ...over };
}

describe('the robustness slice', () => {
  it('tests the main run through the store transport on the 2D grid, then keeps its curve', () => {
    const { store, sent, s } = setup();
    s().startRobustness([MAIN_RUN]);
    expect(sent).toEqual([
      {
        type: 'robustness',
        runId: MAIN_RUN,
        requestId: 1,
        kind: 'fgsm',
        sizes: defaultSizes('fgsm', false),
        pgdSteps: 10,
        pgdStepFraction: 0.25,
        randomStart: true,
      },
    ]);
    expect(defaultSizes('fgsm', false).at(-1)).toBe(0.5);
    const test = s().robustness.test!;
    expect(test).toMatchObject({ requestId: 1, kind: 'fgsm', image: false, runs: { main: { status: 'queued', curve: null } } });
    expect(robustnessRunning(test)).toBe(true);

    s().receive({ type: 'robustnessProgress', runId: MAIN_RUN, requestId: 1, done: 5, total: 22 });
    expect(s().robustness.test!.runs.main).toMatchObject({ status: 'running', done: 5, total: 22 });
    expect(robustnessProgress(s().robustness.test).fraction).toBeCloseTo(5 / 22, 12);

    const c = curve([0.9, 0.5]);
    s().receive(result(MAIN_RUN, 1, { result: { diverged: false, curve: c } }));
    expect(s().robustness.test!.runs.main).toMatchObject({ status: 'done', curve: c, step: 50, done: 22, total: 22 });
    expect(robustnessRunning(s().robustness.test)).toBe(false);
    expect(robustnessProgress(s().robustness.test).fraction).toBe(1);
    // Training on (no rebuild) keeps the result.
    s().play();
    s().setParam('lr', 0.05);
    expect(store.getState().robustness.test?.runs.main.curve).toBe(c);
  });

  it('image data and noise use their own grids: eps 0..0.3 on the pixel scale, sigma 0..1', () => {
    const { sent, s } = setup('digits');
    s().startRobustness([MAIN_RUN]);
    expect(sent[0]).toMatchObject({ sizes: defaultSizes('fgsm', true) });
    expect((sent[0] as RobustnessRequest).sizes.at(-1)).toBe(0.3);
    expect(s().robustness.test!.image).toBe(true);
    s().setRobustnessOptions({ kind: 'noise' });
    s().startRobustness([MAIN_RUN]);
    const noise = sent.at(-1) as RobustnessRequest;
    expect(noise.kind).toBe('noise');
    expect(noise.sizes).toEqual(defaultSizes('noise', true));
    expect(noise.sizes.at(-1)).toBe(1);
  });

  it('reaches several runs through the given send, pools their progress, and marks diverged and failed runs', () => {
    const { sent, s } = setup();
    const pool: [string, ToWorker][] = [];
    const send = (runId: string, msg: ToWorker) => pool.push([runId, msg]);
    s().startRobustness(['twoArg-s1', 'twoArg-s2', 'relu-s1'], send);
    expect(sent).toEqual([]); // nothing through the main transport
    expect(pool.map(([id, m]) => [id, m.type, (m as RobustnessRequest).runId])).toEqual([
      ['twoArg-s1', 'robustness', 'twoArg-s1'],
      ['twoArg-s2', 'robustness', 'twoArg-s2'],
      ['relu-s1', 'robustness', 'relu-s1'],
    ]);
    const id = s().robustness.test!.requestId;
    s().receiveRobustness({ type: 'robustnessProgress', runId: 'twoArg-s1', requestId: id, done: 11, total: 22 });
    // Mean of the runs' fractions: 0.5, 0 and 0 (not started).
    expect(robustnessProgress(s().robustness.test)).toEqual({ done: 11, total: 22, fraction: 0.5 / 3 });
    s().receiveRobustness(result('twoArg-s1', id, { result: { diverged: false, curve: curve([1, 0.8]) } }));
    s().receiveRobustness(result('twoArg-s2', id, { result: { diverged: true, reason: 'training diverged' } }));
    expect(robustnessProgress(s().robustness.test).fraction).toBeCloseTo(2 / 3, 12);
    s().receiveRobustness(result('relu-s1', id, { error: 'out of memory' }));
    const runs = s().robustness.test!.runs;
    expect(runs['twoArg-s2']).toMatchObject({ status: 'diverged', reason: 'training diverged', curve: null });
    expect(runs['relu-s1']).toMatchObject({ status: 'error', reason: 'out of memory' });
    expect(robustnessRunning(s().robustness.test)).toBe(false);
    // A message for a run outside the test, or of another request, changes nothing.
    const before = s().robustness;
    s().receiveRobustness(result('tanh-s1', id, { cancelled: true }));
    s().receiveRobustness(result('relu-s1', id + 1, { cancelled: true }));
    expect(s().robustness).toBe(before);
  });

  it('Cancel stops the open runs at once through the same send; late answers change nothing; finished curves stay', () => {
    const { s } = setup();
    const pool: [string, ToWorker][] = [];
    s().startRobustness(['a', 'b'], (runId, msg) => pool.push([runId, msg]));
    const id = s().robustness.test!.requestId;
    const c = curve([1, 0.7]);
    s().receiveRobustness(result('a', id, { result: { diverged: false, curve: c } }));
    s().cancelRobustness();
    expect(pool.slice(2)).toEqual([['b', { type: 'cancelRobustness', runId: 'b' }]]);
    expect(s().robustness.test!.runs.b.status).toBe('cancelled');
    expect(robustnessRunning(s().robustness.test)).toBe(false);
    s().receiveRobustness({ type: 'robustnessProgress', runId: 'b', requestId: id, done: 3, total: 4 });
    s().receiveRobustness(result('b', id, { result: { diverged: false, curve: curve([1, 1]) } }));
    expect(s().robustness.test!.runs.b).toMatchObject({ status: 'cancelled', curve: null });
    expect(s().robustness.test!.runs.a.curve).toBe(c);
  });

  it('a new test while one runs cancels it first; the old answers are ignored', () => {
    const { sent, s } = setup();
    s().startRobustness([MAIN_RUN]);
    s().setRobustnessOptions({ kind: 'pgd', pgdSteps: 20, randomStart: false });
    s().startRobustness([MAIN_RUN]);
    expect(sent.map((m) => m.type)).toEqual(['robustness', 'cancelRobustness', 'robustness']);
    expect(sent[2]).toMatchObject({ requestId: 2, kind: 'pgd', pgdSteps: 20, randomStart: false });
    s().receive(result(MAIN_RUN, 1, { cancelled: true }));
    expect(s().robustness.test).toMatchObject({ requestId: 2, kind: 'pgd', runs: { main: { status: 'queued' } } });
  });

  it('drops results when the model is rebuilt (a structural param, reset, Session III), cancelling a running test', () => {
    const { sent, s } = setup();
    s().startRobustness([MAIN_RUN]);
    s().receive(result(MAIN_RUN, 1, { result: { diverged: false, curve: curve([1]) } }));
    s().setParam('seed', 77); // rebuilds
    expect(s().robustness.test).toBeNull();

    for (const rebuild of [() => s().reset(), () => s().startSessionThree(), () => s().setParam('hidden', [3])]) {
      s().startRobustness([MAIN_RUN]);
      const id = s().robustness.test!.requestId;
      sent.length = 0;
      rebuild();
      // The test on the old model is cancelled before the rebuild is asked for; its answer is ignored.
      expect(sent[0]).toEqual({ type: 'cancelRobustness', runId: MAIN_RUN });
      expect(s().robustness.test).toBeNull();
      s().receive(result(MAIN_RUN, id, { result: { diverged: false, curve: curve([1]) } }));
      expect(s().robustness.test).toBeNull();
    }
  });

  it('forgets only the runs rebuilt; a lost worker ends what was open as an error', () => {
    const { s } = setup();
    s().startRobustness(['a', 'b', 'c'], () => undefined);
    const id = s().robustness.test!.requestId;
    s().receiveRobustness(result('a', id, { result: { diverged: false, curve: curve([1]) } }));
    s().forgetRobustness(['a']);
    expect(Object.keys(s().robustness.test!.runs)).toEqual(['b', 'c']);
    s().failRobustness(['b'], 'the training worker stopped');
    expect(s().robustness.test!.runs.b).toMatchObject({ status: 'error', reason: 'the training worker stopped' });
    expect(s().robustness.test!.runs.c.status).toBe('queued');
    s().forgetRobustness(['b', 'c']);
    expect(s().robustness.test).toBeNull();
  });

  it('clamps PGD options and ignores an unknown kind', () => {
    const { s } = setup();
    s().setRobustnessOptions({ kind: 'pgd', pgdSteps: 1e9, pgdStepFraction: 0 });
    expect(s().robustness.options).toEqual({ kind: 'pgd', pgdSteps: 200, pgdStepFraction: 0.01, randomStart: true });
    s().setRobustnessOptions({ kind: 'autoattack' as never });
    expect(s().robustness.options.kind).toBe('pgd');
    s().setRobustnessOptions({ pgdSteps: NaN });
    expect(s().robustness.options.pgdSteps).toBe(10);
    // Nothing to test: nothing sent, nothing recorded.
    s().startRobustness([]);
    expect(s().robustness.test).toBeNull();
  });
});
