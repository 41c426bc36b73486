/**
 * The benchmark page: builds a run from the link in the hash, notes when its first g
 * snapshot arrives, then asks the worker for bare vs playing steps per second. The result is
 * written as JSON into #result for scripts/bench.ts to read.
 */
import { decodeLink } from '../state/link';
import type { FromWorker, ToWorker } from '../worker/protocol';

const started = performance.now();
const out = document.getElementById('result')!;
const durationMs = Math.max(500, Math.min(60_000, Number(new URLSearchParams(location.search).get('ms')) || 4000));
const { params } = decodeLink(location.hash);
const worker = new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' });
const send = (msg: ToWorker) => worker.postMessage(msg);
let firstSnapshotMs: number | null = null;

worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
  const msg = e.data;
  if (msg.type === 'snapshot' && firstSnapshotMs === null && msg.snapshot.status !== 'building') {
    firstSnapshotMs = performance.now() - started;
    send({ type: 'benchmark', runId: 'bench', durationMs });
  } else if (msg.type === 'benchmark') {
    out.textContent = JSON.stringify({ ...msg, firstSnapshotMs, durationMs });
    out.dataset.done = '1';
    worker.terminate();
  } else if (msg.type === 'error') {
    out.textContent = JSON.stringify({ error: msg.message });
    out.dataset.done = '1';
  }
});
send({ type: 'init', runId: 'bench', params });
