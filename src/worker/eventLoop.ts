/** Giving the worker's message loop a turn between training chunks. */

/** Resolves on a fresh macrotask, so queued messages get handled between training chunks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
