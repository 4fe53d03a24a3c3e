import { createEngine, type Engine } from '@darkroom/core';
import generate from '@darkroom/plugin-generate';
import upscale from '@darkroom/plugin-upscale';
import { createLocalProvider } from '@darkroom/provider-local';

/**
 * A host app's own service around the engine: it chooses the plugins and providers, owns the user
 * ids, and listens to events (here, to push progress to its own UI).
 */
export async function createPhotoStudio(options: { dataDir?: string; onProgress?: (jobId: string, percent: number) => void } = {}) {
  const engine: Engine = await createEngine({
    plugins: [generate, upscale],
    providers: [createLocalProvider()],
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  engine.on((event) => {
    if (event.type === 'job.progress') options.onProgress?.(event.jobId, event.progress);
  });
  return {
    engine,
    /** A button in the host app: upscale the user's photo 2×. */
    upscale: (userId: string, photo: Uint8Array) => engine.run('upscale', { image: photo, scale: 2 }, { userId }),   // bytes as they are, no base64
    /** The host app's chat box. */
    async ask(userId: string, sessionId: string, text: string) {
      const sent = await engine.chat.send({ userId, sessionId, content: text });
      await engine.jobs.wait(userId, sent.jobId);
      return engine.chat.message(userId, sessionId, sent.messageId);
    },
    close: () => engine.close(),
  };
}
