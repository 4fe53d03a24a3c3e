import { DarkroomError } from '@darkroom/plugin-api';

export interface EventTransportUnavailable {
  /** The transport's name (`postgres`, `redis`, …). */
  transport: string;
  /** Where it connects, without credentials (`127.0.0.1:5432/test`, channel included). */
  target: string;
  /** What went wrong, e.g. the last connection error's message. */
  reason: string;
  /** What an operator should check, as a sentence fragment. */
  check: string;
  cause?: unknown;
}

/**
 * The refusal of `EventTransport.ready()`: `unavailable` (HTTP 503), retryable, with
 * `details: { transport, target }` and a message naming what to check.
 *
 * @example
 * throw eventTransportUnavailableError({ transport: 'redis', target: '127.0.0.1:6379 channel darkroom:events', reason: 'connect ECONNREFUSED', check: 'that Redis runs and DARKROOM_REDIS_URL points at it' });
 */
export function eventTransportUnavailableError(options: EventTransportUnavailable): DarkroomError {
  return new DarkroomError({
    code: 'unavailable',
    message: `The ${options.transport} event transport is not connected to ${options.target}: ${options.reason}; check ${options.check}`,
    retryable: true,
    details: { transport: options.transport, target: options.target },
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}
