/**
 * What compare mode keeps to restore a run whose pool worker died, and how a fresh worker takes
 * it over. The worker sends each run's checkpoint (weights, optimizer state, counts, batch-order
 * streams) at every stop and about every 2 s of lockstep play, always at the step every run
 * stands at; the pool keeps the latest per run and forgets it when the run is reset. A run with
 * none (it died while building) is rebuilt from its seed, like the main run from the link.
 */
import type { CompareRunPlan } from '../core/compare/plan';
import type { Points2D } from '../core/data/points';
import type { RunCheckpoint, ToWorker } from '../worker/protocol';
import type { PoolFault } from './compareTypes';
import { checkpointFor } from './supervision';

export class PoolCheckpoints {
  private readonly byRun = new Map<string, RunCheckpoint>();

  keep(runId: string, checkpoint: RunCheckpoint): void {
    this.byRun.set(runId, checkpoint);
  }

  forget(runId: string): void {
    this.byRun.delete(runId);
  }

  /** The checkpoint to restore `plan` from: only one of the run as planned now (live settings may differ). */
  for(plan: CompareRunPlan): RunCheckpoint | null {
    return checkpointFor(plan.params, this.byRun.get(plan.runId) ?? null);
  }
}

/**
 * The messages that give a worker one run of the comparison: its checkpoint restored (copied,
 * not transferred: the pool keeps it in case this worker dies too), else built from its seed on
 * the comparison's data, with the user's own points when the data set is theirs.
 */
export function runMessages(plan: CompareRunPlan, checkpoint: RunCheckpoint | null, points: Points2D | null | undefined): ToWorker[] {
  const { runId, params, dataSeed } = plan;
  const own = points && params.dataset === 'custom' ? { x: points.x.slice(), y: points.y.slice() } : null;
  if (checkpoint) return [{ type: 'restoreRun', runId, params, checkpoint, points: own, dataSeed, lean: true }];
  const init: ToWorker = { type: 'init', runId, params, dataSeed, lean: true };
  return own ? [init, { type: 'setPoints', runId, ...own, params }] : [init];
}

/** What the notice says of a death: the dead worker's runs and where each goes on from (null: rebuilt from its seed). */
export function poolFault(
  kind: PoolFault['kind'],
  reason: string,
  restored: { runId: string; from: number | null }[],
  target: number,
): PoolFault {
  return {
    kind,
    reason,
    runIds: restored.map((r) => r.runId),
    from: restored.length ? Math.min(...restored.map((r) => r.from ?? 0)) : target,
    rebuilt: restored.filter((r) => r.from === null).length,
    target,
  };
}
