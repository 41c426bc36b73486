/**
 * What the training worker does for each message: one handler per message type, in a map
 * typed by the protocol (after use-cannon's typed message map), so a new message type does
 * not compile until it has a handler. Worker-wide operations first, then those on one run.
 */
import { errorMessage } from '../core/errorMessage';
import { needsRebuild } from '../core/params';
import { activateAfterDeviceLoss, activateBackend, onWebGpuDeviceLost, type ActiveBackend } from './backends';
import { runBenchmark, runBenchmarkOverSteps } from './benchmark';
import { loadImagesCached, setDataBaseUrl } from './imageLoader';
import type { FromWorker, ToWorker } from './protocol';
import { robustnessRequestsOf, runRobustness } from './robustness';
import { advanceThroughDeviceLoss, DeviceRecoveries } from './lostDeviceAdvance';
import { RunHost, type HostOutput } from './runHost';

type MessageOf<T extends ToWorker['type']> = Extract<ToWorker, { type: T }>;
type WorkerOpType =
  | 'init'
  | 'setBackend'
  | 'configure'
  | 'dispose'
  | 'restoreRun'
  | 'ping'
  | 'cancelLoad'
  | 'robustness'
  | 'cancelRobustness'
  | 'advance'
  | 'readouts';
type RunOpType = Exclude<ToWorker['type'], WorkerOpType>;
type WorkerOps = { [T in WorkerOpType]: (msg: MessageOf<T>) => Promise<void> | void };
type RunOps = { [T in RunOpType]: (host: RunHost, msg: MessageOf<T>) => Promise<void> | void };

const WORKER_OP_TYPES: ReadonlySet<string> = new Set<WorkerOpType>([
  'init',
  'setBackend',
  'configure',
  'dispose',
  'restoreRun',
  'ping',
  'cancelLoad',
  // Worker-wide so that a request for a run that is gone is still answered.
  'robustness',
  'cancelRobustness',
  'advance',
  // Worker-wide so that the page's wish holds for a run built later (init, restoreRun).
  'readouts',
]);

/** The worker's state and its line to the page. */
export interface WorkerContext {
  readonly hosts: Map<string, RunHost>;
  backend: ActiveBackend | null;
  post(message: FromWorker, transfer?: Transferable[]): void;
  /** Runs a task on the queue of operations, after the messages before it (a download's outcome: see HostEnv). */
  enqueue?: (task: () => Promise<void>) => void;
}

/** Host output that posts everything to the page. */
function hostOutput(post: WorkerContext['post']): HostOutput {
  return {
    snapshot: (snapshot, transfer) => post({ type: 'snapshot', snapshot }, transfer),
    frame: (f, transfer) => post(f, transfer),
    dataset: (d, transfer) => post(d, transfer),
    progress: (runId, stage, done, total) => post({ type: 'progress', runId, stage, done, total }),
    datasetProgress: (m) => post(m),
    imageData: (m, transfer) => post(m, transfer),
    datasetError: (m) => post(m),
    checkpoint: (c, transfer) => post(c, transfer),
  };
}

/**
 * What acts at once, before the queue of operations (where a build in progress would hold it):
 * liveness, cancelling a download, and a message naming another data set than the one
 * downloading, which cancels that download at once. True when the message needs nothing more.
 */
export function interrupt(ctx: WorkerContext, msg: ToWorker): boolean {
  if (msg.type === 'ping') {
    ctx.post({ type: 'pong' });
    return true;
  }
  if (msg.type === 'cancelLoad') {
    ctx.hosts.get(msg.runId)?.cancelLoad();
    return true;
  }
  // A robustness request is known from its arrival, so a Cancel reaches it while it still waits in the queue.
  if (msg.type === 'robustness') robustnessRequestsOf(ctx).register(msg.runId, msg.requestId);
  if (msg.type === 'cancelRobustness') {
    robustnessRequestsOf(ctx).cancel(msg.runId);
    return true;
  }
  if ('params' in msg && 'runId' in msg) {
    const host = ctx.hosts.get(msg.runId);
    const loading = host?.loadingDataset;
    if (loading && loading !== msg.params.dataset) host?.cancelLoad();
  }
  return false;
}

