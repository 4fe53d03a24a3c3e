import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabases } from '@darkroom/core/testing';
import { describe, expect, it } from 'vitest';
import { createDefaultEngine } from './create-default-engine.js';

// The whole engine, not only its stores, on every database backend.
describe.each(await testDatabases())('the engine on $name', (backend) => {
  it('runs a two-step chat turn and a direct call, and keeps the gallery right', async () => {
    const database = await backend.open();
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-store-'));
    const engine = await createDefaultEngine({ store: database, dataDir, runner: { pollMs: 50 } });
    try {
      const session = await engine.chat.createSession('u1');
      const sent = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'create a small sunset 256x256, then upscale it 2x' });
      expect((await engine.jobs.wait('u1', sent.jobId)).state).toBe('succeeded');
      const reply = await engine.chat.message('u1', session.id, sent.messageId);
      expect(reply.data.images?.map((image) => [image.width, image.height])).toEqual([[256, 256], [512, 512]]);
      const direct = await engine.run('upscale', { image: { asset_id: reply.data.images![0]!.assetId }, scale: 4 }, { userId: 'u1' });
      expect(direct.images[0]).toMatchObject({ width: 1024, height: 1024 });
      const gallery = await engine.gallery.list('u1');
      expect(gallery.items.map((item) => item.origin.source).sort()).toEqual(['chat', 'chat', 'direct']);
      expect((await engine.jobs.get('u1', sent.jobId)).steps.map((step) => step.key)).toEqual(['plan', 'step-0:generate', 'step-1:upscale', 'reply']);
    } finally {
      await engine.close();
      await database.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
