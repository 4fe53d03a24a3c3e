export interface PixelBudget {
  /**
   * Waits until `pixels` fit beside the work in flight, then holds them until the answered `release`
   * is called. Waiters are served in order. A request larger than the whole budget starts once
   * nothing else is in flight (so it never waits forever). Aborting while waiting rejects with the
   * signal's reason and takes the request out of the line.
   */
  acquire(pixels: number, signal?: AbortSignal): Promise<() => void>;
  /** Pixels held now. */
  inFlight(): number;
  readonly limit: number;
}

interface Waiter {
  pixels: number;
  start: () => void;
}

/**
 * A budget of image pixels in process at once: it bounds the decoded images (and their working
 * copies) that concurrent requests hold, so memory follows the budget, not the number of requests.
 * `Infinity` turns it off.
 */
export function createPixelBudget(limit: number): PixelBudget {
  let held = 0;
  const line: Waiter[] = [];

  const fits = (pixels: number) => held === 0 || held + pixels <= limit;
  const serve = () => {
    while (line.length > 0 && fits(line[0]!.pixels)) line.shift()!.start();
  };
  const hold = (pixels: number) => {
    held += pixels;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held -= pixels;
      serve();
    };
  };

  return {
    limit,
    inFlight: () => held,
    acquire(pixels, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (line.length === 0 && fits(pixels)) return Promise.resolve(hold(pixels));
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          line.splice(line.indexOf(waiter), 1);
          reject(signal!.reason);
          serve(); // the next in line may fit now
        };
        const waiter: Waiter = {
          pixels,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(hold(pixels));
          },
        };
        line.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
