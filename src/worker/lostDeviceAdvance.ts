/**
 * An `advance` (compare mode) that outlives a lost WebGPU device: the device's pending reads fail
 * at once and the lockstep with them, while the worker moves every run to the next engine from its
 * last checkpoint (operations.ts, RunHost.recoverFromDeviceLoss). Then each run is trained on from
 * where its checkpoint left it to the step the page asked for, so the page's barrier still sees
 * every run reach the target (it never sends the same target twice).
 */
import { isLostDeviceRead } from './backends';
import { advanceInLockstep, type LockstepRun } from './lockstep';
import type { AdvanceReadout } from './protocol';

export interface RecoveringRun extends LockstepRun {
  readonly totalSteps: number;
}

/** Counts finished recoveries from a lost device, and lets an advance wait for the next one. */
export class DeviceRecoveries {
  private count = 0;
  private waiters: { after: number; resolve: () => void }[] = [];

  get done(): number {
    return this.count;
  }

  finished(): void {
    this.count += 1;
    const ready = this.waiters.filter((w) => this.count > w.after);
    this.waiters = this.waiters.filter((w) => this.count <= w.after);
    for (const w of ready) w.resolve();
  }

  /** Resolves once a recovery has finished after the `after`-th one. */
  after(after: number): Promise<void> {
    if (this.count > after) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ after, resolve }));
  }
}

export async function advanceThroughDeviceLoss(
  runs: readonly RecoveringRun[],
  steps: number,
  readout: AdvanceReadout,
  playing: boolean,
  recoveries: DeviceRecoveries,
): Promise<void> {
  const seen = recoveries.done;
  const targets = new Map(runs.map((r) => [r, r.totalSteps + Math.max(0, Math.floor(steps))]));
  try {
    await advanceInLockstep(runs, steps, readout, playing);
    return;
  } catch (e) {
    if (!isLostDeviceRead(e)) throw e;
  }
  await recoveries.after(seen);
  // Runs restored to the same step go on together, in lockstep.
  const byLeft = new Map<number, RecoveringRun[]>();
  for (const [run, target] of targets) {
    const left = target - run.totalSteps;
    byLeft.set(left, [...(byLeft.get(left) ?? []), run]);
  }
  for (const [left, group] of byLeft) await advanceInLockstep(group, Math.max(0, left), readout, playing);
}
