import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const outside = mkdtempSync(join(tmpdir(), 'darkroom-outside-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

// A backend author's own package, outside this repository, written in plain JavaScript: it imports the
// built `@darkroom/core/testing` (no TypeScript sources, no "darkroom-source" condition) and runs a contract
// suite over its own store.
const authorsTest = `
import { describeIdempotencyStoreContract } from '@darkroom/core/testing';

function createMapIdempotencyStore() {
  const records = new Map();
  return {
    name: 'map',
    async reserve(record) {
      const id = record.userId + '\\n' + record.key;
      const held = records.get(id);
      if (held) return { ...held, created: false };
      const created = { ...record, createdAt: Date.now() };
      records.set(id, created);
      return { ...created, created: true };
    },
    async find(userId, key) { return records.get(userId + '\\n' + key); },
    async ready() {},
    async close() {},
  };
}

describeIdempotencyStoreContract('a map in memory', async () => ({ store: createMapIdempotencyStore(), dispose: async () => {} }));
`;

it('is built and importable by a package outside the repository', () => {
  execFileSync(process.execPath, [join(repository, 'node_modules/typescript/bin/tsc'), '-b', join(repository, 'packages/core/tsconfig.json')], { stdio: 'pipe' });
  mkdirSync(join(outside, 'node_modules/@darkroom'), { recursive: true });
  symlinkSync(join(repository, 'packages/core'), join(outside, 'node_modules/@darkroom/core'), 'dir');
  // The author's vitest: the same installation, as npm would dedupe the peer dependency.
  symlinkSync(join(repository, 'node_modules/vitest'), join(outside, 'node_modules/vitest'), 'dir');
  writeFileSync(join(outside, 'package.json'), JSON.stringify({ name: 'darkroom-store-map', type: 'module', private: true }));
  writeFileSync(join(outside, 'map-store.test.js'), authorsTest);
  const output = execFileSync(process.execPath, [join(repository, 'node_modules/vitest/vitest.mjs'), 'run', '--root', outside, '--reporter', 'verbose'], {
    cwd: outside,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NODE_OPTIONS: '', VITEST: undefined, VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined } as NodeJS.ProcessEnv,
  });
  expect(output).toMatch(/Tests\s+4 passed/);
}, 120_000);
