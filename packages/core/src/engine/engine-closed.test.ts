import { describe, expect, it } from 'vitest';
import { createInstantProvider, testPlugin } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';

const closed = { code: 'unavailable', status: 503, message: expect.stringMatching(/engine is closed.*createEngine\(\)/) };

describe('an engine during and after close()', () => {
  it('refuses every call with a typed unavailable error, not the database driver\'s', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    const session = await engine.chat.createSession('u1');
    const closing = engine.close();
    await expect(engine.run('paint', { prompt: 'a boat' })).rejects.toMatchObject(closed);
    await closing;
    await expect(engine.run('paint', { prompt: 'a boat' })).rejects.toMatchObject(closed);
    await expect(engine.submit('paint', { prompt: 'a boat' })).rejects.toMatchObject(closed);
    await expect(engine.result('u1', 'job_x')).rejects.toMatchObject(closed);
    await expect(engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'paint a boat' })).rejects.toMatchObject(closed);
    await expect(engine.chat.history('u1', session.id)).rejects.toMatchObject(closed);
    await expect(engine.gallery.list('u1')).rejects.toMatchObject(closed);
    await expect(engine.jobs.get('u1', 'job_x')).rejects.toMatchObject(closed);
    await expect(engine.assets.get('u1', 'ast_x')).rejects.toMatchObject(closed);
    await expect(engine.webhooks.due(10)).rejects.toMatchObject(closed);
    // Readiness still answers, saying what is down.
    expect((await engine.ready()).ok).toBe(false);
  });
});
