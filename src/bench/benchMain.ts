/**
 * The benchmark page: builds a run from the link in the hash, notes when its first g
 * snapshot arrives, then asks the worker for bare vs playing steps per second. The result is
 * written as JSON into #result for scripts/bench.ts to read. With ?pool=N it measures the
 * comparison the hash names on N workers instead (compareBench.ts). ?network=1 measures with the
 * network view read (its panel on screen); by default it is not, as on the app's first screen.
 * ?from=A&to=B times the bare loop over training steps A to B instead (worker/benchmark.ts).
 */
import { decodeLink } from '../state/link';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { runCompareBench } from './compareBench';

const started = performance.now();
const out = document.getElementById('result')!;
const search = new URLSearchParams(location.search);
const durationMs = Math.max(500, Math.min(60_000, Number(search.get('ms')) || 4000));
const { params } = decodeLink(location.hash);
const poolSize = Number(search.get('pool'));
const networkShown = search.get('network') === '1';
// ?from=A&to=B: the bare figure over training steps A to B (compare mode's reference, worker/benchmark.ts).
const from = Number(search.get('from'));
const to = Number(search.get('to'));
const stepRange = search.has('from') && Number.isFinite(from) && Number.isFinite(to) && to > from && from >= 0 ? { from, to } : null;

function finish(result: object): void {
  out.textContent = JSON.stringify(result);
  out.dataset.done = '1';
}

function singleRun(): void {
  const worker = new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' });
  const send = (msg: ToWorker) => worker.postMessage(msg);
  let firstSnapshotMs: number | null = null;
  let warmUpStarted = false;

  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    const runId = msg.type === 'snapshot' ? msg.snapshot.runId : 'runId' in msg ? msg.runId : null;
    if (runId === 'warm-up') {
      // Over given steps, a run of the same model trains first, so the engine's code is warm
      // (tiered up) before the timed run is built: a fresh page would time its first second cold.
      if (msg.type === 'snapshot' && msg.snapshot.status !== 'building' && !warmUpStarted) {
        warmUpStarted = true;
        send({ type: 'benchmark', runId: 'warm-up', durationMs: 500 });
      } else if (msg.type === 'benchmark') {
        send({ type: 'dispose', runId: 'warm-up' });
        send({ type: 'init', runId: 'bench', params });
      } else if (msg.type === 'error') finish({ error: msg.message });
      return;
    }
    if (msg.type === 'snapshot' && firstSnapshotMs === null && msg.snapshot.status !== 'building') {
      firstSnapshotMs = performance.now() - started;
      send({ type: 'benchmark', runId: 'bench', durationMs, ...(stepRange ? { steps: stepRange } : {}) });
    } else if (msg.type === 'benchmark') {
      finish({ ...msg, firstSnapshotMs, durationMs });
      worker.terminate();
    } else if (msg.type === 'error') {
      finish({ error: msg.message });
    }
  });
  // Said before init, as the app does (state/readoutWish.ts).
  send({ type: 'readouts', runId: 'bench', network: networkShown });
  if (stepRange) send({ type: 'init', runId: 'warm-up', params });
  else send({ type: 'init', runId: 'bench', params });
}

if (poolSize >= 1) runCompareBench(params, Math.floor(poolSize), durationMs, finish);
else singleRun();
