/**
 * The training worker: owns every tensor, runs the core, and talks to the page only through
 * the typed protocol. Messages are handled one at a time, in order (a rebuild finishes before
 * the `play` that follows it); training itself runs between messages in adaptive chunks.
 * What each message does is in operations.ts.
 */
import { errorMessage } from '../core/errorMessage';
import { isLostDeviceRead } from './backends';
import { createHandler, interrupt, type WorkerContext } from './operations';
import type { FromWorker, ToWorker } from './protocol';
import { holdLifeLock } from './lifeLock';

// First: the page learns of this worker's end through this lock (src/state/lifeLock.ts).
holdLifeLock();

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (e: PromiseRejectionEvent) => void): void;
}
const scope = self as unknown as WorkerScope;

let queue: Promise<void> = Promise.resolve();
/** Runs `task` after everything queued before it; a failure is reported, and the queue goes on. */
function enqueue(task: () => Promise<void> | void, runId: string | null): void {
  queue = queue.then(task).catch((err: unknown) => context.post({ type: 'error', runId, message: errorMessage(err) }));
}

const context: WorkerContext = {
  hosts: new Map(),
  backend: null,
  post: (message, transfer = []) => scope.postMessage(message, transfer),
  enqueue: (task) => enqueue(task, null),
};
const handle = createHandler(context);

scope.addEventListener('message', (e) => {
  const msg = e.data;
  // Liveness and cancelling act at once, even while an operation (a build) is under way.
  if (msg && typeof msg === 'object' && interrupt(context, msg)) return;
  enqueue(() => handle(msg), msg && typeof msg === 'object' && 'runId' in msg ? String(msg.runId) : null);
});

// Reads left pending on a lost WebGPU device fail late; the runs have moved on (operations.ts).
scope.addEventListener('unhandledrejection', (e) => {
  if (isLostDeviceRead(e.reason)) e.preventDefault();
});
