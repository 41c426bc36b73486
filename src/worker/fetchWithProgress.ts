/**
 * Lazy loading of the image data assets with progress, checksums and clear failure messages:
 * the network I/O of the worker (the manifest's format is checked by the pure core parser).
 * No DOM: works in a worker and in Node 20 (fetch, streams and Web Crypto).
 *
 * Every failure is an Error whose message can be shown as is ("could not load Fashion-MNIST
 * (HTTP 404)"); a cancelled load rejects with the signal's AbortError (name "AbortError"),
 * which callers should ignore rather than show.
 */
import { errorMessage } from '../core/errorMessage';
import { decodeImageAsset, sha256Hex, type ImageDataset } from '../core/data/imageAssets';
import { parseImageManifest } from '../core/data/imageManifest';

export interface FetchExpectation {
  /** What is being loaded, for messages ("Fashion-MNIST"). */
  label?: string;
  /** Expected lower-case hex sha256 of the whole body; checked after the download. */
  sha256?: string;
  /** Expected size in bytes: the progress total (better than Content-Length, which is the compressed size under gzip) and checked exactly. */
  bytes?: number;
  /** Refuse bodies larger than this (default 64 MiB). */
  maxBytes?: number;
  /** Give up when no byte arrives for this long (default DOWNLOAD_STALL_MS), headers included. */
  stallMs?: number;
}

/** A download that makes no progress for this long is aborted with a message (the user can Retry). */
export const DOWNLOAD_STALL_MS = 15_000;

export type FetchLike = (input: string | URL, init?: { signal?: AbortSignal }) => Promise<Response>;

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Rejects with the signal's reason once it aborts. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/**
 * Downloads url into an ArrayBuffer, calling onProgress(loaded, total) as bytes arrive (total is
 * 0 when unknown: show an indeterminate bar). Then, when expect.sha256 is given, verifies it.
 */
export async function fetchWithProgress(
  url: string | URL,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
  expect: FetchExpectation = {},
  fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
): Promise<ArrayBuffer> {
  const label = expect.label ?? String(url);
  const maxBytes = expect.maxBytes ?? DEFAULT_MAX_BYTES;
  const fail = (reason: string) => new Error(`could not load ${label} (${reason})`);
  signal?.throwIfAborted();
  // The request runs under its own signal: aborted by the caller's, or by the stall watch below.
  const stallMs = expect.stallMs ?? DOWNLOAD_STALL_MS;
  const own = new AbortController();
  const stalled = fail(`no data arrived for ${Math.round(stallMs / 1000)} s; the connection stalled`);
  const onAbort = () => own.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort);
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const progressMade = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => own.abort(stalled), stallMs);
  };
  progressMade();
  try {
    return await download();
  } catch (err) {
    if (own.signal.reason === stalled) throw stalled;
    throw err;
  } finally {
    clearTimeout(stallTimer);
    signal?.removeEventListener('abort', onAbort);
  }

  async function download(): Promise<ArrayBuffer> {
    let response: Response;
    try {
      // Raced with the signal: a fetch that ignores it (or a server that never answers) cannot hold the load.
      response = await Promise.race([fetchImpl(url, { signal: own.signal }), rejectOnAbort(own.signal)]);
    } catch (err) {
      if (isAbort(err) || own.signal.aborted) throw err;
      throw fail(`network error: ${errorMessage(err)}`);
    }
    if (!response.ok) throw fail(`HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`);
    const type = response.headers.get('content-type') ?? '';
    if (/text\/html/i.test(type)) {
      // Dev servers and single-page-app hosts answer a missing file with index.html and status 200.
      throw fail('the server sent a web page instead of the data file; is public/data/ deployed?');
    }

    const encoding = (response.headers.get('content-encoding') ?? '').trim();
    const encoded = encoding !== '' && !/^identity$/i.test(encoding);
    const lengthHeader = Number(response.headers.get('content-length'));
    const headerTotal = !encoded && Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : 0;
    const total = expect.bytes ?? headerTotal;
    if (total > maxBytes) throw fail(`the file is ${total} bytes, more than the ${maxBytes} allowed`);

    let body: Uint8Array;
    if (!response.body) {
      let buf: ArrayBuffer;
      try {
        buf = await response.arrayBuffer();
      } catch (err) {
        if (isAbort(err) || own.signal.aborted) throw err;
        throw fail(`download interrupted: ${errorMessage(err)}`);
      }
      body = new Uint8Array(buf);
      onProgress(body.byteLength, Math.max(total, body.byteLength));
    } else {
      const reader = response.body.getReader();
      // A stalled read ends when the signal aborts (cancelling ends a pending read).
      own.signal.addEventListener('abort', () => void reader.cancel(own.signal.reason).catch(() => undefined), { once: true });
      let buf = new Uint8Array(total > 0 ? total : 1 << 16);
      let loaded = 0;
      onProgress(0, total);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!value || value.byteLength === 0) continue;
          if (loaded + value.byteLength > maxBytes) throw fail(`more than the ${maxBytes} bytes allowed`);
          if (loaded + value.byteLength > buf.byteLength) {
            const grown = new Uint8Array(Math.max(buf.byteLength * 2, loaded + value.byteLength));
            grown.set(buf.subarray(0, loaded));
            buf = grown;
          }
          buf.set(value, loaded);
          loaded += value.byteLength;
          progressMade();
          onProgress(loaded, Math.max(total, loaded));
          own.signal.throwIfAborted();
        }
        own.signal.throwIfAborted();
      } catch (err) {
        reader.cancel().catch(() => undefined);
        if (isAbort(err) || own.signal.aborted) throw own.signal.reason ?? err;
        if (err instanceof Error && err.message.startsWith('could not load')) throw err;
        throw fail(`connection lost after ${loaded}${total ? ' of ' + total : ''} bytes: ${errorMessage(err)}`);
      }
      body = buf.byteLength === loaded ? buf : buf.slice(0, loaded);
    }

    if (expect.bytes !== undefined && body.byteLength !== expect.bytes) {
      throw fail(`received ${body.byteLength} bytes, expected ${expect.bytes}; the file is incomplete or out of date`);
    }
    if (expect.sha256) {
      const got = await sha256Hex(body);
      if (got !== expect.sha256.toLowerCase()) {
        throw new Error(
          `${label} failed its checksum (sha256 ${got.slice(0, 12)}..., expected ${expect.sha256.slice(0, 12)}...): ` +
            'the file is damaged or does not match this version of the app; reload the page, or rebuild with npm run datasets',
        );
      }
    }
    signal?.throwIfAborted();
    return body.buffer.byteLength === body.byteLength && body.byteOffset === 0 ? (body.buffer as ArrayBuffer) : body.slice().buffer;
  }
}

