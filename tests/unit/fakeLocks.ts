/** Web Locks in miniature for tests (exclusive locks granted in request order). */
import type { LockManagerLike } from '../../src/state/lifeLock';

/** A lock manager; `hold` takes a lock as a worker (or another page) does, `release` frees it as its end does. */
export function fakeLocks() {
  const held = new Set<string>();
  const queues = new Map<string, { grant: () => void; signal: AbortSignal }[]>();
  const grantNext = (name: string) => {
    const next = queues.get(name)?.shift();
    if (next) next.grant();
  };
  const locks: LockManagerLike = {
    query: () => Promise.resolve({ held: [...held].map((name) => ({ name })) }),
    request: (name, { signal }, callback) =>
      new Promise((resolve, reject) => {
        const grant = () => {
          held.add(name);
          const result = callback();
          const done = () => {
            held.delete(name);
            grantNext(name);
          };
          // Held until the callback's promise settles (a page or worker holding it for life never does).
          if (result instanceof Promise) result.then(done, done);
          else done();
          resolve(result);
        };
        if (!held.has(name)) return grant();
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        queue.push({ grant, signal });
        signal.addEventListener('abort', () => {
          queue.splice(
            queue.findIndex((q) => q.grant === grant),
            1,
          );
          reject(new DOMException('aborted', 'AbortError'));
        });
      }),
  };
  return {
    locks,
    hold: (name: string) => held.add(name),
    release: (name: string) => {
      held.delete(name);
      grantNext(name);
    },
  };
}
