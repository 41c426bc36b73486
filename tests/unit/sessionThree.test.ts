/**
 * Session III's story in the run host: where it began and the accuracy with the learned g just
 * before, kept in every snapshot, across a backend switch (g stays frozen) and a worker restart.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, type Params } from '../../src/core/params';
import type { RunCheckpoint, Snapshot } from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

function host(overrides: Partial<Params> = {}) {
  const snapshots: Snapshot[] = [];
  const checkpoints: RunCheckpoint[] = [];
  const h = new RunHost(
    'main',
    { ...defaultParams(), pretrain: 0, hidden: [4], ...overrides },
    { name: 'cpu', reason: 'test' },
    {
      snapshot: (s) => snapshots.push(s),
      dataset: () => undefined,
      progress: () => undefined,
      checkpoint: (m) => checkpoints.push(m.checkpoint),
    },
  );
  return { h, checkpoints, last: () => snapshots[snapshots.length - 1] };
}

describe('Session III story', () => {
  it('records the step g was frozen at and the metrics with the learned g just before', async () => {
    const { h, last } = host();
    await h.build();
    expect(last().sessionThree ?? null).toBeNull();
    await h.step(30);
    const trained = last().history[last().history.length - 1];
    await h.startSessionThree();
    const s = last();
    expect(s.session).toBe(3);
    expect(s.sessionThree?.step).toBe(30);
    // "before" is the trained network's own accuracy at that step, not the re-initialised one's.
    expect(s.sessionThree?.before.testAcc).toBe(trained.testAcc);
    expect(s.sessionThree?.before.step).toBe(30);
    await h.step(5);
    expect(last().sessionThree?.step).toBe(30);
    // A reset (a rebuild) ends it.
    await h.build();
    expect(last().session).toBe(2);
    expect(last().sessionThree ?? null).toBeNull();
    await h.dispose();
  });

  it('a backend switch keeps Session III: g stays frozen and the story stays', async () => {
    const { h, last } = host();
    await h.build();
    await h.step(20);
    await h.startSessionThree();
    await h.step(5);
    const g = last().g!.values.slice();
    const story = last().sessionThree;
    const saved = await h.exportWeights();
    expect(saved?.session).toBe(3);
    await h.importAfterSwitch({ name: 'cpu', reason: 'switched' }, saved);
    expect(last().session).toBe(3);
    expect(last().sessionThree).toEqual(story);
    expect(last().step).toBe(25);
    await h.step(10);
    // Frozen: training after the switch leaves g exactly as it was.
    expect(last().g!.values).toEqual(g);
    expect(last().session).toBe(3);
    await h.dispose();
  });

  it('a fresh worker taking over keeps where Session III began', async () => {
    const a = host();
    await a.h.build();
    await a.h.step(10);
    await a.h.startSessionThree();
    const cp = a.checkpoints[a.checkpoints.length - 1];
    expect(cp.sessionThree?.step).toBe(10);
    const b = host();
    await b.h.restore(structuredClone(cp), null);
    expect(b.last().session).toBe(3);
    expect(b.last().sessionThree).toEqual(cp.sessionThree);
    await a.h.dispose();
    await b.h.dispose();
  });
});
