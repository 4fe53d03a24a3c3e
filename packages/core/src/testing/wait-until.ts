/**
 * Reads `read()` every 10 ms until `done(value)` holds, and answers that value; throws after
 * `timeoutMs` (default 10 s) with the last value read.
 *
 * @example
 * const job = await waitUntil(() => backend.queue.get(id), (job) => job?.state === 'succeeded');
 */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
