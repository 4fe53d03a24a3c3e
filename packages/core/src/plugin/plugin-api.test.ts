import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine } from '../engine/create-engine.js';
import { createInstantProvider, enlargeFeature, paintFeature, testPlugin } from '../testing/test-plugin.js';
import { defineFeature } from '@darkroom/plugin-api';
import { definePlugin } from '@darkroom/plugin-api';
import { defineProvider } from '@darkroom/plugin-api';
import { loadPlugins } from './load-plugins.js';

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

  it('loads plugins by package name, and says what is wrong with a bad one', async () => {
    const modules: Record<string, unknown> = { 'darkroom-plugin-test': { default: testPlugin }, 'not-a-plugin': { default: 42 } };
    const importer = async (name: string) => {
      if (!(name in modules)) throw new Error(`Cannot find package '${name}'`);
      return modules[name];
    };
    expect((await loadPlugins(['darkroom-plugin-test', testPlugin], { importer })).map((plugin) => plugin.name)).toEqual(['test-plugin', 'test-plugin']);
    await expect(loadPlugins(['missing-plugin'], { importer })).rejects.toThrow(/could not be loaded \(looked in .*Cannot find package 'missing-plugin'\): install it in the app/);
    await expect(loadPlugins(['not-a-plugin'], { importer })).rejects.toThrow(/does not export a plugin/);
  });

  it("loads a plugin from the app's own folder, by package name and by path, not only from beside core", async () => {
    const app = mkdtempSync(join(tmpdir(), 'darkroom-app-'));
    try {
      // What a published plugin's module holds: definePlugin()'s plain object as its default export.
      const pluginModule = (name: string) => `export default ${JSON.stringify({ kind: 'plugin', name, features: [], providers: [] })};`;
      mkdirSync(join(app, 'node_modules/darkroom-plugin-app'), { recursive: true });
      writeFileSync(join(app, 'node_modules/darkroom-plugin-app/package.json'), JSON.stringify({ name: 'darkroom-plugin-app', type: 'module', exports: './index.js' }));
      writeFileSync(join(app, 'node_modules/darkroom-plugin-app/index.js'), pluginModule('from-app'));
      mkdirSync(join(app, 'plugins'));
      writeFileSync(join(app, 'plugins/local.mjs'), pluginModule('by-path'));
      const loaded = await loadPlugins(['darkroom-plugin-app', './plugins/local.mjs'], { from: app });
      expect(loaded.map((each) => each.name)).toEqual(['from-app', 'by-path']);
      await expect(loadPlugins(['./plugins/nope.mjs'], { from: app })).rejects.toThrow(new RegExp(`looked in ${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/plugins/nope.mjs.*fix the path`));
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
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
