/** How the page follows a backend switch (issue 12 item 7): from the pick until the new backend runs. */
import { describe, expect, it } from 'vitest';
import { beginSwitch, nextSwitch, switchLabel, watchBackendSwitch, type BackendSwitch } from '../../src/state/backendSwitch';
import type { Snapshot } from '../../src/worker/protocol';
import { snapshotFixture } from './snapshotFixture';

function snap(patch: Partial<Snapshot>): Snapshot {
  return { ...snapshotFixture(), ...patch };
}

const old = snap({ backend: 'fused', backendReason: 'auto: fused 7000 steps/s', status: 'running', step: 100, stepsPerSecond: 900 });

describe('a backend switch', () => {
  it('while training: building until the new backend reports, then its first steps, then done', () => {
    let sw: BackendSwitch | null = beginSwitch('webgl', old, true);
    expect(sw.stage).toBe('building');
    expect(switchLabel(sw)).toBe('switching to webgl…');
    // Snapshots the old backend sent before it stopped change nothing.
    sw = nextSwitch(sw, { ...old, step: 140 }, true);
    expect(sw?.stage).toBe('building');
    // Built on webgl (the worker resumes; shaders compile in the first steps).
    sw = nextSwitch(sw!, snap({ backend: 'webgl', backendReason: 'chosen', status: 'ready', step: 140 }), true);
    expect(sw?.stage).toBe('starting');
    expect(switchLabel(sw!)).toBe('switching to webgl… first steps');
    sw = nextSwitch(sw!, snap({ backend: 'webgl', backendReason: 'chosen', status: 'running', step: 140, stepsPerSecond: 0 }), true);
    expect(sw?.stage).toBe('starting');
    // Steps done but no speed measured yet: "0 steps/s" would still mislead.
    expect(
      nextSwitch(sw!, snap({ backend: 'webgl', backendReason: 'chosen', status: 'running', step: 150, stepsPerSecond: 0 }), true),
    ).toBe(sw);
    expect(
      nextSwitch(sw!, snap({ backend: 'webgl', backendReason: 'chosen', status: 'running', step: 150, stepsPerSecond: 4 }), true),
    ).toBeNull();
  });

  it('while paused: done as soon as the new backend stands ready', () => {
    const paused = { ...old, status: 'paused' as const };
    const sw = beginSwitch('wasm', paused, false);
    expect(nextSwitch(sw, snap({ backend: 'wasm', backendReason: 'chosen', status: 'ready' }), false)).toBeNull();
  });

  it('pausing during the switch: no resume, so done once built', () => {
    const sw = beginSwitch('webgl', old, true);
    const paused = nextSwitch(sw, old, false)!;
    expect(paused.resume).toBe(false);
    expect(nextSwitch(paused, snap({ backend: 'webgl', backendReason: 'chosen', status: 'ready' }), false)).toBeNull();
  });

  it('to auto (or to the engine auto had chosen): a new reason is the new backend', () => {
    const fromFused = beginSwitch('auto', { ...old, backendReason: 'chosen' }, false);
    expect(nextSwitch(fromFused, { ...old, backendReason: 'chosen', status: 'paused' }, false)).toBe(fromFused);
    expect(nextSwitch(fromFused, { ...old, backendReason: 'auto: fused 7100 steps/s', status: 'ready' }, false)).toBeNull();
  });

  it('a run that stops (diverged, error) ends it; an unchanged state keeps the same object', () => {
    const sw = beginSwitch('webgl', old, true);
    expect(nextSwitch(sw, old, true)).toBe(sw);
    expect(nextSwitch(sw, snap({ backend: 'webgl', backendReason: 'x', status: 'error' }), true)).toBeNull();
    expect(nextSwitch(sw, snap({ backend: 'webgl', backendReason: 'x', status: 'building' }), true)).toBe(sw);
  });

  it('the watcher begins on a backend change and advances with the store', () => {
    type S = {
      params: { backend: 'auto' | 'webgl' };
      playIntent: boolean;
      snap: Snapshot | null;
      ui: { backendSwitch: BackendSwitch | null };
      setUi(p: { backendSwitch: BackendSwitch | null }): void;
    };
    const listeners: ((s: S, p: S) => void)[] = [];
    let state: S;
    const setState = (patch: Partial<S>) => {
      const prev = state;
      state = { ...state, ...patch };
      for (const l of listeners) l(state, prev);
    };
    state = {
      params: { backend: 'auto' },
      playIntent: true,
      snap: old,
      ui: { backendSwitch: null },
      setUi: (p) => setState({ ui: { ...state.ui, ...p } }),
    };
    watchBackendSwitch<S>({ subscribe: (l) => (listeners.push(l), () => undefined) }, (s) => s.snap);
    setState({ params: { backend: 'webgl' } });
    expect(state.ui.backendSwitch?.to).toBe('webgl');
    setState({ snap: snap({ backend: 'webgl', backendReason: 'chosen', status: 'ready', step: 100 }) });
    expect(state.ui.backendSwitch?.stage).toBe('starting');
    setState({ snap: snap({ backend: 'webgl', backendReason: 'chosen', status: 'running', step: 120, stepsPerSecond: 30 }) });
    expect(state.ui.backendSwitch).toBeNull();
  });
});
