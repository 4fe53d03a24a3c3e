import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@darkroom/core';
import type { WireIntentRequest } from '@darkroom/core/testing';
import { startFakeGemini, type FakeGemini } from '@darkroom/provider-gemini/testing';
import { startFakeParasail } from '@darkroom/provider-parasail/testing';
import { createDefaultEngine } from '@darkroom/server';

// Seed 004's chat flows through a whole engine, the plugin loaded by its package name.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function engineWith(options: Parameters<typeof createDefaultEngine>[0] = {}): Promise<Engine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-jewelry-'));
  const engine = await createDefaultEngine({ dataDir, plugins: ['darkroom-plugin-jewelry'], runner: { pollMs: 20 }, ...options });
  cleanups.push(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return engine;
}

/** Sends one message and answers the finished assistant message. */
async function say(engine: Engine, sessionId: string, content: string) {
  const sent = await engine.chat.send({ userId: 'local', sessionId, content });
  await engine.jobs.wait('local', sent.jobId);
  return engine.chat.message('local', sessionId, sent.messageId);
}

/** The jewellery properties recorded with the first image of an answer. */
async function recorded(engine: Engine, reply: Awaited<ReturnType<typeof say>>) {
  const item = await engine.gallery.get('local', reply.data.images![0]!.galleryId);
  return item.metadata as { jewelry: Record<string, unknown>; design_prompt: string };
}

