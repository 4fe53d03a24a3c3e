import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '@darkroom/core';
import { createLocalProvider } from '@darkroom/provider-local';
import { expect, it } from 'vitest';

it('is loaded by package name and reachable directly and from chat', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-poster-'));
  const engine = await createEngine({ dataDir, plugins: ['darkroom-plugin-poster'], providers: [createLocalProvider()] });
  try {
    const direct = await engine.run('poster', { prompt: 'a jazz night', seed: 2 }, { userId: 'u1' });
    expect(direct.images[0]).toMatchObject({ width: 1024, height: 1536 });
    const session = await engine.chat.createSession('u1');
    const sent = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'make a poster of a jazz night' });
    await engine.jobs.wait('u1', sent.jobId);
    const reply = await engine.chat.message('u1', session.id, sent.messageId);
    expect(reply).toMatchObject({ status: 'DONE', data: { intents: [{ feature: 'poster' }] } });
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
