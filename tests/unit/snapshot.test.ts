/** Snapshot and frame assembly without tfjs: what a full and a metrics snapshot carry, what a timeline frame carries, buffers transferred once. */
import { describe, expect, it } from 'vitest';
import type { Inspection } from '../../src/core/run';
import { assembleFrame, assembleSnapshot, transferList, type SnapshotInput } from '../../src/worker/snapshot';

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
    expect(s).toMatchObject({
      step: 40,
      status: 'running',
      partial: false,
      model: 'twoArg',
      hidden: [8, 8],
      backend: 'wasm',
      backendReason: 'auto',
    });
    expect(s.paramCount.total).toBe(15);
    // g says the step it was read at: a metrics snapshot merged over it keeps an older g.
    expect(s.g).toEqual({ grid: argument, values: i.view!.g, step: 40 });
    expect(s.decision?.grid).toBe(input);
    expect(s.density?.grid).toBe(argument);
    expect(s.gInit?.values).toEqual(i.gInit);
    expect(s.gInit?.values).not.toBe(i.gInit); // transferred: the host keeps its own
    // g, gInit, decision, density all + mask + 2 per-layer arrays.
    expect(transfer).toHaveLength(7);
    expect(transfer).not.toContain(i.gInit!.buffer);
  });

  it('a metrics snapshot leaves out the read-outs', () => {
    const { snapshot: s, transfer } = assembleSnapshot(inputOf({ kind: 'metrics' }));
    expect(s.partial).toBe(true);
    for (const key of ['g', 'gInit', 'density', 'analysis', 'g1d', 'decision'] as const) expect(s[key]).toBeNull();
    expect(transfer).toEqual([]);
  });

  it('without a built model: the params model, no widths, zero parameters, session 2', () => {
    const { snapshot: s } = assembleSnapshot(inputOf({ model: null, view: null, gInit: null, status: 'error', message: 'bad' }));
    expect(s).toMatchObject({
      model: 'relu',
      hidden: [],
      paramCount: { outer: 0, inner: 0, total: 0 },
      session: 2,
      g: null,
      message: 'bad',
    });
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

describe('assembleFrame', () => {
  it('carries g, the pooled density and its mask, and the analysis at the step', () => {
    const v = view();
    const { frame, transfer } = assembleFrame('main', 60, v, argument, false)!;
    expect(frame).toMatchObject({ type: 'frame', runId: 'main', step: 60, analysis: null });
    expect(frame.g).toEqual({ grid: argument, values: v.g });
    expect(frame.g.values).toBe(v.g); // sent alone: transferred as it is
    expect(frame.density).toEqual({ grid: argument, all: v.density!.all, perLayer: [], mask: v.density!.mask });
    expect(transfer).toEqual([v.g!.buffer, v.density!.all.buffer, v.density!.mask.buffer]);
  });

  it('copies the arrays when the same read-out goes out in a snapshot too', () => {
    const v = view();
    const { frame, transfer } = assembleFrame('main', 60, v, argument, true)!;
    expect(frame.g.values).toEqual(v.g);
    expect(frame.g.values).not.toBe(v.g);
    expect(transfer).not.toContain(v.g!.buffer);
  });

  it('no frame without a two-argument g', () => {
    expect(assembleFrame('main', 0, { ...view(), g: null }, argument, false)).toBeNull();
  });
});
