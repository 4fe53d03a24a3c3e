import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDefaultEngine, createServer } from '@darkroom/server';
import { expect, it } from 'vitest';

it('is loaded by package name and reachable from chat and from its direct route', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-poster-'));
  const engine = await createDefaultEngine({ dataDir, plugins: ['darkroom-plugin-poster'] });
  try {
    const app = createServer({ engine }).app;
    const direct = await app.request('/v1/features/poster', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a jazz night', seed: 2 }) });
    expect(direct.status).toBe(200);
    expect((await direct.json()).images[0]).toMatchObject({ width: 1024, height: 1536 });
    const session = await engine.chat.createSession('local');
    const sent = await engine.chat.send({ userId: 'local', sessionId: session.id, content: 'make a poster of a jazz night' });
    await engine.jobs.wait('local', sent.jobId);
    const reply = await engine.chat.message('local', session.id, sent.messageId);
    expect(reply).toMatchObject({ status: 'DONE', data: { intents: [{ feature: 'poster' }] } });
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
