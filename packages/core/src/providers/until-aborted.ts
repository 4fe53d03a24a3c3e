/**
 * Waits for `work` but stops waiting as soon as `signal` aborts, rejecting with the signal's reason.
 * The work itself goes on (work that cannot be interrupted: a libvips pipeline, a native model run, a
 * model load) and its result or error is dropped; an already-aborted signal rejects at once.
 *
 * @example
 * const result = await untilAborted(handler(request, context), context.signal);
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