export type DatasetLoadPhase = 'manifest' | 'download' | 'verify' | 'decode' | 'done';

/** Progress of loadImageDataset; fraction in [0, 1] covers the whole load (download is 0.02..0.9). */
export interface DatasetLoadProgress {
  id: string;
  phase: DatasetLoadPhase;
  loaded: number;
  /** Bytes expected (0 while unknown). */
  total: number;
  fraction: number;
}

export interface LoadImageDatasetOptions {
  /**
   * Absolute URL of the folder holding manifest.json and the .bin files, e.g.
   * new URL('data/', document.baseURI).href on the page. Inside a worker, relative URLs resolve
   * against the worker's script (under assets/), so pass an absolute one.
   */
  baseUrl: string | URL;
  onProgress?: (p: DatasetLoadProgress) => void;
  signal?: AbortSignal;
  fetchImpl?: FetchLike;
}

/**
 * Loads one image data set by id ("digits", "fashion-mnist"): fetches the manifest, downloads
 * the asset with progress, verifies size and sha256, decodes and cross-checks the counts.
 * Every failure is an Error with a message fit for the user ("could not load Fashion-MNIST
 * (HTTP 404)"); cancellation rejects with an AbortError.
 */
export async function loadImageDataset(id: string, opts: LoadImageDatasetOptions): Promise<ImageDataset> {
  const { signal } = opts;
  const fetchImpl = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const report = (phase: DatasetLoadPhase, loaded: number, total: number, fraction: number) =>
    opts.onProgress?.({ id, phase, loaded, total, fraction });
  const base = new URL(String(opts.baseUrl).endsWith('/') ? String(opts.baseUrl) : String(opts.baseUrl) + '/');

  report('manifest', 0, 0, 0);
  const manifestBuf = await fetchWithProgress(
    new URL('manifest.json', base),
    () => undefined,
    signal,
    {
      label: 'the data manifest',
      maxBytes: 1024 * 1024,
    },
    fetchImpl,
  );
  const entries = parseImageManifest(new TextDecoder().decode(manifestBuf));
  const entry = entries.find((e) => e.id === id);
  if (!entry)
    throw new Error(`could not load ${id} (not in the data manifest; available: ${entries.map((e) => e.id).join(', ') || 'none'})`);

  report('download', 0, entry.bytes, 0.02);
  const buf = await fetchWithProgress(
    new URL(entry.file, base),
    (loaded, total) => report('download', loaded, total, 0.02 + 0.88 * (total > 0 ? Math.min(1, loaded / total) : 0)),
    signal,
    { label: entry.name, bytes: entry.bytes }, // sha256 checked below, so the verify phase can report
    fetchImpl,
  );
  report('verify', entry.bytes, entry.bytes, 0.9);
  const got = await sha256Hex(buf);
  if (got !== entry.sha256) {
    throw new Error(
      `${entry.name} failed its checksum (sha256 ${got.slice(0, 12)}..., expected ${entry.sha256.slice(0, 12)}...): ` +
        'the file is damaged or does not match this version of the app; reload the page, or rebuild with npm run datasets',
    );
  }
  signal?.throwIfAborted();
  report('decode', entry.bytes, entry.bytes, 0.95);
  let data: ImageDataset;
  try {
    data = decodeImageAsset(buf);
  } catch (err) {
    throw new Error(`could not load ${entry.name} (${errorMessage(err)})`, { cause: err });
  }
  const trainN = data.trainY.length;
  const testN = data.testY.length;
  if (
    data.id !== entry.id ||
    trainN !== entry.train ||
    testN !== entry.test ||
    data.width !== entry.width ||
    data.height !== entry.height
  ) {
    throw new Error(
      `could not load ${entry.name} (the file does not match the manifest: ${data.id}, ${trainN} + ${testN} images of ${data.width}x${data.height})`,
    );
  }
  if (entry.classNames.length === data.classes) data.classNames = entry.classNames.slice();
  data.name = entry.name;
  report('done', entry.bytes, entry.bytes, 1);
  return data;
}
