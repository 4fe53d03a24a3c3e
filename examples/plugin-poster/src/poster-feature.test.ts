import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '@darkroom/core';
import generate from '@darkroom/plugin-generate';
import upscale from '@darkroom/plugin-upscale';
import { createLocalProvider } from '@darkroom/provider-local';
import { expect, it } from 'vitest';

it('is loaded by package name beside the built-in features, reachable directly and from chat', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-poster-'));
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  // As README's "Use it from npm" loads it: beside generate and upscale, whose words it must not share.
  const engine = await createEngine({ dataDir, plugins: [generate, upscale, 'darkroom-plugin-poster'], providers: [createLocalProvider()] });
  try {
    const direct = await engine.run('poster', { prompt: 'a jazz night', seed: 2 }, { userId: 'u1' });
    expect(direct.images[0]).toMatchObject({ width: 1024, height: 1536 });
    const session = await engine.chat.createSession('u1');
    for (const content of ['make a poster of a jazz night', 'tạo áp phích lễ hội âm nhạc']) {
      const sent = await engine.chat.send({ userId: 'u1', sessionId: session.id, content });
      await engine.jobs.wait('u1', sent.jobId);
      const reply = await engine.chat.message('u1', session.id, sent.messageId);
      expect(reply, content).toMatchObject({ status: 'DONE', data: { intents: [{ feature: 'poster' }] } });
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((message) => /keyword/i.test(message))).toEqual([]);
  } finally {
    process.off('warning', onWarning);
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
