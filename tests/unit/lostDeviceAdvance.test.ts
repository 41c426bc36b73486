/**
 * An advance that outlives a lost WebGPU device (worker/lostDeviceAdvance.ts): the lockstep fails
 * on the lost device's read, the worker restores every run from its checkpoint, and the runs are
 * trained on to the step the page asked for, those restored to the same step together.
 */
import { describe, expect, it } from 'vitest';
import { advanceThroughDeviceLoss, DeviceRecoveries, type RecoveringRun } from '../../src/worker/lostDeviceAdvance';

class Run implements RecoveringRun {
  totalSteps: number;
  failAt: number | null = null;
  advances: number[] = [];
  constructor(start: number) {
    this.totalSteps = start;
  }
  beginAdvance(): Promise<boolean> {
    return Promise.resolve(true);
  }
  async advanceChunk(max: number): Promise<number> {
    await Promise.resolve();
    if (this.failAt !== null && this.totalSteps >= this.failAt) {
      this.failAt = null;
      throw new DOMException('mapAsync: the device was lost', 'AbortError');
    }
    const n = Math.min(max, 5);
    this.totalSteps += n;
    return n;
  }
  endAdvance(): Promise<void> {
    this.advances.push(this.totalSteps);
    return Promise.resolve();
  }
}

describe('advanceThroughDeviceLoss', () => {
  it('trains every run to the target after the recovery restored them to their checkpoints', async () => {
    const runs = [new Run(100), new Run(100), new Run(100)];
    runs[0].failAt = 110;
    const recoveries = new DeviceRecoveries();
    const advance = advanceThroughDeviceLoss(runs, 40, 'full', true, recoveries);
    // The recovery (outside the queue) puts the runs back at their checkpoints: two at 105, one at 100.
    await new Promise((r) => setTimeout(r, 0));
    runs[0].totalSteps = 105;
    runs[1].totalSteps = 105;
    runs[2].totalSteps = 100;
    recoveries.finished();
    await advance;
    expect(runs.map((r) => r.totalSteps)).toEqual([140, 140, 140]);
    expect(runs.map((r) => r.advances.at(-1))).toEqual([140, 140, 140]);
  });

  it('passes any other failure on', async () => {
    const run = new Run(0);
    run.advanceChunk = () => Promise.reject(new Error('out of memory'));
    await expect(advanceThroughDeviceLoss([run], 10, 'tick', true, new DeviceRecoveries())).rejects.toThrow('out of memory');
  });

  it('waits for a recovery that ends after the advance began, not for one before it', async () => {
    const recoveries = new DeviceRecoveries();
    recoveries.finished();
    let resolved = false;
    const waiting = recoveries.after(1).then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(false);
    recoveries.finished();
    await waiting;
    expect(resolved).toBe(true);
    await expect(recoveries.after(0)).resolves.toBeUndefined();
  });
});
