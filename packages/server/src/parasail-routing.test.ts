import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeParasail, type FakeParasail } from '../../providers/parasail/src/testing-fake-parasail.js';
import { createDefaultEngine } from './create-default-engine.js';

let fake: FakeParasail;
beforeAll(async () => {
  fake = await startFakeParasail();
});
afterAll(() => fake.close());

it('chat uses Parasail function calling and refinement when it is the configured language model', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-parasail-'));
  const engine = await createDefaultEngine({ dataDir, parasail: { apiKey: fake.key, baseURL: fake.url }, runner: { pollMs: 50 } });
  try {
    const session = await engine.chat.createSession('local');
    const sent = await engine.chat.send({ userId: 'local', sessionId: session.id, content: 'make a cat on a sofa, then remove the background' });
    await engine.jobs.wait('local', sent.jobId);
    const reply = await engine.chat.message('local', session.id, sent.messageId);
    expect(reply).toMatchObject({ status: 'DONE', data: { detector: 'parasail:parasail-llama-33-70b-fp8', refinedPrompt: 'a cat on a sofa, soft window light, detailed' } });
    expect(reply.data.intents!.map((intent) => intent.feature)).toEqual(['generate', 'remove-background']);
    expect(fake.requests.some((request) => request.tools)).toBe(true);
    expect(engine.models().filter((model) => model.provider === 'parasail').flatMap((model) => model.capabilities)).not.toContain('text-to-image');
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
