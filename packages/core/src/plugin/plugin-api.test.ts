import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine } from '../engine/create-engine.js';
import { createInstantProvider, enlargeFeature, paintFeature, testPlugin } from '../testing/test-plugin.js';
import { defineFeature, definePlugin, defineProvider } from '@darkroom/plugin-api';

describe('plugin API', () => {
  it('checks definitions early', () => {
    expect(() => defineFeature({ ...paintFeature, id: 'Bad Id' })).toThrow(/lowercase/);
    expect(() => defineFeature({ ...paintFeature, intents: { ...paintFeature.intents, keywords: [] } })).toThrow(/keyword/);
    expect(() => defineProvider({ id: 'p', models: [], handlers: { upscale: async () => ({ images: [] }) } })).toThrow(/lists no model/);
  });

  it('refuses duplicate feature and provider ids', async () => {
    await expect(createEngine({ plugins: [testPlugin, definePlugin({ name: 'again', features: [paintFeature] })] })).rejects.toThrow(/Two features have the id "paint"/);
    await expect(createEngine({ plugins: [testPlugin], providers: [createInstantProvider(), createInstantProvider()] })).rejects.toThrow(/Two providers have the id "instant"/);
  });

  it('validates input on the way in and output on the way out', async () => {
    const liar = defineFeature({
      id: 'liar',
      description: 'Returns no image',
      capability: 'text-to-image',
      intents: { name: 'lie', keywords: ['lie'], examples: [] },
      input: z.object({ prompt: z.string() }),
      run: async () => ({ images: [], provider: 'x', model: 'y' }),
    });
    const engine = await createEngine({ plugins: [definePlugin({ name: 'p', features: [liar, enlargeFeature] })], providers: [createInstantProvider()] });
    try {
      await expect(engine.run('enlarge', { image: { asset_id: 'ast_missing' }, scale: 3 })).rejects.toMatchObject({ code: 'invalid_input', details: { issues: [expect.objectContaining({ path: 'scale' })] } });
      await expect(engine.run('liar', { prompt: 'x' })).rejects.toMatchObject({ code: 'internal', message: 'Feature liar returned an invalid result' });
    } finally {
      await engine.close();
    }
  });
});
