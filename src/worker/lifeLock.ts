/**
 * The worker's side of src/state/lifeLock.ts: it holds the Web Lock named after it (the page
 * gives the name as the worker's `name`) for as long as it lives, so the page learns of its end
 * at once, whatever ended it. Without a name or a lock manager there is nothing to hold.
 */
interface LockScope {
  name?: string;
  navigator?: { locks?: { request(name: string, callback: () => Promise<never>): Promise<unknown> } };
}

export function holdLifeLock(scope: LockScope = self): void {
  const locks = scope.navigator?.locks;
  if (!scope.name || !locks) return;
  // Never resolves: the lock goes only with the worker.
  void locks.request(scope.name, () => new Promise<never>(() => undefined)).catch(() => undefined);
}
