import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DarkroomError } from '@darkroom/plugin-api';
import { testPlugin } from '../testing/test-plugin.js';
import { defaultPluginTimeoutMs, loadPlugins } from './load-plugins.js';
import { processConditions } from './process-conditions.js';

// An app folder of its own: its node_modules and plugins/ hold the modules under test.
const app = mkdtempSync(join(tmpdir(), 'darkroom-app-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

function write(path: string, text: string) {
  mkdirSync(dirname(join(app, path)), { recursive: true });
  writeFileSync(join(app, path), text);
}

/** What a published plugin's module holds: definePlugin()'s plain object as its default export. */
const pluginModule = (name: string) => `export default ${JSON.stringify({ kind: 'plugin', name, features: [], providers: [] })};\n`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const names = async (sources: string[]) => (await loadPlugins(sources, { from: app })).map((plugin) => plugin.name);

/** The configuration error loading `source` from the app folder fails with. */
async function failure(source: string, options: { timeoutMs?: number; importer?: (url: string) => Promise<unknown> } = {}): Promise<DarkroomError> {
  const error = await loadPlugins([source], { from: app, ...options }).then(
    () => {
      throw new Error(`${source} loaded`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(DarkroomError);
  expect(error).toMatchObject({ code: 'configuration' });
  return error as DarkroomError;
}

write('node_modules/darkroom-plugin-esm-only/package.json', JSON.stringify({ name: 'darkroom-plugin-esm-only', type: 'module', exports: { import: './index.js' } }));
write('node_modules/darkroom-plugin-esm-only/index.js', pluginModule('esm-only'));
write('node_modules/@acme/darkroom-plugin/package.json', JSON.stringify({ name: '@acme/darkroom-plugin', type: 'module', exports: { '.': { import: './dist/index.js' } } }));
write('node_modules/@acme/darkroom-plugin/dist/index.js', pluginModule('acme'));
// The app's own copy of a package that also sits beside @darkroom/core, broken.
write('node_modules/@darkroom/plugin-upscale/package.json', JSON.stringify({ name: '@darkroom/plugin-upscale', type: 'module', exports: './index.js' }));
write('node_modules/@darkroom/plugin-upscale/index.js', "throw new Error('the app copy is broken');\n");
write('node_modules/darkroom-plugin-require-only/package.json', JSON.stringify({ name: 'darkroom-plugin-require-only', exports: { require: './index.cjs' } }));
write('node_modules/darkroom-plugin-require-only/index.cjs', 'module.exports = {};\n');
write('node_modules/darkroom-plugin-no-entry/package.json', JSON.stringify({ name: 'darkroom-plugin-no-entry', type: 'module', main: './dist/index.js' }));
write('node_modules/darkroom-plugin-missing-dependency/package.json', JSON.stringify({ name: 'darkroom-plugin-missing-dependency', type: 'module', exports: './index.js' }));
write('node_modules/darkroom-plugin-missing-dependency/index.js', "import 'left-pad-that-is-not-installed';\nexport default {};\n");
// TypeScript compiled to CommonJS: exports.default with __esModule.
const compiledCommonJs = `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.default = ${JSON.stringify({ kind: 'plugin', name: 'compiled-cjs', features: [], providers: [] })};\n`;
write('node_modules/darkroom-plugin-compiled/package.json', JSON.stringify({ name: 'darkroom-plugin-compiled', main: './dist/index.js' }));
write('node_modules/darkroom-plugin-compiled/dist/index.js', compiledCommonJs);
write('plugins/good.mjs', pluginModule('good'));
write('plugins/throws.mjs', "throw new TypeError('no API key for the plugin');\n");
write('plugins/syntax.mjs', 'export default {\n');
write('plugins/missing-dependency.mjs', "import 'left-pad-that-is-not-installed';\nexport default {};\n");
write('plugins/folder/index.mjs', pluginModule('folder'));
write('plugins/never-settles.mjs', `await new Promise(() => {});\n${pluginModule('never')}`);
write('plugins/no-default.mjs', 'export const something = 1;\n');
const malformed: [string, unknown, RegExp][] = [
  ['kind-only', { kind: 'plugin' }, /its name is undefined/],
  ['no-features', { kind: 'plugin', name: 'x' }, /it has no features/],
  ['features-string', { kind: 'plugin', name: 'x', features: 'nope', providers: [] }, /its features is a string, not an array of features made with defineFeature\(\)/],
  ['features-null', { kind: 'plugin', name: 'x', features: [null], providers: [] }, /features\[0\] is null/],
  ['providers-object', { kind: 'plugin', name: 'x', features: [], providers: {} }, /its providers is an object, not an array/],
  ['providers-not-made', { kind: 'plugin', name: 'x', features: [], providers: [{ id: 'p' }] }, /providers\[0\] is not a provider made with defineProvider\(\)/],
];
for (const [name, value] of malformed) write(`plugins/${name}.mjs`, `export default ${JSON.stringify(value)};\n`);

describe('loadPlugins: finding a package', () => {
  it("loads ESM-only packages (exports: { import }) from the app's node_modules, scoped ones too", async () => {
    expect(await names(['darkroom-plugin-esm-only', '@acme/darkroom-plugin'])).toEqual(['esm-only', 'acme']);
  });

  it('falls back to the copy beside @darkroom/core only when the app has none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'darkroom-empty-app-'));
    try {
      expect((await loadPlugins(['@darkroom/plugin-upscale'], { from: empty }))[0]!.features.map((feature) => feature.id)).toEqual(['upscale']);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("reports the app's copy that throws on import (naming its file and the error) instead of loading another copy silently", async () => {
    const error = await failure('@darkroom/plugin-upscale');
    expect(error.message).toMatch(new RegExp(`importing ${escape(join(app, 'node_modules/@darkroom/plugin-upscale/index.js'))} threw: the app copy is broken; fix the plugin or its dependencies`));
    expect(error.message).not.toMatch(/install it/);
  });

  it('reports an installed package that cannot be imported, with what failed, and does not look further', async () => {
    expect((await failure('darkroom-plugin-require-only')).message).toMatch(/is installed in the app folder .* but cannot be imported: .*ERR_PACKAGE_PATH_NOT_EXPORTED.*fix the plugin's package.json/);
    expect((await failure('darkroom-plugin-no-entry')).message).toMatch(/is installed in the app folder .* but cannot be imported: .*Cannot find.*darkroom-plugin-no-entry/);
    const missing = await failure('darkroom-plugin-missing-dependency');
    expect(missing.message).toMatch(/importing .*darkroom-plugin-missing-dependency\/index\.js threw: .*ERR_MODULE_NOT_FOUND.*left-pad-that-is-not-installed.*; fix the plugin or its dependencies/);
    expect(missing.message).not.toMatch(/install it/);
  });

  it('names every place looked in and why when the package is installed nowhere', async () => {
    const error = await failure('darkroom-plugin-nowhere');
    expect(error.message).toMatch(
      new RegExp(`is not installed \\(looked in the app folder \\(${escape(join(app, 'node_modules'))}\\): .*Cannot find package 'darkroom-plugin-nowhere'.*; beside @darkroom/core \\(.*\\): .*Cannot find package.*\\): install it in the app \\(npm install darkroom-plugin-nowhere\\) or fix the name`),
    );
    expect(error.details).toMatchObject({ plugin: 'darkroom-plugin-nowhere', looked_in: [expect.stringContaining(app), expect.stringContaining('beside @darkroom/core')] });
    expect((await failure('plugins/good.mjs')).message).toMatch(/a file\? write \.\/plugins\/good\.mjs/);
    expect((await failure('@darkroom/plugin-nowhere/sub')).message).toMatch(/npm install @darkroom\/plugin-nowhere\)/);
  });

  it('accepts a plugin compiled by TypeScript to CommonJS (exports.default with __esModule)', async () => {
    expect(await names(['darkroom-plugin-compiled'])).toEqual(['compiled-cjs']);
    expect((await loadPlugins(['./plugins/good.mjs'], { from: app, importer: async () => ({ default: { __esModule: true, default: testPlugin } }) }))[0]).toBe(testPlugin);
  });
});

describe('loadPlugins: paths', () => {
  it('resolves relative paths and relative file: URLs from the app folder; absolute paths and URLs as they are', async () => {
    const file = join(app, 'plugins/good.mjs');
    expect(await names(['./plugins/good.mjs', 'file:./plugins/good.mjs', 'file:plugins/good.mjs', file, pathToFileURL(file).href])).toEqual(['good', 'good', 'good', 'good', 'good']);
    expect((await loadPlugins(['./good.mjs'], { from: join(app, 'plugins') }))[0]!.name).toBe('good');
  });

  it('says to fix the path only when nothing is there', async () => {
    expect((await failure('./plugins/nope.mjs')).message).toMatch(new RegExp(`looked in ${escape(join(app, 'plugins/nope.mjs'))}: no such file\\): fix the path \\(relative paths start from the app folder, ${escape(app)}\\)`));
    expect((await failure('file:./plugins/nope.mjs')).message).toMatch(new RegExp(`looked in ${escape(join(app, 'plugins/nope.mjs'))}: no such file`));
    expect((await failure('./plugins/folder')).message).toMatch(/a folder, not a module file\): fix the path/);
  });

  it('says what failed when a module that exists throws, does not parse or misses a dependency', async () => {
    for (const [name, thrown] of [
      ['throws', /TypeError: no API key for the plugin/],
      // (Node says SyntaxError; under vitest, vite parses the file first and says "invalid JS syntax".)
      ['syntax', /syntax/i],
      ['missing-dependency', /ERR_MODULE_NOT_FOUND.*left-pad-that-is-not-installed/],
    ] as const) {
      const error = await failure(`./plugins/${name}.mjs`);
      expect(error.message).toMatch(new RegExp(`^Plugin "\\./plugins/${name}\\.mjs": importing ${escape(join(app, `plugins/${name}.mjs`))} threw: `));
      expect(error.message).toMatch(thrown);
      expect(error.message).toMatch(/; fix the plugin or its dependencies$/);
      expect(error.message).not.toMatch(/fix the path/);
      expect(error.details).toMatchObject({ file: join(app, `plugins/${name}.mjs`) });
    }
  });

  it('refuses an empty source clearly', async () => {
    for (const source of ['', '  ']) expect((await failure(source)).message).toMatch(/A plugin source is an empty string: name a package \(darkroom-plugin-x\) or a file from the app folder \(\.\/plugins\/x\.js\)/);
  });
});

describe('loadPlugins: what a module exports', () => {
  it('refuses a malformed plugin with a configuration error naming the source, its file and what is wrong', async () => {
    for (const [name, , problem] of malformed) {
      const error = await failure(`./plugins/${name}.mjs`);
      expect(error.message).toMatch(new RegExp(`^Plugin "\\./plugins/${escape(name)}\\.mjs" \\(${escape(join(app, `plugins/${name}.mjs`))}\\) does not export a plugin \\(`));
      expect(error.message).toMatch(problem);
    }
    expect((await failure('./plugins/no-default.mjs')).message).toMatch(/does not export a plugin \(it is undefined, not a plugin made with definePlugin\(\)\)/);
  });

  it('refuses a malformed plugin object, saying which and what is wrong', async () => {
    for (const [, value, problem] of malformed) {
      const error = await loadPlugins([testPlugin, value as never], { from: app }).catch((error: unknown) => error);
      expect(error).toMatchObject({ code: 'configuration', message: expect.stringMatching(/^Plugin 2 of 2 \(an object\) is not a plugin made with definePlugin\(\): /) });
      expect((error as Error).message).toMatch(problem);
    }
  });
});

describe('loadPlugins: a module that never finishes loading', () => {
  it('fails after timeoutMs naming the plugin (default 30 s)', async () => {
    expect(defaultPluginTimeoutMs).toBe(30_000);
    const started = Date.now();
    const error = await failure('./plugins/never-settles.mjs', { timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.message).toMatch(new RegExp(`Plugin "\\./plugins/never-settles\\.mjs" \\(${escape(join(app, 'plugins/never-settles.mjs'))}\\) did not finish loading within 200 ms: a top-level await that never settles\\?`));
    expect((await failure('./plugins/good.mjs', { timeoutMs: 1_000, importer: () => new Promise(() => undefined) })).message).toMatch(/did not finish loading within 1 s: a top-level await that never settles\?/);
  });

  it('keeps the process alive until then, so a command line prints the error and exits 1 instead of exiting 0 with nothing said', { timeout: 30_000 }, async () => {
    const script = `import { loadPlugins } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'load-plugins.ts')).href)};
      loadPlugins(['./plugins/never-settles.mjs'], { from: ${JSON.stringify(app)}, timeoutMs: 300 }).then(() => process.exit(0), (error) => { process.stderr.write(error.message + '\\n'); process.exit(1); });`;
    const child = spawn(process.execPath, ['--conditions=darkroom-source', '--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toMatchObject({ code: 1, stderr: expect.stringMatching(/did not finish loading within 300 ms/) });
  });
});

describe('processConditions', () => {
  it("adds the process's --conditions to node and import, as Node resolves with them", () => {
    expect([...processConditions([])]).toEqual(['node', 'import']);
    expect([...processConditions(['--conditions=darkroom-source', '-C', 'development', '--import', 'tsx', '--conditions', 'x'])]).toEqual(['node', 'import', 'darkroom-source', 'development', 'x']);
  });
});
