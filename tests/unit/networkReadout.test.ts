/**
 * The network view's read-out is made only while the page shows it (issue 9: it cost as much as
 * the rest of a full snapshot, panel visible or not): the page says so (`readouts`), the worker
 * skips it otherwise, and the page keeps the last one meanwhile. Shown again, the next snapshot
 * carries a fresh one: at once for a paused run, at the next chunk for a playing one. The page
 * keeps the decision surface the same way between its (paced) recomputations.
 */
import { describe, expect, it } from 'vitest';
import { defaultParams, type Params } from '../../src/core/params';
import { createAppStore } from '../../src/state/store';
import { networkViewWanted, watchReadouts } from '../../src/state/readoutWish';
import { createHandler, type WorkerContext } from '../../src/worker/operations';
import { mergeSnapshot, type FromWorker, type Snapshot, type ToWorker } from '../../src/worker/protocol';
import { RunHost, type RunOptions } from '../../src/worker/runHost';
import { snapshotFixture } from './snapshotFixture';

const params = (over: Partial<Params> = {}): Params => ({ ...defaultParams(), pretrain: 0, hidden: [4], inner: [8], ...over });

function host(options: RunOptions = {}) {
  const snapshots: Snapshot[] = [];
  const out = { snapshot: (s: Snapshot) => snapshots.push(s), dataset: () => undefined, progress: () => undefined };
  const h = new RunHost('main', params(), { name: 'fused', reason: 'test' }, out, {}, options);
  return { h, snapshots, last: () => snapshots[snapshots.length - 1] };
}

/** The full snapshots read from a built run (the one while building has no read-outs at all). */
const full = (s: Snapshot[]) => s.filter((x) => !x.partial && x.g !== null);

describe('the network view read-out', () => {
  it('is left out of full snapshots while not shown, and comes at once when shown on a paused run', async () => {
    const { h, snapshots, last } = host({ network: false });
    await h.build();
    await h.step(3);
    expect(last().status).toBe('paused');
    expect(full(snapshots).length).toBeGreaterThan(0);
    // Not read at all: undefined (the page keeps its last one), never an empty view.
    for (const s of full(snapshots)) expect(s.network).toBeUndefined();
    expect(last().g).not.toBeNull();
    const before = snapshots.length;
    await h.wantNetworkView(true);
    expect(snapshots.length).toBe(before + 1);
    expect(last().partial).toBe(false);
    expect(last().step).toBe(3);
    expect(last().network?.layers[0].units).toBe(4);
    // Shown already: saying so again publishes nothing more.
    await h.wantNetworkView(true);
    expect(snapshots.length).toBe(before + 1);
    await h.wantNetworkView(false);
    await h.step(1);
    expect(last().network).toBeUndefined();
    await h.dispose();
  });

  it('comes with the next full snapshot of a playing run once shown', async () => {
    const { h, snapshots } = host({ network: false });
    await h.build();
    h.play();
    await expect.poll(() => full(snapshots).filter((s) => s.status === 'running').length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(full(snapshots).every((s) => s.network === undefined)).toBe(true);
    const shownAt = snapshots.length;
    await h.wantNetworkView(true);
    await expect.poll(() => full(snapshots.slice(shownAt)).length, { timeout: 30_000 }).toBeGreaterThan(0);
    // The first full snapshot after it carries the view.
    expect(full(snapshots.slice(shownAt))[0].network?.layers).toHaveLength(1);
    await h.pause();
    await h.dispose();
  });

  it('is read as before when the page never says (a host without the option)', async () => {
    const { h, last } = host();
    await h.build();
    expect(last().status).toBe('ready');
    expect(last().network?.perUnit).toBe(2);
    await h.dispose();
  });

  it('the worker keeps the wish per run across init', async () => {
    const posted: FromWorker[] = [];
    const ctx: WorkerContext = { hosts: new Map(), backend: { name: 'fused', reason: 'test' }, post: (m) => posted.push(m) };
    const handle = createHandler(ctx);
    await handle({ type: 'readouts', runId: 'main', network: false });
    await handle({ type: 'init', runId: 'main', params: params() });
    const snaps = () => posted.flatMap((m) => (m.type === 'snapshot' ? [m.snapshot] : []));
    expect(snaps().length).toBeGreaterThan(0);
    expect(snaps().every((s) => s.network === undefined)).toBe(true);
    await handle({ type: 'readouts', runId: 'main', network: true });
    expect(snaps()[snaps().length - 1].network?.layers[0].units).toBe(4);
    await handle({ type: 'dispose', runId: 'main' });
  });

  it('the page keeps the last view through full snapshots without one', () => {
    const view = { kind: 'twoArg' } as unknown as NonNullable<Snapshot['network']>;
    const shown = snapshotFixture({ step: 1, network: view });
    const skipped = snapshotFixture({ step: 2, network: undefined });
    expect(mergeSnapshot(shown, skipped).network).toBe(view);
    expect(mergeSnapshot(shown, skipped).step).toBe(2);
    // An explicit null (no view for this model) replaces it.
    expect(mergeSnapshot(shown, snapshotFixture({ step: 3, network: null })).network).toBeNull();
    // So with the decision surface, recomputed while playing only as often as it is drawn (pacing.ts).
    const surface = { grid: { min: -1, max: 1, size: 2 }, values: new Float32Array(4) };
    const withSurface = snapshotFixture({ step: 4, decision: surface });
    expect(mergeSnapshot(withSurface, snapshotFixture({ step: 5, decision: undefined })).decision).toBe(surface);
    expect(mergeSnapshot(withSurface, snapshotFixture({ step: 6, decision: null })).decision).toBeNull();
  });
});

describe('the page says whether it shows the network view', () => {
  it('while its panel is on screen or a unit is picked, and tells the worker of each change once', () => {
    const store = createAppStore();
    const sent: ToWorker[] = [];
    const watch = watchReadouts(store, (m) => sent.push(m));
    expect(sent).toEqual([{ type: 'readouts', runId: 'main', network: false }]);
    store.getState().setUi({ networkOnScreen: true });
    store.getState().setUi({ theme: 'dark' });
    expect(sent.map((m) => m.type === 'readouts' && m.network)).toEqual([false, true]);
    store.getState().setUi({ networkOnScreen: false, selectedUnit: { layer: 0, unit: 1 } });
    // A picked unit's arguments are marked on g wherever the panel is: still wanted.
    expect(networkViewWanted(store.getState())).toBe(true);
    expect(sent).toHaveLength(2);
    store.getState().setUi({ selectedUnit: null });
    expect(sent.map((m) => m.type === 'readouts' && m.network)).toEqual([false, true, false]);
    watch.resend();
    expect(sent).toHaveLength(4);
    watch.stop();
    store.getState().setUi({ networkOnScreen: true });
    expect(sent).toHaveLength(4);
  });
});
