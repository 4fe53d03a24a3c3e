import { defineFeature, definePlugin, defineProvider } from '@darkroom/core';
import { solidPng } from '@darkroom/core/testing';
import { z } from 'zod';

/** A feature that reports progress before its provider call, for event-stream tests. */
export const sketchPlugin = definePlugin({
  name: 'test-sketch',
  features: [
    defineFeature({
      id: 'sketch',
      description: 'Sketch a picture slowly',
      capability: 'text-to-image',
      intents: { name: 'sketch', keywords: ['sketch'], examples: ['sketch a boat'] },
      chat: { promptField: 'prompt' },
      input: z.object({ prompt: z.string().min(1).max(200) }),
      async run(input, context) {
        context.progress(25);
        const result = await context.call('text-to-image', { prompt: input.prompt, width: 64, height: 64 });
        return { images: result.images, provider: result.provider, model: result.model, metadata: {} };
      },
    }),
  ],
});

/** A text-to-image provider that waits until the test opens its gate (or the call is aborted). */
export function createGatedProvider() {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let started!: () => void;
  let startedPromise = new Promise<void>((resolve) => (started = resolve));
  const calls = { started: 0, aborted: 0 };
  const provider = defineProvider({
    id: 'gated',
    models: [{ id: 'gated-1', capabilities: ['text-to-image'] }],
    handlers: {
      'text-to-image': async (request, { signal }) => {
        calls.started += 1;
        started();
        await new Promise<void>((resolve, reject) => {
          void gate.then(resolve);
          signal.addEventListener('abort', () => ((calls.aborted += 1), reject(signal.reason)), { once: true });
        });
        return { images: [{ bytes: await solidPng(request.width, request.height), mimeType: 'image/png', width: request.width, height: request.height }], seed: 7 };
      },
    },
  });
  return {
    provider,
    calls,
    /** Resolves when a call has started. */
    started: () => startedPromise,
    open: () => open(),
    /** Closes the gate again for the next calls. */
    reset() {
      gate = new Promise<void>((resolve) => (open = resolve));
      startedPromise = new Promise<void>((resolve) => (started = resolve));
    },
  };
}

/** Reads Server-Sent Events from a response until `stop` says so or the stream ends. */
export async function readEvents(response: Response, stop: (event: { id: string; event: string; data: any }) => boolean = () => false) {
  const events: Array<{ id: string; event: string; data: any }> = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { events, ended: true };
    buffer += decoder.decode(value, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        fields[line.slice(0, colon)] = (fields[line.slice(0, colon)] ? `${fields[line.slice(0, colon)]}\n` : '') + line.slice(colon + 1).replace(/^ /, '');
      }
      if (!fields.event) continue;
      const event = { id: fields.id ?? '', event: fields.event, data: JSON.parse(fields.data ?? 'null') };
      events.push(event);
      if (stop(event)) {
        await reader.cancel();
        return { events, ended: false };
      }
    }
  }
}
