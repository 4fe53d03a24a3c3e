import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDarkroomProcess } from './testing/darkroom-process.js';

// An app folder with plugins/ of its own; the CLI runs there, so ./plugins/… is resolved from it.
const app = mkdtempSync(join(tmpdir(), 'darkroom-cli-plugins-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));
mkdirSync(join(app, 'plugins'));
writeFileSync(join(app, 'plugins/fake.mjs'), `export default ${JSON.stringify({ kind: 'plugin', name: 'fake', features: 'nope', providers: [] })};\n`);
writeFileSync(join(app, 'plugins/throws.mjs'), "throw new Error('PLUGIN_KEY is not set');\n");

/** `darkroom serve` in the app folder with DARKROOM_PLUGINS set; answers how it exited. */
async function serve(plugins: string) {
  const server = startDarkroomProcess('serve', ['serve'], { PORT: '0', DARKROOM_DATA_DIR: join(app, 'data'), DARKROOM_PLUGINS: plugins }, { cwd: app });
  const { code } = await server.exited;
  return { code, ...server.output() };
}

describe('darkroom serve with DARKROOM_PLUGINS that cannot be used', () => {
  it('prints what is wrong with each (no stack trace) and exits 1', { timeout: 60_000 }, async () => {
    const [malformed, throws, missing] = await Promise.all([serve('./plugins/fake.mjs'), serve('./plugins/throws.mjs'), serve('./plugins/nope.mjs')]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(new RegExp(`Plugin "\\./plugins/fake\\.mjs" \\(${join(app, 'plugins/fake.mjs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) does not export a plugin \\(its features is a string, not an array of features made with defineFeature\\(\\)\\)`));
    expect(throws.code).toBe(1);
    expect(throws.stderr).toMatch(/importing .*plugins\/throws\.mjs threw: PLUGIN_KEY is not set; fix the plugin or its dependencies/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/plugins\/nope\.mjs: no such file\): fix the path/);
    for (const { stderr } of [malformed, throws, missing]) {
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr).not.toMatch(/TypeError/);
    }
  });
});

describe('darkroom serve with a plugin that adds routes (DARKROOM_PLUGINS)', () => {
  it('mounts them behind the API key, documented, as it mounts its own', { timeout: 60_000 }, async () => {
    const key = 'erin-key-0123456789abcdef';
    const server = startDarkroomProcess('serve', ['serve'], {
      PORT: '0',
      DARKROOM_DATA_DIR: join(app, 'routes-data'),
      DARKROOM_PLUGINS: join(import.meta.dirname, 'testing/route-test-plugin.ts'),
      DARKROOM_API_KEYS: `erin:${key}`,
    }, { cwd: app });
    try {
      const base = await server.ready;
      const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      expect((await fetch(`${base}/api/v1/conversations`)).status).toBe(401);
      const created = await fetch(`${base}/api/v1/conversations`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'From DARKROOM_PLUGINS' }) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const listed = (await (await fetch(`${base}/api/v1/conversations`, { headers: auth })).json()) as { conversations: Array<{ id: string; title: string }> };
      expect(listed.conversations).toEqual([expect.objectContaining({ id, title: 'From DARKROOM_PLUGINS' })]);
      const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags: string[] }>> };
      expect(document.paths['/api/v1/conversations/{id}']!.patch!.tags).toEqual(['route-test-plugin']);
    } finally {
      await server.stop();
    }
  });
});