describe('the jewelry designer offline (rule-based)', () => {
  it('designs from English words, then changes only what each follow-up names', async () => {
    const engine = await engineWith();
    const session = await engine.chat.createSession('local', { title: 'Engagement ring' });
    const first = await say(engine, session.id, 'design a rose gold engagement ring with a princess-cut diamond, vintage style');
    expect(first).toMatchObject({ status: 'DONE', data: { intents: [{ feature: 'jewelry-design' }] } });
    const design = await recorded(engine, first);
    expect(design.jewelry).toEqual({ render: '2d', piece: 'engagement-ring', metal: 'rose-gold', finish: 'polished', gemstones: [{ kind: 'diamond', cut: 'princess' }], style: 'vintage' });
    expect(design.design_prompt).toMatch(/^Jewelry design sketch of a polished rose gold engagement ring, set with a princess-cut diamond, in a vintage style/);

    const whiteGold = await say(engine, session.id, 'make it white gold');
    expect((await recorded(engine, whiteGold)).jewelry).toEqual({ ...design.jewelry, metal: 'white-gold' });
    // The same seed draws the changed design, so only the metal changes.
    expect(whiteGold.data.intents![0]!.parameters!.seed).toBe(first.data.intents![0]!.parameters!.seed);

    const sapphire = await say(engine, session.id, 'add a small sapphire');
    expect((await recorded(engine, sapphire)).jewelry).toMatchObject({ metal: 'white-gold', gemstones: [{ kind: 'diamond', cut: 'princess' }, { kind: 'sapphire', size: 'small' }] });
  });

  it('understands follow-ups that only say what to change, even words other features know', async () => {
    const engine = await engineWith();
    const session = await engine.chat.createSession('local');
    await say(engine, session.id, 'design an 18k gold ring with a diamond and a ruby');
    const steps: Array<[string, Record<string, unknown>]> = [
      ['make it silver', { metal: 'silver' }],
      ['make it matte', { finish: 'matte' }],
      ['make it vintage', { style: 'vintage' }],
      ['engrave it with "J+K"', { engraving: 'J+K' }],
      ['remove the diamond', { gemstones: [{ kind: 'ruby' }] }],
      ['đổi sang bạch kim', { metal: 'platinum' }],
    ];
    for (const [words, expected] of steps) {
      const reply = await say(engine, session.id, words);
      expect(reply.data.intents?.[0]?.feature, words).toBe('jewelry-design');
      expect((await recorded(engine, reply)).jewelry, words).toMatchObject({ piece: 'ring', ...expected });
    }
    const last = await recorded(engine, await say(engine, session.id, 'make it a 3d render'));
    expect(last.jewelry).toEqual({ render: '3d', piece: 'ring', metal: 'platinum', finish: 'matte', style: 'vintage', engraving: 'J+K', gemstones: [{ kind: 'ruby' }] });
    // A request for another feature is still that feature's.
    expect((await say(engine, session.id, 'upscale it 2x')).data.intents?.[0]?.feature).toBe('upscale');
  });

  it('designs from Vietnamese words and follows up in Vietnamese', async () => {
    const engine = await engineWith();
    const session = await engine.chat.createSession('local');
    const first = await say(engine, session.id, 'thiết kế nhẫn vàng hồng đính kim cương nhỏ, bản vẽ 3D');
    expect((await recorded(engine, first)).jewelry).toMatchObject({ piece: 'ring', metal: 'rose-gold', render: '3d', gemstones: [{ kind: 'diamond', size: 'small' }] });
    const followUp = await say(engine, session.id, 'đổi sang vàng trắng');
    expect((await recorded(engine, followUp)).jewelry).toMatchObject({ piece: 'ring', metal: 'white-gold', render: '3d', gemstones: [{ kind: 'diamond', size: 'small' }] });
    const three = await say(engine, session.id, 'tạo 3 mẫu dây chuyền ngọc trai');
    expect(three.data.images).toHaveLength(3);
    expect((await recorded(engine, three)).jewelry).toEqual({ render: '2d', piece: 'necklace', metal: 'yellow-gold', finish: 'polished', gemstones: [{ kind: 'pearl' }] });
  });

  it.each([
    ['design 3 gold rings', { piece: 'ring', metal: 'yellow-gold', variations: 3 }],
    ['show me a gold ring as a 3d render', { piece: 'ring', render: '3d' }],
    ['I want earrings with pearls', { piece: 'earrings', gemstones: [{ kind: 'pearl' }] }],
    ['tạo 2 mẫu lắc tay bạch kim', { piece: 'bracelet', metal: 'platinum', variations: 2 }],
    ['thiet ke nhan vang trang', { piece: 'ring', metal: 'white-gold' }],
  ])('reads "%s" as a jewellery design', async (words, expected) => {
    const engine = await engineWith();
    const plan = await engine.prompt.plan(words);
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'jewelry-design', input: expect.objectContaining(expected) })]);
  });

  it('leaves the built-in features their requests', async () => {
    const engine = await engineWith();
    expect((await engine.prompt.plan('create a sunset over the sea')).steps[0]!.feature).toBe('generate');
    expect((await engine.prompt.plan('draw a cat in watercolor')).steps[0]!.feature).toBe('generate');
  });

  it('asks which piece when the words name none and nothing was designed yet', async () => {
    const engine = await engineWith();
    const session = await engine.chat.createSession('local');
    const reply = await say(engine, session.id, 'make it rose gold');
    expect(reply.status).toBe('DONE');
    expect(reply.data.images ?? []).toHaveLength(0);
    expect(reply.content).toMatch(/jewelry-design.*piece: one of ring, engagement-ring/s);
  });
});

