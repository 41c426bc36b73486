/**
 * The run's status as one small state machine: the host changes it only by sending an event,
 * and the table below is the one place that says which changes exist. An event that is not
 * legal in the current status is ignored explicitly (send returns false, nothing changes).
 */
import type { RunStatus } from './protocol';

export type RunEvent =
  /** A build starts (from anywhere: a rebuild replaces whatever stood). */
  | 'build'
  /** The build finished: a model stands, not training. */
  | 'built'
  /** The build found too few points of the user's own data: wait for data. */
  | 'noData'
  /** The build or an image data load failed with no run left standing. */
  | 'fail'
  | 'play'
  | 'pause'
  /** Single steps (or a benchmark) ended: the run stands paused. */
  | 'stepped'
  /** NaN, Inf or exploding weights: training stopped itself. */
  | 'diverge';

const ALL: readonly RunStatus[] = ['building', 'ready', 'running', 'paused', 'diverged', 'error', 'nodata'];
/** Statuses in which a model stands and can train. */
const TRAINABLE = ['ready', 'running', 'paused', 'diverged'] as const;

const to = (status: RunStatus, from: readonly RunStatus[]) =>
  Object.fromEntries(from.map((s) => [s, status])) as Partial<Record<RunStatus, RunStatus>>;

/** event -> (status before -> status after); a missing entry is an illegal transition. */
export const TRANSITIONS: Readonly<Record<RunEvent, Partial<Record<RunStatus, RunStatus>>>> = {
  build: to('building', ALL),
  built: to('ready', ['building']),
  noData: to('nodata', ['building']),
  fail: to('error', ALL),
  play: to('running', TRAINABLE),
  pause: to('paused', ['running']),
  stepped: to('paused', TRAINABLE),
  diverge: to('diverged', TRAINABLE),
};

/** The status after `event`, or null when the event is not legal in `status`. */
export function nextStatus(status: RunStatus, event: RunEvent): RunStatus | null {
  return TRANSITIONS[event][status] ?? null;
}

/** Whether a model stands in this status and may train (play, step). */
export function canTrain(status: RunStatus): boolean {
  return nextStatus(status, 'play') !== null;
}

export class RunStatusMachine {
  private current: RunStatus = 'building';

  get status(): RunStatus {
    return this.current;
  }

  /** Applies the event; false (and no change) when it is not legal in the current status. */
  send(event: RunEvent): boolean {
    const next = nextStatus(this.current, event);
    if (next === null) return false;
    this.current = next;
    return true;
  }
}
