import { resolve } from 'node:path';
import { errors, pluginProblem, type Plugin } from '@darkroom/plugin-api';
import { importPluginModule } from './import-plugin-module.js';

/** A plugin object, the name of an npm package whose default export is one, or a path to such a module. */
export type PluginSource = Plugin | string;

export interface LoadPluginsOptions {
  /**
   * The app folder: package names are resolved from it as the app's own imports are (ESM
   * conditions; its `node_modules` and those above it), then from beside `@darkroom/core`; relative
   * paths and relative `file:` URLs start from it. Default: `process.cwd()`.
   */
  from?: string;
  /** Imports a resolved module URL (tests stand in for the module system here). */
  importer?: (url: string) => Promise<unknown>;
  /**
   * How long importing one plugin module may take (its top-level await included) before loading
   * fails with a `configuration` error naming it. Default: 30 000 (30 s).
   */
  timeoutMs?: number;
}

export const defaultPluginTimeoutMs = 30_000;

/** A module's plugin: its default export (or `plugin` export); TypeScript's CommonJS output holds it one level down. */
function exportedPlugin(module: unknown): unknown {
  const namespace = module as { default?: unknown; plugin?: unknown };
  const exported = namespace.default ?? namespace.plugin;
  // `exports.default = definePlugin(...)` compiled by tsc: an import gives module.exports as the default.
  if (typeof exported === 'object' && exported !== null && (exported as { __esModule?: unknown }).__esModule === true) return (exported as { default?: unknown }).default;
  return exported;
}

/**
 * Resolves plugin sources: objects pass through; package names are imported from the app's folder
 * (`options.from`, default the working directory), then from beside `@darkroom/core`, the next place
 * tried only when the package is not installed in one; paths (`./x.js`, `/abs/x.js`, `file:` URLs)
 * are imported relative to the same folder. Every failure is a `configuration` error naming the
 * source and what is wrong: not found (with every place looked in and why), found but failing to
 * import (the file and what it threw), still loading after `timeoutMs`, or not exporting a plugin of
 * the right shape (see `pluginProblem`).
 *
 * @example
 * const plugins = await loadPlugins(['darkroom-plugin-poster', './plugins/watermark.js']);
 */
export async function loadPlugins(sources: PluginSource[], options: LoadPluginsOptions = {}): Promise<Plugin[]> {
  const from = resolve(options.from ?? process.cwd());
  const importer = options.importer ?? ((url: string) => import(url));
  const timeoutMs = options.timeoutMs ?? defaultPluginTimeoutMs;
  const plugins: Plugin[] = [];
  for (const [index, source] of sources.entries()) {
    if (typeof source !== 'string') {
      const problem = pluginProblem(source);
      if (problem) throw errors.configuration(`Plugin ${index + 1} of ${sources.length} (an object) is not a plugin made with definePlugin(): ${problem}`, { plugin: index, problem });
      plugins.push(source);
      continue;
    }
    // The resolver (and import-meta-resolve, ~40 ms to load) loads only when a plugin is named by package or path.
    const { findPluginModule } = await import('./find-plugin-module.js');
    const module = findPluginModule(source, from);
    const plugin = exportedPlugin(await importPluginModule(source, module, importer, timeoutMs));
    const problem = pluginProblem(plugin);
    if (problem) {
      throw errors.configuration(`Plugin ${JSON.stringify(source)} (${module.file}) does not export a plugin (${problem}): its default export must be definePlugin({ name, features, providers })`, {
        plugin: source,
        file: module.file,
        problem,
      });
    }
    plugins.push(plugin as Plugin);
  }
  return plugins;
}
