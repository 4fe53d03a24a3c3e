import { EventSourceParserStream } from 'eventsource-parser/stream';

/** One Server-Sent Event with its JSON `data` parsed. */
export interface RawStreamEvent {
  event: string;
  data: unknown;
  id?: string;
}

/**
 * The events of a `text/event-stream` body, parsed with eventsource-parser (comments and
 * heartbeats skipped, `data` parsed as JSON). Ends when the body ends or `signal` aborts (whatever
 * fetch did with it); cancels the body when the caller stops iterating.
 * @throws SyntaxError when an event's data is not JSON.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<RawStreamEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield { event: value.event ?? 'message', data: value.data === '' ? null : JSON.parse(value.data), ...(value.id !== undefined ? { id: value.id } : {}) };
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    await reader.cancel().catch(() => undefined);
  }
}
