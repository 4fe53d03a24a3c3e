// Test-only plugin for the distributed end-to-end tests and the throughput bench, loaded into real
// `darkroom serve` / `darkroom worker` processes by absolute path: DARKROOM_PLUGINS=<this file>.
//
// - `slow-local`: the local provider's work, each call made DARKROOM_TEST_PROVIDER_DELAY_MS slower
//   (default 250) so that a SIGKILL lands mid-step, plus a stand-in `image-to-image` (a tinted copy)
//   so that the reimagine feature runs on the local machine.
// - `io-wait`: text-to-image that only waits DARKROOM_TEST_PROVIDER_DELAY_MS and answers a solid PNG
//   of the requested size (encoded once per size): an I/O-bound provider, for the bench.
// - With DARKROOM_TEST_EVENT_LOG set, every engine event this process publishes is appended to that
//   file, synchronously, as `<type> <pid> <jobId> <step or -> <epoch ms>` (one file shared by every
//   process: appends keep one order across them). A plugin is not given the engine, so this wraps
//   EventBus.prototype.emit, the one method through which the engine publishes; events that arrive
//   from other processes are delivered by the transport and never pass through it.
import { appendFileSync } from 'node:fs';
import { definePlugin, defineProvider, EventBus, type EngineEvent, type ProviderHandlers } from '@darkroom/core';
import { createLocalProvider } from '@darkroom/provider-local';
import sharp from 'sharp';

const delayMs = Number(process.env.DARKROOM_TEST_PROVIDER_DELAY_MS ?? 250);
const eventLog = process.env.DARKROOM_TEST_EVENT_LOG;

if (eventLog) {
  const publish = EventBus.prototype.emit;
  EventBus.prototype.emit = function logged(this: EventBus, event: EngineEvent) {
    const jobId = 'jobId' in event ? event.jobId : '-';
    const step = 'step' in event ? event.step : '-';
    appendFileSync(eventLog, `${event.type} ${process.pid} ${jobId} ${step} ${Date.now()}\n`);
    publish.call(this, event);
  };
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

const local = createLocalProvider();
const slowHandlers: ProviderHandlers = Object.fromEntries(
  Object.entries(local.handlers).map(([capability, handler]) => [
    capability,
    async (request: never, context: { signal: AbortSignal }) => {
      await wait(delayMs, context.signal);
      return (handler as (request: never, context: unknown) => Promise<unknown>)(request, context);
    },
  ]),
);
slowHandlers['image-to-image'] = async (request, { signal }) => {
  await wait(delayMs, signal);
  const { data, info } = await sharp(request.image.bytes).tint({ r: 120, g: 160, b: 220 }).png().toBuffer({ resolveWithObject: true });
  return { images: [{ bytes: new Uint8Array(data), mimeType: 'image/png', width: info.width, height: info.height }], seed: request.seed ?? 1 };
};

const slowLocal = defineProvider({
  id: 'slow-local',
  models: [...local.models, { id: 'tint-stand-in', capabilities: ['image-to-image'], description: 'TEST STAND-IN: a tinted copy of the image' }],
  handlers: slowHandlers,
  close: () => local.close?.() ?? Promise.resolve(),
});

const solid = new Map<string, Promise<Uint8Array>>();
const solidPng = (width: number, height: number) => {
  const key = `${width}x${height}`;
  if (!solid.has(key)) solid.set(key, sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 200 } } }).png().toBuffer().then((bytes) => new Uint8Array(bytes)));
  return solid.get(key)!;
};

const ioWait = defineProvider({
  id: 'io-wait',
  models: [{ id: 'io-wait-1', capabilities: ['text-to-image'], description: 'TEST STAND-IN: waits, then answers a solid image' }],
  handlers: {
    'text-to-image': async (request, { signal }) => {
      await wait(delayMs, signal);
      return { images: [{ bytes: await solidPng(request.width, request.height), mimeType: 'image/png', width: request.width, height: request.height }], seed: request.seed ?? 1 };
    },
  },
});

export default definePlugin({ name: 'darkroom-distributed-test', providers: [slowLocal, ioWait] });
