/** The run's status machine: every legal transition of the table, and illegal events ignored with no change. */
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/worker/protocol';
import { canTrain, nextStatus, RunStatusMachine, TRANSITIONS, type RunEvent } from '../../src/worker/runStatus';

const STATUSES: RunStatus[] = ['building', 'ready', 'running', 'paused', 'diverged', 'error', 'nodata'];

describe('run status machine', () => {
  it('follows a run through build, play, pause, single steps and divergence', () => {
    const m = new RunStatusMachine();
    expect(m.status).toBe('building');
    const seen: RunStatus[] = [];
    for (const e of ['built', 'play', 'pause', 'stepped', 'play', 'diverge', 'play', 'build', 'noData'] as RunEvent[]) {
      expect(m.send(e)).toBe(true);
      seen.push(m.status);
    }
    expect(seen).toEqual(['ready', 'running', 'paused', 'paused', 'running', 'diverged', 'running', 'building', 'nodata']);
  });

  it('ignores illegal events explicitly: send returns false and the status stays', () => {
    const m = new RunStatusMachine();
    expect(m.send('play')).toBe(false); // nothing built yet
    expect(m.send('pause')).toBe(false);
    expect(m.status).toBe('building');
    m.send('fail');
    for (const e of ['play', 'stepped', 'pause', 'diverge', 'built', 'noData'] as RunEvent[]) expect(m.send(e)).toBe(false);
    expect(m.status).toBe('error');
    expect(m.send('build')).toBe(true); // a rebuild is the way out of an error
  });

  it('the table: only a standing model trains; a build and a failure are possible from anywhere', () => {
    for (const s of STATUSES) {
      expect(nextStatus(s, 'build')).toBe('building');
      expect(nextStatus(s, 'fail')).toBe('error');
      expect(canTrain(s)).toBe(['ready', 'running', 'paused', 'diverged'].includes(s));
      expect(nextStatus(s, 'pause')).toBe(s === 'running' ? 'paused' : null);
      expect(nextStatus(s, 'built')).toBe(s === 'building' ? 'ready' : null);
    }
    // Every target of the table is a real status.
    for (const row of Object.values(TRANSITIONS)) for (const to of Object.values(row)) expect(STATUSES).toContain(to);
  });
});
