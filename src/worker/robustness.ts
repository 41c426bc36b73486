/**
 * Robustness tests in the worker: one request runs core's robustnessCurve on the run's test set
 * with training stopped, reports progress, and answers exactly once (a curve, "diverged", an
 * error, or cancelled). Cancelling acts outside the queue of operations (operations.ts'
 * interrupt), so the attack gives the event loop a turn every few milliseconds to hear it.
 */
import { errorMessage } from '../core/errorMessage';
import { AttackCancelled, robustnessCurve, type AttackTarget, type RobustnessResult } from '../core/robustness/attacks';
import { sanitizeRobustnessRequest } from '../core/robustness/settings';
import { EVAL_LIMIT } from '../core/train/trainer';
import { yieldToEventLoop } from './eventLoop';
import type { FromWorker, RobustnessRequest } from './protocol';
import type { RunHost } from './runHost';

/** Examples per attack call (fewer when the test set is smaller): one fixed shape per test. */
export const ROBUSTNESS_BATCH = 256;
/** The attack yields to the event loop this often (pings, Cancel), as the training loop does. */
const YIELD_EVERY_MS = 20;
/** Progress messages at most this often (and always the last one). */
const PROGRESS_EVERY_MS = 100;

/** Requests received and not yet answered, per run, with whether each was cancelled. */
export class RobustnessRequests {
  private readonly open = new Map<string, Map<number, boolean>>();

  /** Called when a request arrives (before it waits in the queue) and again when it starts. */
  register(runId: string, requestId: number): void {
    const run = this.open.get(runId) ?? new Map<number, boolean>();
    if (!run.has(requestId)) run.set(requestId, false);
    this.open.set(runId, run);
  }

  /** Cancels every open request of the run: the one running and those still queued. */
  cancel(runId: string): void {
    const run = this.open.get(runId);
    if (run) for (const id of run.keys()) run.set(id, true);
  }

  isCancelled(runId: string, requestId: number): boolean {
    return this.open.get(runId)?.get(requestId) === true;
  }

  finish(runId: string, requestId: number): void {
    const run = this.open.get(runId);
    run?.delete(requestId);
    if (run && run.size === 0) this.open.delete(runId);
  }
}

const registries = new WeakMap<object, RobustnessRequests>();

/** The open requests of one worker (keyed by its context, so tests get their own). */
export function robustnessRequestsOf(worker: object): RobustnessRequests {
  let r = registries.get(worker);
  if (!r) registries.set(worker, (r = new RobustnessRequests()));
  return r;
}

/**
 * The target with a turn for the event loop every `everyMs` (the fused engine computes
 * synchronously, and tfjs' cpu and wasm reads resolve as microtasks: neither would let a
 * message in), stopping with AttackCancelled as soon as `cancelled` says so.
 */
export function responsive(target: AttackTarget, cancelled: () => boolean, everyMs = YIELD_EVERY_MS): AttackTarget {
  let last = performance.now();
  const turn = async () => {
    if (performance.now() - last >= everyMs) {
      await yieldToEventLoop();
      last = performance.now();
    }
    if (cancelled()) throw new AttackCancelled();
  };
  return {
    inputSize: target.inputSize,
    batch: target.batch,
    async correct(x, y) {
      await turn();
      return target.correct(x, y);
    },
    async inputGradient(x, y) {
      await turn();
      return target.inputGradient(x, y);
    },
  };
}

type Answer = { step: number; result: RobustnessResult | null; error: string | null; cancelled: boolean };

/** Runs one request on `host` (undefined: no such run) and posts its progress and its answer. */
export async function runRobustness(
  host: RunHost | undefined,
  msg: RobustnessRequest,
  requests: RobustnessRequests,
  post: (m: FromWorker) => void,
): Promise<void> {
  const { runId, requestId } = msg;
  requests.register(runId, requestId);
  const cancelled = () => requests.isCancelled(runId, requestId);
  let answer: Answer = { step: host?.totalSteps ?? 0, result: null, error: null, cancelled: false };
  try {
    if (cancelled()) throw new AttackCancelled();
    if (!host) throw new Error(`no run named ${runId}`);
    const spec = sanitizeRobustnessRequest(msg);
    answer = await host.whilePaused(async (run): Promise<Answer> => {
      const base = { step: run.step, error: null, cancelled: false };
      // Its last good weights stand, but the run failed: reported like a NaN model, never plotted.
      if (run.diverged) return { ...base, result: { diverged: true, reason: 'training diverged (the loss became NaN or infinite)' } };
      const n = Math.min(run.data.testY.length, EVAL_LIMIT);
      if (n === 0) throw new Error('this data set has no test examples to attack');
      const target = responsive(run.engine.attackTarget(Math.min(ROBUSTNESS_BATCH, n)), cancelled);
      let lastPost = -Infinity;
      const result = await robustnessCurve(target, spec.kind, spec.sizes, run.data.testX, run.data.testY, {
        steps: spec.pgdSteps,
        stepFraction: spec.pgdStepFraction,
        randomStart: spec.randomStart,
        // Image pixels live on [-1, 1]; 2D points have no bounds.
        clip: run.image ? [-1, 1] : null,
        seed: run.seed,
        // The examples the test accuracy is measured on: size 0 reproduces it.
        limit: n,
        cancelled,
        onProgress(done, total) {
          const now = performance.now();
          if (done < total && now - lastPost < PROGRESS_EVERY_MS) return;
          lastPost = now;
          post({ type: 'robustnessProgress', runId, requestId, done, total });
        },
      });
      return { ...base, result };
    });
  } catch (e) {
    answer = e instanceof AttackCancelled ? { ...answer, cancelled: true } : { ...answer, error: errorMessage(e) };
  } finally {
    requests.finish(runId, requestId);
  }
  post({ type: 'robustnessResult', runId, requestId, ...answer });
}
