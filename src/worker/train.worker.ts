/**
 * The training worker: owns every tensor, runs the core, and talks to the page only through
 * the typed protocol. Messages are handled one at a time, in order (a rebuild finishes before
 * the `play` that follows it); training itself runs between messages in adaptive chunks.
 */
import { needsRebuild } from '../core/params';
import { activateBackend, type ActiveBackend } from './backends';
import type { FromWorker, ToWorker } from './protocol';
import { RunHost, type HostOutput } from './runHost';
import { loadImagesCached, setDataBaseUrl } from './imageLoader';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

const hosts = new Map<string, RunHost>();
let backend: ActiveBackend | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

const output: HostOutput = {
  snapshot: (snapshot, transfer) => post({ type: 'snapshot', snapshot }, transfer),
  dataset: (d, transfer) => post(d, transfer),
  progress: (runId, stage, done, total) => post({ type: 'progress', runId, stage, done, total }),
  datasetProgress: (m) => post(m),
  imageData: (m, transfer) => post(m, transfer),
  datasetError: (m) => post(m),
};

async function ensureBackend(choice: Parameters<typeof activateBackend>[0]): Promise<ActiveBackend> {
  if (!backend) backend = await activateBackend(choice);
  return backend;
}

/** Switching keeps the weights: every host exports them, the backend changes, they come back. */
async function switchBackend(choice: Parameters<typeof activateBackend>[0]): Promise<void> {
  const saved = new Map<string, Awaited<ReturnType<RunHost['exportWeights']>>>();
  for (const [id, host] of hosts) saved.set(id, await host.exportWeights());
  backend = await activateBackend(choice);
  for (const [id, host] of hosts) await host.importAfterSwitch(backend, saved.get(id) ?? null);
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      const active = await ensureBackend(msg.params.backend);
      await hosts.get(msg.runId)?.dispose();
      const host = new RunHost(msg.runId, msg.params, active, output, { loadImages: loadImagesCached });
      hosts.set(msg.runId, host);
      await host.build();
      return;
    }
    case 'setBackend':
      await switchBackend(msg.backend);
      return;
    case 'configure':
      setDataBaseUrl(msg.dataBaseUrl);
      return;
    case 'dispose': {
      await hosts.get(msg.runId)?.dispose();
      hosts.delete(msg.runId);
      return;
    }
  }
  const host = hosts.get(msg.runId);
  if (!host) throw new Error(`no run named ${msg.runId}`);
  switch (msg.type) {
    case 'setParams':
      return host.setParams(msg.params, needsRebuild(host.currentParams, msg.params));
    case 'play':
      return host.play();
    case 'pause':
      return host.pause();
    case 'step':
      return host.step(msg.steps);
    case 'reset':
      return host.reset();
    case 'setPoints':
      return host.setPoints(msg.x, msg.y, msg.params);
    case 'sessionThree':
      return host.startSessionThree();
    case 'importRun':
      return host.importRun(msg.params, msg.gWeights);
    case 'exportRun': {
      // Always answered, so the page's request never waits for a timeout.
      try {
        const run = await host.exportRun();
        post({ type: 'runExport', runId: msg.runId, requestId: msg.requestId, run, error: null });
      } catch (e) {
        post({ type: 'runExport', runId: msg.runId, requestId: msg.requestId, run: null, error: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    case 'benchmark': {
      const result = await host.benchmark(msg.durationMs);
      post({ type: 'benchmark', runId: msg.runId, backend: backend!.name, ...result });
      return;
    }
  }
}

let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e) => {
  const msg = e.data;
  queue = queue
    .then(() => handle(msg))
    .catch((err: unknown) => {
      const runId = msg && typeof msg === 'object' && 'runId' in msg ? String(msg.runId) : null;
      post({ type: 'error', runId, message: err instanceof Error ? err.message : String(err) });
    });
});
