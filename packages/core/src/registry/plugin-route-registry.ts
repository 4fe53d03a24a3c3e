import type { AnyPluginRoute, ApiRoute, Plugin } from '@darkroom/plugin-api';

/** A plugin's HTTP route as an engine keeps it: the plugin that added it, its declaration (tagged) and its handler. */
export interface RegisteredPluginRoute {
  /** The name of the plugin that added it. */
  plugin: string;
  /** The declaration, its `tag` the plugin's name unless the route names one. */
  route: ApiRoute & { tag: string };
  handle: AnyPluginRoute['handle'];
}

/**
 * The HTTP routes an engine's plugins add (`definePlugin({ routes })`), in the order the plugins
 * were given. Explicit, never global. The server mounts them beside its own and refuses, at start,
 * one that would answer the same requests as another (see `createServer`).
 *
 * @example
 * for (const { plugin, route } of engine.routes.list()) console.log(plugin, route.method, route.path);
 */
export class PluginRouteRegistry {
  private readonly routes: RegisteredPluginRoute[];

  constructor(plugins: Plugin[] = []) {
    this.routes = plugins.flatMap((plugin) =>
      (plugin.routes ?? []).map((entry) => ({
        plugin: plugin.name,
        route: { ...entry.route, tag: entry.route.tag ?? plugin.name },
        handle: (request: Parameters<AnyPluginRoute['handle']>[0], studio: Parameters<AnyPluginRoute['handle']>[1]) => entry.handle(request, studio),
      })),
    );
  }

  list(): RegisteredPluginRoute[] {
    return [...this.routes];
  }
}
