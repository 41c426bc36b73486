/**
 * The run file through the worker's run host (Node, cpu backend): export reads the run at one
 * step; import rebuilds from the params with Session I skipped and loads g, so exporting again
 * gives the same g, and g on the grid is the same picture.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, type Params } from '../../src/core/params';
import { buildRunFile, readRunFile, serializeRunFile } from '../../src/state/runFile';
import type { Snapshot } from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import { useCpuBackend } from './tfSetup';

beforeAll(useCpuBackend);

function host(overrides: Partial<Params> = {}) {
  const snapshots: Snapshot[] = [];
  const h = new RunHost(
    'main',
    { ...defaultParams(), pretrain: 20, ...overrides },
    { name: 'cpu', reason: 'test' },
    {
      snapshot: (s) => snapshots.push(s),
      dataset: () => undefined,
      progress: () => undefined,
    },
  );
  const last = (): Snapshot => {
    const s = snapshots.filter((x) => !x.partial).at(-1);
    if (!s) throw new Error('no full snapshot yet');
    return s;
  };
  return { h, last };
}

describe('run export and import in the run host', () => {
  it('export -> file -> import -> export gives the same params and g; the heatmap matches', async () => {
    const a = host({ dataset: 'circle', seed: 5, hidden: [6, 6] });
    await a.h.build();
    await a.h.step(15);
    const exported = await a.h.exportRun();
    expect(exported.step).toBe(15);
    expect(exported.history.at(-1)?.step).toBe(15);
    expect(exported.analysis?.verdict).toMatch(/soft-xor|soft-xnor|not-saddle/);
    expect(exported.gWeights?.length).toBe(6);
    const gA = a.last().g!.values;

    const text = serializeRunFile(
      buildRunFile({
        params: exported.params,
        link: '',
        step: exported.step,
        epoch: exported.epoch,
        session: exported.session,
        backend: exported.backend,
        metrics: exported.history,
        analysis: exported.analysis,
        gWeights: exported.gWeights,
      }),
    );
    const read = readRunFile(text);
    if (!read.ok) throw new Error(read.errors.join('; '));

    const b = host(); // a different configuration to start with
    await b.h.build();
    await b.h.importRun(read.file.params, read.file.g!.weights);
    const s = b.last();
    expect(s.status).toBe('ready');
    expect(s.step).toBe(0);
    expect(Array.from(s.g!.values)).toEqual(Array.from(gA));
    // g at the start of this run is the imported g.
    expect(Array.from(s.gInit!.values)).toEqual(Array.from(gA));
    const again = await b.h.exportRun();
    expect(again.params).toEqual(exported.params);
    again.gWeights!.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(exported.gWeights![i])));
    // Training continues from the imported g.
    await b.h.step(3);
    expect(b.last().step).toBe(3);
    await a.h.dispose();
    await b.h.dispose();
  });

  it('export and import leak no tensors', async () => {
    const a = host({ pretrain: 0 });
    await a.h.build();
    const before = tf.memory().numTensors;
    const exported = await a.h.exportRun();
    await a.h.exportRun();
    expect(tf.memory().numTensors).toBe(before);
    await a.h.importRun(
      exported.params,
      exported.gWeights!.map((w) => Array.from(w)),
    );
    await a.h.importRun(
      exported.params,
      exported.gWeights!.map((w) => Array.from(w)),
    );
    expect(tf.memory().numTensors).toBe(before);
    await a.h.dispose();
  });

  it('a model without g exports g null; a mismatched g leaves an error status, not a half-built run', async () => {
    const a = host({ model: 'relu', pretrain: 0 });
    await a.h.build();
    expect((await a.h.exportRun()).gWeights).toBeNull();
    await a.h.importRun({ ...defaultParams(), pretrain: 0 }, [[1, 2, 3]]);
    expect(a.last().status).toBe('error');
    expect(a.last().message).toMatch(/weight arrays/);
    await a.h.dispose();
  });
});
