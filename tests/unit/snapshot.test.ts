/** Snapshot assembly without tfjs: what a full and a metrics snapshot carry, and that every buffer is transferred once. */
import { describe, expect, it } from 'vitest';
import type { Inspection } from '../../src/core/run';
import { assembleSnapshot, transferList, type SnapshotInput } from '../../src/worker/snapshot';

const argument = { min: -4, max: 4, size: 2 };
const input = { min: -1.5, max: 1.5, size: 2 };

function view(): Inspection {
  return {
    g: new Float32Array(4).fill(1),
    g1d: null,
    density: { all: new Float32Array(4), perLayer: [new Float32Array(4), new Float32Array(4)], mask: new Uint8Array(4) },
    analysis: null,
    decision: new Float32Array(4).fill(0.5),
  };
}

function inputOf(over: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    runId: 'main',
    status: 'running',
    message: null,
    step: 40,
    epoch: 1,
    stepsPerSecond: 250,
    backend: { name: 'wasm', reason: 'auto' },
    model: { session: 2, kind: 'twoArg', hidden: [8, 8], paramCount: { outer: 10, inner: 5, total: 15 } },
    paramsModel: 'relu',
    history: [],
    kind: 'full',
    frame: true,
    view: view(),
    gInit: new Float32Array(4).fill(2),
    images: null,
    grids: { argument, input },
    ...over,
  };
}

describe('assembleSnapshot', () => {
  it('a full snapshot carries the read-outs on their grids and a copy of g at start', () => {
    const i = inputOf();
    const { snapshot: s, transfer } = assembleSnapshot(i);
    expect(s).toMatchObject({ step: 40, status: 'running', partial: false, frame: true, model: 'twoArg', hidden: [8, 8], backend: 'wasm', backendReason: 'auto' });
    expect(s.paramCount.total).toBe(15);
    expect(s.g).toEqual({ grid: argument, values: i.view!.g });
    expect(s.decision?.grid).toBe(input);
    expect(s.density?.grid).toBe(argument);
    expect(s.gInit?.values).toEqual(i.gInit);
    expect(s.gInit?.values).not.toBe(i.gInit); // transferred: the host keeps its own
    // g, gInit, decision, density all + mask + 2 per-layer arrays.
    expect(transfer).toHaveLength(7);
    expect(transfer).not.toContain(i.gInit!.buffer);
  });

  it('a metrics snapshot leaves out the read-outs and is never a frame', () => {
    const { snapshot: s, transfer } = assembleSnapshot(inputOf({ kind: 'metrics' }));
    expect(s.partial).toBe(true);
    expect(s.frame).toBe(false);
    for (const key of ['g', 'gInit', 'density', 'analysis', 'g1d', 'decision'] as const) expect(s[key]).toBeNull();
    expect(transfer).toEqual([]);
  });

  it('without a built model: the params model, no widths, zero parameters, session 2', () => {
    const { snapshot: s } = assembleSnapshot(inputOf({ model: null, view: null, gInit: null, status: 'error', message: 'bad' }));
    expect(s).toMatchObject({ model: 'relu', hidden: [], paramCount: { outer: 0, inner: 0, total: 0 }, session: 2, g: null, message: 'bad' });
  });

  it('lists a buffer shared by two arrays once (postMessage refuses duplicates)', () => {
    const buffer = new ArrayBuffer(32);
    const v = view();
    v.g = new Float32Array(buffer, 0, 4);
    v.decision = new Float32Array(buffer, 16, 4);
    v.density = null;
    const { snapshot } = assembleSnapshot(inputOf({ view: v, gInit: null }));
    expect(transferList(snapshot)).toEqual([buffer]);
  });
});