describe('the jewelry designer with Gemini (function calling, loopback fake)', () => {
  let fake: FakeGemini;
  const seen: WireIntentRequest[] = [];
  beforeAll(async () => {
    // The fake "model": the first request calls the design tool with properties; a follow-up changes
    // only the metal of the call it finds in the conversation it was sent.
    fake = await startFakeGemini({
      intent: (request) => {
        seen.push(request);
        const previous = request.history?.flatMap((turn) => turn.calls ?? []).findLast((call) => call.name === 'jewelry-design');
        if (!previous) return [{ name: 'jewelry-design', args: { piece: 'ring', metal: 'yellow-gold', gemstones: [{ kind: 'diamond', cut: 'oval', size: 'large' }], render: '3d', engraving: 'J & K', prompt: 'a thin twisted band' } }];
        return /rose gold/.test(request.message) ? [{ name: 'jewelry-design', args: { metal: 'rose-gold' } }] : [];
      },
    });
  });
  afterAll(() => fake.close());

  it('fills the properties from a functionCall, then a follow-up changes one property of the last design', async () => {
    const engine = await engineWith({ gemini: { apiKey: fake.key, baseURL: fake.url, timeoutMs: 5_000 } });
    const session = await engine.chat.createSession('local');
    const first = await say(engine, session.id, 'I would like an engagement ring for my partner, something bold');
    expect(first).toMatchObject({ status: 'DONE', data: { detector: 'gemini:gemini-2.5-flash', intents: [{ feature: 'jewelry-design' }] } });
    const design = await recorded(engine, first);
    expect(design.jewelry).toEqual({ render: '3d', piece: 'ring', metal: 'yellow-gold', finish: 'polished', gemstones: [{ kind: 'diamond', cut: 'oval', size: 'large' }], engraving: 'J & K' });
    expect(design.design_prompt).toContain('Details: a thin twisted band');
    // The tool the model saw is the feature's input schema, with the properties and their enums.
    const tool = fake.requests.find((request) => request.body.tools)!.body.tools[0].functionDeclarations.find((declaration: { name: string }) => declaration.name === 'jewelry-design');
    expect(tool.parametersJsonSchema.properties.metal.enum).toContain('rose-gold');
    expect(tool.parametersJsonSchema.properties).not.toHaveProperty('reference');

    const followUp = await say(engine, session.id, 'make it rose gold');
    // The follow-up request carried the conversation: the user's words and the model's own call.
    const sent = seen.at(-1)!;
    expect(sent.message).toBe('make it rose gold');
    expect(sent.history).toEqual([
      { role: 'user', text: 'I would like an engagement ring for my partner, something bold' },
      { role: 'assistant', text: '', calls: [{ name: 'jewelry-design', args: expect.objectContaining({ piece: 'ring', metal: 'yellow-gold' }) }] },
      { role: 'assistant', text: first.content },
    ]);
    const changed = await recorded(engine, followUp);
    expect(changed.jewelry).toEqual({ ...design.jewelry, metal: 'rose-gold' });
    expect(changed.design_prompt).toContain('rose gold ring');
    expect(followUp.data.intents![0]!.parameters!.seed).toBe(first.data.intents![0]!.parameters!.seed);
  });
});

describe('the jewelry designer with Parasail (OpenAI-format tool calls, loopback fake)', () => {
  it('sends the conversation as tool_calls and tool messages, and a partial follow-up call keeps the rest of the design', async () => {
    const seen: WireIntentRequest[] = [];
    const fake = await startFakeParasail({
      intent: (request) => {
        seen.push(request);
        return request.history?.length
          ? [{ name: 'jewelry-design', args: { gemstones: [{ kind: 'emerald', cut: 'oval' }] } }]
          : [{ name: 'jewelry-design', args: { piece: 'pendant', metal: 'white-gold', render: '3d', gemstones: [{ kind: 'diamond' }] } }];
      },
    });
    cleanups.push(() => fake.close());
    const engine = await engineWith({ parasail: { apiKey: fake.key, baseURL: fake.url } });
    const session = await engine.chat.createSession('local');
    await say(engine, session.id, 'một mặt dây chuyền vàng trắng');
    const followUp = await say(engine, session.id, 'dùng ngọc lục bảo thay cho kim cương');
    expect(followUp.data.detector).toMatch(/^parasail:/);
    expect(seen.at(-1)!.history!.flatMap((turn) => turn.calls ?? [])).toEqual([{ name: 'jewelry-design', args: expect.objectContaining({ piece: 'pendant', metal: 'white-gold' }) }]);
    const request = fake.requests.at(-1)!;
    expect(request.messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect((await recorded(engine, followUp)).jewelry).toEqual({ render: '3d', piece: 'pendant', metal: 'white-gold', finish: 'polished', gemstones: [{ kind: 'emerald', cut: 'oval' }] });
  });
});
