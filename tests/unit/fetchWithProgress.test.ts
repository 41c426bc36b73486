import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchWithProgress, loadImageDataset, type DatasetLoadProgress, type FetchLike } from '../../src/worker/fetchWithProgress';
import { sha256Hex } from '../../src/core/data/imageAssets';

const DATA = join(__dirname, '..', '..', 'public', 'data');

/** A Response whose body arrives in chunks of `chunk` bytes. */
function chunked(bytes: Uint8Array, chunk: number, headers: Record<string, string> = {}, failAfter = -1): Response {
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter >= 0 && offset >= failAfter) {
        controller.error(new TypeError('network connection was lost'));
        return;
      }
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/octet-stream', ...headers } });
}

const payload = new Uint8Array(10_000).map((_, i) => (i * 7) & 255);

describe('fetchWithProgress', () => {
  it('streams the body with monotone progress up to the total', async () => {
    const calls: [number, number][] = [];
    const fetchImpl: FetchLike = async () => chunked(payload, 1024, { 'content-length': String(payload.length) });
    const buf = await fetchWithProgress(
      'x.bin',
      (l, t) => calls.push([l, t]),
      undefined,
      { label: 'Toy', sha256: await sha256Hex(payload) },
      fetchImpl,
    );
    expect(new Uint8Array(buf)).toEqual(payload);
    expect(calls[0]).toEqual([0, payload.length]);
    expect(calls[calls.length - 1]).toEqual([payload.length, payload.length]);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
  });

  it('reports total 0 (unknown) without a length, and ignores Content-Length under compression', async () => {
    const seen: number[] = [];
    await fetchWithProgress(
      'x',
      (_, t) => seen.push(t),
      undefined,
      {},
      async () => chunked(payload, 4096),
    );
    expect(seen[0]).toBe(0);
    const totals: number[] = [];
    await fetchWithProgress(
      'x',
      (l, t) => totals.push(t - l),
      undefined,
      {},
      async () => chunked(payload, 4096, { 'content-length': '100', 'content-encoding': 'gzip' }),
    );
    expect(Math.min(...totals)).toBeGreaterThanOrEqual(0); // loaded never exceeds total
  });

  it('turns failures into clear messages', async () => {
    const run = (fetchImpl: FetchLike, expect_ = {}) =>
      fetchWithProgress('f.bin', () => undefined, undefined, { label: 'Fashion-MNIST', ...expect_ }, fetchImpl);
    await expect(run(async () => new Response('nope', { status: 404 }))).rejects.toThrow('could not load Fashion-MNIST (HTTP 404)');
    await expect(
      run(async () => new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } })),
    ).rejects.toThrow(/could not load Fashion-MNIST \(the server sent a web page instead of the data file/);
    await expect(
      run(async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).rejects.toThrow('could not load Fashion-MNIST (network error: Failed to fetch)');
    await expect(run(async () => chunked(payload, 1000, {}, 3000))).rejects.toThrow(
      /could not load Fashion-MNIST \(connection lost after 3000 bytes: network connection was lost\)/,
    );
    await expect(run(async () => chunked(payload, 1000), { bytes: 20_000 })).rejects.toThrow(/received 10000 bytes, expected 20000/);
    await expect(run(async () => chunked(payload, 1000), { sha256: '0'.repeat(64) })).rejects.toThrow(
      /Fashion-MNIST failed its checksum .*damaged or does not match this version/,
    );
    await expect(run(async () => chunked(payload, 1000), { maxBytes: 5000 })).rejects.toThrow(/more than the 5000 bytes allowed/);
  });

  it('gives up with a message when no data arrives for the stall time: before the headers, and mid-body', async () => {
    const never: FetchLike = () => new Promise(() => undefined);
    await expect(fetchWithProgress('x.bin', () => undefined, undefined, { label: 'Toy', stallMs: 50 }, never)).rejects.toThrow(
      'could not load Toy (no data arrived for 0 s; the connection stalled)',
    );
    let sent = false;
    const partial: FetchLike = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (!sent) controller.enqueue(payload.slice(0, 100));
            sent = true;
            return new Promise(() => undefined); // then nothing, and the socket stays open
          },
        }),
        { status: 200 },
      );
    const progress: number[] = [];
    await expect(fetchWithProgress('x.bin', (l) => progress.push(l), undefined, { label: 'Toy', stallMs: 50 }, partial)).rejects.toThrow(
      /connection stalled/,
    );
    expect(progress).toContain(100);
  });

  it('rejects with an AbortError when cancelled', async () => {
    const ac = new AbortController();
    const p = fetchWithProgress(
      'x',
      (loaded) => (loaded >= 2000 ? ac.abort() : undefined),
      ac.signal,
      {},
      async (_u, init) => {
        const r = chunked(payload, 1000);
        init?.signal?.addEventListener('abort', () => undefined);
        return r;
      },
    );
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    const done = new AbortController();
    done.abort();
    await expect(
      fetchWithProgress(
        'x',
        () => undefined,
        done.signal,
        {},
        async () => chunked(payload, 1000),
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('loadImageDataset', () => {
  /** Serves public/data/ from disk, like the app's static server. */
  const serve =
    (tamper?: (file: string, b: Uint8Array) => Uint8Array | Response): FetchLike =>
    async (input) => {
      const file = new URL(String(input)).pathname.split('/').pop()!;
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(join(DATA, file)));
      } catch {
        return new Response('missing', { status: 404, statusText: 'Not Found' });
      }
      const t = tamper ? tamper(file, bytes) : bytes;
      return t instanceof Response ? t : chunked(t, 65536, { 'content-length': String(t.length) });
    };
  const base = 'http://127.0.0.1:4173/data/';

  it('loads digits with phases manifest, download, verify, decode, done', async () => {
    const progress: DatasetLoadProgress[] = [];
    const d = await loadImageDataset('digits', { baseUrl: base, onProgress: (p) => progress.push(p), fetchImpl: serve() });
    expect(d.name).toBe('UCI handwritten digits 8x8');
    expect(d.trainY.length + d.testY.length).toBe(1797);
    const phases = progress.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p);
    expect(phases).toEqual(['manifest', 'download', 'verify', 'decode', 'done']);
    for (let i = 1; i < progress.length; i++) expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    expect(progress[progress.length - 1].fraction).toBe(1);
  });

  it('fails with clear messages', async () => {
    await expect(loadImageDataset('cifar', { baseUrl: base, fetchImpl: serve() })).rejects.toThrow(
      'could not load cifar (not in the data manifest; available: digits, fashion-mnist)',
    );
    await expect(
      loadImageDataset('fashion-mnist', {
        baseUrl: base,
        fetchImpl: serve((f, b) => (f.endsWith('.bin') ? new Response('', { status: 404, statusText: 'Not Found' }) : b)),
      }),
    ).rejects.toThrow('could not load Fashion-MNIST (HTTP 404 Not Found)');
    await expect(
      loadImageDataset('digits', {
        baseUrl: base,
        fetchImpl: serve((f, b) => {
          if (f.endsWith('.bin')) b[100] ^= 1;
          return b;
        }),
      }),
    ).rejects.toThrow(/UCI handwritten digits 8x8 failed its checksum/);
    await expect(
      loadImageDataset('digits', { baseUrl: base, fetchImpl: serve((f, b) => (f.endsWith('.bin') ? b.slice(0, 5000) : b)) }),
    ).rejects.toThrow(/could not load UCI handwritten digits 8x8 \(received 5000 bytes, expected 116853/);
    await expect(
      loadImageDataset('digits', {
        baseUrl: base,
        fetchImpl: serve((f, b) => (f === 'manifest.json' ? new TextEncoder().encode('{oops') : b)),
      }),
    ).rejects.toThrow('the data manifest is malformed (not JSON)');
    await expect(loadImageDataset('digits', { baseUrl: base, fetchImpl: async () => new Response('', { status: 500 }) })).rejects.toThrow(
      'could not load the data manifest (HTTP 500)',
    );
  });
});
