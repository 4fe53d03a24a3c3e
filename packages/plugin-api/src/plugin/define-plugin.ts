import type { AnyFeature } from './define-feature.js';
import type { AnyPluginRoute } from './define-plugin-route.js';
import type { Provider } from './define-provider.js';
import { pluginProblem } from './plugin-problem.js';

export interface Plugin {
  readonly kind: 'plugin';
  name: string;
  features: AnyFeature[];
  providers: Provider[];
  /** HTTP routes the server mounts beside its own (see `definePluginRoute`); absent in plugins made before routes existed. */
  routes?: AnyPluginRoute[];
}

/**
 * Bundles features, providers and HTTP routes for publication as one npm package (its default export).
 *
 * @example
 * export default definePlugin({ name: '@darkroom/plugin-upscale', features: [upscale] });
 *
 * @example
 * export default definePlugin({ name: 'darkroom-plugin-jewelry', features: [jewelryDesign], routes: [chat, listConversations] });
 */
export function definePlugin(definition: { name: string; features?: AnyFeature[]; providers?: Provider[]; routes?: AnyPluginRoute[] }): Plugin {
  return { kind: 'plugin', name: definition.name, features: definition.features ?? [], providers: definition.providers ?? [], routes: definition.routes ?? [] };
}

/** Whether a value has a plugin's shape (see `pluginProblem` for what is checked and why one fails). */
export function isPlugin(value: unknown): value is Plugin {
  return pluginProblem(value) === undefined;
}
