/**
 * The benchmark page: builds a run from the link in the hash, notes when its first g
 * snapshot arrives, then asks the worker for bare vs playing steps per second. The result is
 * written as JSON into #result for scripts/bench.ts to read. With ?pool=N it measures the
 * comparison the hash names on N workers instead (compareBench.ts). ?network=1 measures with the
 * network view read (its panel on screen); by default it is not, as on the app's first screen.
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

function finish(result: object): void {
  out.textContent = JSON.stringify(result);
  out.dataset.done = '1';
}

function singleRun(): void {
  const worker = new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' });
  const send = (msg: ToWorker) => worker.postMessage(msg);
  let firstSnapshotMs: number | null = null;

  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    if (msg.type === 'snapshot' && firstSnapshotMs === null && msg.snapshot.status !== 'building') {
      firstSnapshotMs = performance.now() - started;
      send({ type: 'benchmark', runId: 'bench', durationMs });
    } else if (msg.type === 'benchmark') {
      finish({ ...msg, firstSnapshotMs, durationMs });
      worker.terminate();
    } else if (msg.type === 'error') {
      finish({ error: msg.message });
    }
  });
  // Said before init, as the app does (state/readoutWish.ts).
  send({ type: 'readouts', runId: 'bench', network: networkShown });
  send({ type: 'init', runId: 'bench', params });
}

if (poolSize >= 1) runCompareBench(params, Math.floor(poolSize), durationMs, finish);
else singleRun();