/** The message handler of a worker: `handle(msg)` runs the message's operation to its end. */
export function createHandler(ctx: WorkerContext): (msg: ToWorker) => Promise<void> {
  const output = hostOutput((message, transfer) => ctx.post(message, transfer));
  /** The page's last `readouts` wish per run id, for the hosts built after it. */
  const networkWanted = new Map<string, boolean>();

  async function ensureBackend(
    choice: Parameters<typeof activateBackend>[0],
    params: Parameters<typeof activateBackend>[1],
  ): Promise<ActiveBackend> {
    if (!ctx.backend) ctx.backend = await activateBackend(choice, params);
    return ctx.backend;
  }

  const recoveries = new DeviceRecoveries();
  // Not queued behind the messages: one of them may be waiting on the lost device's reads.
  onWebGpuDeviceLost((message) => {
    void (async () => {
      try {
        const backend = await activateAfterDeviceLoss(message);
        ctx.backend = backend;
        for (const host of ctx.hosts.values()) await host.recoverFromDeviceLoss(backend);
      } catch (e) {
        ctx.post({ type: 'error', runId: null, message: errorMessage(e) });
      } finally {
        recoveries.finished();
      }
    })();
  });

  const workerOps: WorkerOps = {
    async init(msg) {
      const active = await ensureBackend(msg.params.backend, msg.params);
      await ctx.hosts.get(msg.runId)?.dispose();
      const options = { dataSeed: msg.dataSeed, lean: msg.lean, network: networkWanted.get(msg.runId) };
      const host = new RunHost(msg.runId, msg.params, active, output, { loadImages: loadImagesCached, enqueue: ctx.enqueue }, options);
      ctx.hosts.set(msg.runId, host);
      await host.build();
    },
    /** Switching keeps the weights: every host exports them, the backend changes, they come back. */
    async setBackend(msg) {
      const saved = new Map<string, Awaited<ReturnType<RunHost['exportWeights']>>>();
      for (const [id, host] of ctx.hosts) saved.set(id, await host.exportWeights());
      // "auto" times the engines on the first run's preset.
      const backend = await activateBackend(msg.backend, ctx.hosts.values().next().value?.currentParams);
      ctx.backend = backend;
      for (const [id, host] of ctx.hosts) await host.importAfterSwitch(backend, saved.get(id) ?? null);
    },
    /** A fresh worker (the previous one died) takes over the run from the page's checkpoint. */
    async restoreRun(msg) {
      const active = await ensureBackend(msg.params.backend, msg.params);
      await ctx.hosts.get(msg.runId)?.dispose();
      const env = { loadImages: loadImagesCached, enqueue: ctx.enqueue };
      const options = { dataSeed: msg.dataSeed, lean: msg.lean, network: networkWanted.get(msg.runId) };
      const host = new RunHost(msg.runId, msg.params, active, output, env, options);
      ctx.hosts.set(msg.runId, host);
      await host.restore(msg.checkpoint, msg.points);
    },
    // Both act at once through interrupt() below; here for a handler map that covers every message.
    ping() {
      ctx.post({ type: 'pong' });
    },
    cancelLoad(msg) {
      ctx.hosts.get(msg.runId)?.cancelLoad();
    },
    /** Compare mode: the named runs of this worker advance together (lockstep.ts); unknown ids are skipped. */
    async advance(msg) {
      const hosts = msg.runIds.flatMap((id) => ctx.hosts.get(id) ?? []);
      await advanceThroughDeviceLoss(hosts, msg.steps, msg.readout, msg.playing, recoveries);
    },
    configure(msg) {
      setDataBaseUrl(msg.dataBaseUrl);
    },
    robustness: (msg) => runRobustness(ctx.hosts.get(msg.runId), msg, robustnessRequestsOf(ctx), (m) => ctx.post(m)),
    // Acts at once through interrupt(); here for a handler map that covers every message.
    cancelRobustness(msg) {
      robustnessRequestsOf(ctx).cancel(msg.runId);
    },
    async readouts(msg) {
      networkWanted.set(msg.runId, msg.network);
      await ctx.hosts.get(msg.runId)?.wantNetworkView(msg.network);
    },
    async dispose(msg) {
      await ctx.hosts.get(msg.runId)?.dispose();
      ctx.hosts.delete(msg.runId);
    },
  };

  const runOps: RunOps = {
    setParams: (host, msg) => host.setParams(msg.params, needsRebuild(host.currentParams, msg.params)),
    play: (host) => host.play(),
    pause: (host) => host.pause(),
    step: (host, msg) => host.step(msg.steps),
    reset: (host) => host.reset(),
    setPoints: (host, msg) => host.setPoints(msg.x, msg.y, msg.params),
    sessionThree: (host) => host.startSessionThree(),
    importRun: (host, msg) => host.importRun(msg.params, msg.gWeights),
    async exportRun(host, msg) {
      // Always answered, so the page's request never waits for a timeout.
      try {
        const run = await host.exportRun();
        ctx.post({ type: 'runExport', runId: msg.runId, requestId: msg.requestId, run, error: null });
      } catch (e) {
        ctx.post({ type: 'runExport', runId: msg.runId, requestId: msg.requestId, run: null, error: errorMessage(e) });
      }
    },
    async benchmark(host, msg) {
      const result = msg.steps ? await runBenchmarkOverSteps(host, msg.steps.from, msg.steps.to) : await runBenchmark(host, msg.durationMs);
      ctx.post({ type: 'benchmark', runId: msg.runId, backend: ctx.backend!.name, ...result });
    },
  };

  return async (msg) => {
    // TypeScript cannot tie msg.type to its handler's parameter through the map: the casts say
    // what the map's type already guarantees (the handler of type T takes MessageOf<T>).
    if (WORKER_OP_TYPES.has(msg.type)) {
      const op = workerOps[msg.type as WorkerOpType] as (m: ToWorker) => Promise<void> | void;
      return op(msg);
    }
    const runMsg = msg as MessageOf<RunOpType>;
    const host = ctx.hosts.get(runMsg.runId);
    if (!host) throw new Error(`no run named ${runMsg.runId}`);
    const op = runOps[runMsg.type] as (h: RunHost, m: ToWorker) => Promise<void> | void;
    return op(host, runMsg);
  };
}
