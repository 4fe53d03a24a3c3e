import { errors } from '../errors/errors.js';
import { isPlugin, type Plugin } from './define-plugin.js';

/** A plugin object, or the name of an npm package whose default export is one. */
export type PluginSource = Plugin | string;

/**
 * Resolves plugin sources: objects pass through, names are imported.
 * A name that cannot be imported, or that does not export a plugin, is a configuration error.
 */
export async function loadPlugins(sources: PluginSource[], importer: (name: string) => Promise<unknown> = (name) => import(name)): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const source of sources) {
    if (typeof source !== 'string') {
      if (!isPlugin(source)) throw errors.configuration('A plugin must be created with definePlugin()');
      plugins.push(source);
      continue;
    }
    let module: unknown;
    try {
      module = await importer(source);
    } catch (cause) {
      throw errors.configuration(`Plugin package ${JSON.stringify(source)} could not be loaded: install it or fix the name`, {
        plugin: source,
        reason: cause instanceof Error ? cause.message : String(cause),
      });
    }
    const candidate = (module as { default?: unknown }).default ?? (module as { plugin?: unknown }).plugin;
    if (!isPlugin(candidate)) {
      throw errors.configuration(`Package ${JSON.stringify(source)} does not export a plugin (default export from definePlugin())`);
    }
    plugins.push(candidate);
  }
  return plugins;
}
