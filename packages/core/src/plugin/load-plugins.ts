import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errors } from '@darkroom/plugin-api';
import { isPlugin, type Plugin } from '@darkroom/plugin-api';

/** A plugin object, the name of an npm package whose default export is one, or a path to such a module. */
export type PluginSource = Plugin | string;

export interface LoadPluginsOptions {
  /**
   * The folder names and relative paths are resolved from, as the app's own imports are: its
   * `node_modules` (and those above it), then beside `@darkroom/core`. Default: `process.cwd()`.
   */
  from?: string;
  /** Imports a resolved module (tests stand in for the module system here). */
  importer?: (specifier: string) => Promise<unknown>;
}

const isPath = (source: string) => source.startsWith('.') || isAbsolute(source) || source.startsWith('file:');

/** Where a source is looked for, in order: a path, or the app's packages then core's. */
function candidates(source: string, from: string): { specifier: string; where: string }[] {
  if (isPath(source)) {
    const path = source.startsWith('file:') ? source : resolve(from, source);
    return [{ specifier: source.startsWith('file:') ? source : pathToFileURL(path).href, where: path }];
  }
  const found: { specifier: string; where: string }[] = [];
  try {
    found.push({ specifier: pathToFileURL(createRequire(join(from, 'package.json')).resolve(source)).href, where: `${from}/node_modules` });
  } catch {
    // Not installed in the app: try beside @darkroom/core.
  }
  found.push({ specifier: source, where: 'beside @darkroom/core' });
  return found;
}

/**
 * Resolves plugin sources: objects pass through; package names are imported from the app's folder
 * (`options.from`, default the working directory), then from beside `@darkroom/core`; paths (`./x.js`,
 * `/abs/x.js`, `file:` URLs) are imported relative to the same folder. A source that cannot be
 * imported (the error names every place looked in and why) or does not export a plugin is a
 * `configuration` error.
 *
 * @example
 * const plugins = await loadPlugins(['darkroom-plugin-poster', './plugins/watermark.js']);
 */
export async function loadPlugins(sources: PluginSource[], options: LoadPluginsOptions = {}): Promise<Plugin[]> {
  const from = options.from ?? process.cwd();
  const importer = options.importer ?? ((specifier: string) => import(specifier));
  const plugins: Plugin[] = [];
  for (const source of sources) {
    if (typeof source !== 'string') {
      if (!isPlugin(source)) throw errors.configuration('A plugin must be created with definePlugin()');
      plugins.push(source);
      continue;
    }
    let module: unknown;
    const failures: string[] = [];
    for (const candidate of candidates(source, from)) {
      try {
        module = await importer(candidate.specifier);
        break;
      } catch (cause) {
        failures.push(`${candidate.where}: ${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]}`);
      }
    }
    if (module === undefined) {
      const fix = isPath(source) ? 'fix the path (relative paths start from the app folder)' : 'install it in the app (npm install) or fix the name';
      throw errors.configuration(`Plugin ${JSON.stringify(source)} could not be loaded (looked in ${failures.join('; ')}): ${fix}`, { plugin: source, looked_in: failures });
    }
    const candidate = (module as { default?: unknown }).default ?? (module as { plugin?: unknown }).plugin;
    if (!isPlugin(candidate)) {
      throw errors.configuration(`${JSON.stringify(source)} does not export a plugin (default export from definePlugin())`);
    }
    plugins.push(candidate);
  }
  return plugins;
}
