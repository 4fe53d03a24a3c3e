// The consumer test (issue 13): every public package packed with `npm pack`, installed from the
// tarballs into scratch apps outside the repository (no workspace links), a third-party plugin and a
// strict TypeScript host app compiled against them, the plugin's own tests run the exported contract
// suites, and the host app runs the engine in process and the server under a sub-path. Installing
// needs the npm registry's metadata (tarballs come from npm's cache); everything after it runs in a
// network namespace of its own, with no network but loopback, where `unshare -n` is allowed.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const fixtures = import.meta.dirname;
const scratch = mkdtempSync(join(tmpdir(), 'darkroom-consumer-'));
const tarballs = join(scratch, 'tarballs');
const app = join(scratch, 'host-app');
const rootPackage = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { workspaces: string[]; devDependencies: Record<string, string> };
const toolVersions = (names: string[]) => Object.fromEntries(names.map((name) => [name, rootPackage.devDependencies[name]!]));

interface Workspace {
  dir: string;
  name: string;
  private: boolean;
}
function workspaces(): Workspace[] {
  const dirs = rootPackage.workspaces.flatMap((pattern) => (pattern.endsWith('/*') ? readdirSync(join(repo, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`) : [pattern]));
  return dirs
    .filter((dir) => existsSync(join(repo, dir, 'package.json')))
    .map((dir) => {
      const json = JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8')) as { name: string; private?: boolean };
      return { dir, name: json.name, private: json.private === true };
    });
}

function run(command: string, args: string[], cwd: string, options: { offline?: boolean; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  const [file, argv] = options.offline ? offline(command, args) : [command, args];
  const result = spawnSync(file, argv, { cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 600_000, env: { ...process.env, CI: 'true', npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** `command args` in a network namespace with loopback only (no network), where `unshare -n` is allowed; CI requires it. */
function offline(command: string, args: string[]): [string, string[]] {
  if (canIsolate) return ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', command, ...args]];
  if (process.env.CI === 'true') throw new Error('unshare -n is not allowed on this machine: the offline part of the consumer test cannot run without a network');
  return [command, args];
}

const bin = (name: string) => join(app, 'node_modules/.bin', name);
const canIsolate = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' }).status === 0;
const publicPackages = workspaces().filter((workspace) => !workspace.private);
const tarballOf = new Map<string, string>();

function fileDependencies(names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, `file:${tarballOf.get(name)!}`]));
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('packages installed from their tarballs', { timeout: 900_000 }, () => {
  it('packs every public package with README, LICENSE, engines, dist and self-contained source maps', () => {
    for (const workspace of publicPackages) {
      if (!existsSync(join(repo, workspace.dir, 'dist'))) throw new Error(`${workspace.dir}/dist is missing: run \`npm run build\` first`);
    }
    mkdirSync(tarballs, { recursive: true });
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs, ...publicPackages.flatMap((workspace) => ['-w', workspace.dir])], repo).stdout) as Array<{ name: string; filename: string; files: Array<{ path: string }> }>;
    for (const entry of packed) {
      tarballOf.set(entry.name, join(tarballs, entry.filename));
      const paths = entry.files.map((file) => file.path);
      expect(paths, entry.name).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
      expect(paths.some((path) => path.startsWith('dist/') && path.endsWith('.js')), `${entry.name} ships dist/`).toBe(true);
      expect(paths.filter((path) => path.startsWith('src/') || path.endsWith('tsconfig.json') || path.includes('.test.')), entry.name).toEqual([]);
    }
    const pluginApi = JSON.parse(readFileSync(join(repo, 'packages/plugin-api/package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(Object.keys(pluginApi.dependencies ?? {}), 'the plugin API brings no runtime: no database driver, no image codec').toEqual(['zod']);
    expect([...tarballOf.keys()].sort()).toEqual(publicPackages.map((workspace) => workspace.name).sort());
    expect(tarballOf.has('darkroom-plugin-poster'), 'the plugin template is packed like the rest').toBe(true);
    for (const workspace of publicPackages) {
      const json = JSON.parse(readFileSync(join(repo, workspace.dir, 'package.json'), 'utf8')) as { engines?: { node?: string }; dependencies?: Record<string, string> };
      expect(json.engines?.node, workspace.name).toBe('>=20.19');
      const pinned = Object.entries(json.dependencies ?? {}).filter(([, range]) => /^\d/.test(range));
      expect(pinned, `${workspace.name} names ranges, not pins`).toEqual([]);
    }
    const map = JSON.parse(readFileSync(join(repo, 'packages/core/dist/index.js.map'), 'utf8')) as { sourcesContent?: string[] };
    expect(map.sourcesContent?.[0], 'source maps carry their sources').toMatch(/export/);
  });

  it('installs the tarballs into a scratch app outside the repository, with no model runtime', () => {
    cpSync(join(fixtures, 'host-app'), app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'host-app',
        private: true,
        type: 'module',
        dependencies: { ...fileDependencies(publicPackages.map((workspace) => workspace.name)), hono: '^4.13.19', sharp: rootPackage.devDependencies.sharp },
        devDependencies: toolVersions(['typescript', 'vitest', '@types/node']),
      }),
    );
    run('npm', ['install', '--prefer-offline'], app);
    expect(existsSync(join(app, 'node_modules/onnxruntime-node')), 'no model runtime unless asked for').toBe(false);
    expect(realpathSync(join(app, 'node_modules/@darkroom/core')), 'installed, not linked').toBe(join(realpathSync(app), 'node_modules/@darkroom/core'));
  });

  it('has the darkroom command: npx darkroom --help answers, and darkroom run writes an image on the embedded engine', () => {
    expect(readFileSync(bin('darkroom'), 'utf8'), 'the bin npm linked at install time').toMatch(/^#!\/usr\/bin\/env node/);
    const help = run('npx', ['--no-install', 'darkroom', '--help'], app, { offline: true });
    for (const command of ['serve', 'run', 'chat', 'jobs', 'gallery', 'mcp']) expect(help.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    const photo = join(repo, 'docs/photos/chelsea.png');
    const ran = spawnSync(...offline('npx', ['--no-install', 'darkroom', 'run', 'enhance', photo, '-o', 'enhanced.jpg']), { cwd: app, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DARKROOM_DATA_DIR: join(scratch, 'cli-data') } });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/enhanced\.jpg {2}451×300 image\/jpeg {2}gallery img_\w+/);
    expect(readFileSync(join(app, 'enhanced.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('builds a third-party plugin against @darkroom/plugin-api; its own tests run the exported contract suites', () => {
    // The plugin's folder sits inside the app (its dependencies resolve from the app's node_modules,
    // so the native ones are built once); it is packed and installed like any npm package.
    const plugin = join(app, 'plugin-halftone');
    cpSync(join(fixtures, 'plugin-halftone'), plugin, { recursive: true });
    writeFileSync(
      join(plugin, 'package.json'),
      JSON.stringify({
        name: 'darkroom-plugin-halftone',
        version: '1.0.0',
        type: 'module',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
        files: ['dist'],
        dependencies: { '@darkroom/plugin-api': '^0.1.0', sharp: `^${rootPackage.devDependencies.sharp}` },
        devDependencies: { '@darkroom/core': '^0.1.0', ...toolVersions(['typescript', 'vitest', '@types/node']) },
      }),
    );
    run(bin('tsc'), ['-p', 'tsconfig.json'], plugin, { offline: true });
    const tests = run(bin('vitest'), ['run', '--reporter=verbose'], plugin, { offline: true });
    expect(tests.stdout).toMatch(/provider contract: dots/);
    expect(tests.stdout).toMatch(/runs in an engine as a feature with its own capability/);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs], plugin).stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(packed[0]!.files.map((file) => file.path)).toContain('dist/index.js');
    run('npm', ['install', '--prefer-offline', join(tarballs, packed[0]!.filename)], app);
  });

  it('compiles and runs a strict TypeScript host app: engine in process, plugins by name and by path, the server under /studio', () => {
    run(bin('tsc'), ['-p', 'tsconfig.json'], app, { offline: true });
    const [file, argv] = offline(process.execPath, ['dist/main.js']);
    const result = spawnSync(file, argv, { cwd: app, encoding: 'utf8', timeout: 300_000 });
    const last = result.stdout.trim().split('\n').at(-1) ?? '';
    const report = (last.startsWith('{') ? JSON.parse(last) : {}) as { checks?: Array<{ name: string; ok: boolean; detail?: unknown }> };
    expect(report.checks?.filter((entry) => !entry.ok), `${result.stdout}\n${result.stderr}`).toEqual([]);
    expect(report.checks?.length).toBeGreaterThanOrEqual(15);
    expect(result.status).toBe(0);
  });
});
