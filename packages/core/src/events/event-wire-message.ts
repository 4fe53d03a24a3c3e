import type { EngineEvent } from './event-bus.js';

/** One event as it travels between processes: who sent it, its place in the sender's sequence, the event. */
export interface EventWireMessage {
  /** The sending transport's id: a process ignores its own messages (its subscribers heard them already). */
  origin: string;
  /** 1, 2, 3… per origin: receivers drop repeats and count gaps. */
  sequence: number;
  event: EngineEvent;
}

const version = 1;

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * The JSON text of a message, at most `maxBytes` UTF-8 bytes. When the whole event does not fit, a
 * `job.succeeded` is sent without `result` and with `resultOmitted: true` (`trimmed: true`); any
 * other event that does not fit answers `undefined` (not sendable). Throws when the event is not
 * JSON-serialisable (a BigInt, a cycle).
 *
 * @example
 * encodeEventWireMessage({ origin: 'a1', sequence: 7, event }, 7_999); // { payload: '{"v":1,"o":"a1","s":7,"e":{…}}', trimmed: false }
 */
export function encodeEventWireMessage(message: EventWireMessage, maxBytes: number): { payload: string; trimmed: boolean } | undefined {
  const encode = (event: EngineEvent) => JSON.stringify({ v: version, o: message.origin, s: message.sequence, e: event });
  const whole = encode(message.event);
  if (byteLength(whole) <= maxBytes) return { payload: whole, trimmed: false };
  if (message.event.type !== 'job.succeeded') return undefined;
  const { result: _result, ...rest } = message.event;
  const trimmed = encode({ ...rest, result: undefined, resultOmitted: true });
  return byteLength(trimmed) <= maxBytes ? { payload: trimmed, trimmed: true } : undefined;
}

/** The message in a payload, or `undefined` for anything that is not a message of this version. */
export function decodeEventWireMessage(payload: string): EventWireMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, o, s, e } = parsed as Record<string, unknown>;
  if (v !== version || typeof o !== 'string' || !Number.isSafeInteger(s) || typeof e !== 'object' || e === null) return undefined;
  if (typeof (e as { type?: unknown }).type !== 'string') return undefined;
  return { origin: o, sequence: s as number, event: e as EngineEvent };
}
