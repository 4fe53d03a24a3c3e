import { maxMessageLength } from '@darkroom/plugin-api';
import { describe, expect, it } from 'vitest';
import { createInstantProvider, testPlugin } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';

describe('ChatService', () => {
  it('takes a message up to the limit as the API schema counts it (code points), and names the unit when refusing', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const session = await engine.chat.createSession('u1');
      const sent = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: '💍'.repeat(maxMessageLength) });
      expect(sent.status).toBe('PROCESSING');
      await expect(engine.chat.send({ userId: 'u1', sessionId: session.id, content: '💍'.repeat(maxMessageLength + 1) })).rejects.toMatchObject({
        code: 'invalid_input',
        message: `content is ${maxMessageLength + 1} characters (Unicode code points) long; the limit is ${maxMessageLength}: shorten it`,
        details: { field: 'content' },
      });
      await expect(engine.chat.send({ userId: 'u1', sessionId: session.id, content: ' \u200b ' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^content is empty \(or only spaces or invisible characters\)/) });
    } finally {
      await engine.close();
    }
  });
});
