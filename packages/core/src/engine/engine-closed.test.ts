import { describe, expect, it } from 'vitest';
import { DarkroomError } from '@darkroom/plugin-api';
import { createInstantProvider, solidPng, testPlugin } from '../testing/test-plugin.js';
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
    await expect(engine.prompt.refine('a cat')).rejects.toMatchObject(closed);
    await expect(engine.prompt.validate('a cat')).rejects.toMatchObject(closed);
    await expect(engine.prompt.plan('paint a cat')).rejects.toMatchObject(closed);
    // The runner does not start again on a closed database.
    await expect(engine.start()).rejects.toMatchObject(closed);
    // Closing again is harmless.
    await expect(engine.close()).resolves.toBeUndefined();
    // Readiness and health still answer, saying what is down.
    expect((await engine.ready()).ok).toBe(false);
    expect((await engine.health()).ok).toBe(false);
  });

  it('turns every failure of calls caught mid-way by close() into unavailable: runs still moving images to storage, waits, reads', { timeout: 60_000 }, async () => {
    const image = `data:image/png;base64,${Buffer.from(await solidPng(400, 400)).toString('base64')}`;
    for (const delayMs of [0, 2, 5, 10, 20]) {
      // 40 jobs for one user: lift the per-user waiting limit (32), which a slow machine would otherwise hit.
      const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], jobs: { maxQueuedPerUser: Infinity } });
      const session = await engine.chat.createSession('u1');
      const calls: Promise<unknown>[] = [
        ...Array.from({ length: 30 }, () => engine.run('enlarge', { image })),
        ...Array.from({ length: 5 }, () => engine.submit('enlarge', { image })),
        ...Array.from({ length: 5 }, () => engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'paint a boat' })),
        ...Array.from({ length: 5 }, () => engine.gallery.list('u1')),
        ...Array.from({ length: 5 }, () => engine.assets.upload('u1', Buffer.from(image.slice(22), 'base64'))),
      ];
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await engine.close();
      const outcomes = await Promise.allSettled(calls);
      const raw = outcomes.flatMap((outcome) => (outcome.status === 'rejected' && !(outcome.reason instanceof DarkroomError && outcome.reason.code === 'unavailable') ? [String(outcome.reason)] : []));
      expect(raw, `closing after ${delayMs} ms`).toEqual([]);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject(closed);
    }
  });
});
