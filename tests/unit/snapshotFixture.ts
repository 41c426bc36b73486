/** A minimal valid Snapshot of the main run for store and worker-client tests; `over` sets what a test cares about. */
import { MAIN_RUN } from '../../src/state/store';
import type { Snapshot } from '../../src/worker/protocol';

export function snapshotFixture(over: Partial<Snapshot> = {}): Snapshot {
  return {
    runId: MAIN_RUN,
    status: 'paused',
    message: null,
    step: 0,
    epoch: 0,
    session: 2,
    stepsPerSecond: 0,
    backend: 'cpu',
    backendReason: '',
    model: 'twoArg',
    hidden: [8, 8],
    paramCount: { outer: 1, inner: 1, total: 2 },
    partial: false,
    history: [],
    g: null,
    gInit: null,
    density: null,
    analysis: null,
    g1d: null,
    decision: null,
    ...over,
  };
}
