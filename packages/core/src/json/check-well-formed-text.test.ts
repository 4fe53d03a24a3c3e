import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/create-engine.js';
import { createInstantProvider, solidPng, testPlugin } from '../testing/test-plugin.js';
import { checkWellFormedText } from './check-well-formed-text.js';

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('checkWellFormedText', () => {
  it('passes valid text, whole surrogate pairs and what is not text', () => {
    expect(() => checkWellFormedText({ title: '💍 rings', tags: ['a', 'e\u0301'], bytes: new Uint8Array([0xd8, 0x00]), n: 1, none: null }, 'body')).not.toThrow();
  });

  it('refuses an unpaired surrogate anywhere, naming the field path and the position', () => {
    const cases: Array<[unknown, string, string]> = [
      [JSON.parse('{"title":"a\\ud800b"}'), 'body.title', 'U+D800 at index 1'],
      [{ metadata: { tags: ['ok', 'x\udc8d'] } }, 'body.metadata.tags[1]', 'U+DC8D at index 1'],
      [{ metadata: { 'odd key': '\ud83d' } }, 'body.metadata["odd key"]', 'U+D83D at index 0'],
      // A low surrogate before a high one is no pair.
      [{ content: '\udc8d\ud83d' }, 'body.content', 'U+DC8D at index 0'],
    ];
    for (const [value, field, where] of cases) {
      const error = refusal(() => checkWellFormedText(value, 'body'));
      expect(error, field).toMatchObject({ code: 'invalid_input', details: { field } });
      expect((error as Error).message).toContain(`${field} holds an unpaired UTF-16 surrogate (${where})`);
    }
    expect(refusal(() => checkWellFormedText({ ['k\ud800']: 1 }, 'body'))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/field name in body .*rename the field/) });
    expect(refusal(() => checkWellFormedText({ prompt: '\ud800' }, ''))).toMatchObject({ details: { field: 'prompt' } });
  });

  it('guards what the engine stores for callers that skip HTTP: session fields, messages, gallery records and feature inputs', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const lone = 'a\ud800b';
      const refused = (work: Promise<unknown>) => work.then(() => undefined, (error: unknown) => error);
      expect(await refused(engine.chat.createSession('u1', { title: lone }))).toMatchObject({ code: 'invalid_input', details: { field: 'title' } });
      const session = await engine.chat.createSession('u1');
      expect(await refused(engine.chat.updateSession('u1', session.id, { description: lone }))).toMatchObject({ details: { field: 'description' } });
      expect(await refused(engine.chat.send({ userId: 'u1', sessionId: session.id, content: lone }))).toMatchObject({ details: { field: 'content' } });
      expect(await refused(engine.gallery.create('u1', { image: await solidPng(4, 4), metadata: { note: lone } }))).toMatchObject({ details: { field: 'metadata.note' } });
      expect(await refused(engine.run('paint', { prompt: lone, size: 8 }, { userId: 'u1' }))).toMatchObject({ details: { field: 'prompt' } });
      expect((await engine.jobs.list('u1')).jobs).toEqual([]);
      expect((await engine.chat.history('u1', session.id)).messages).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});
