import type { AnyFeature } from './define-feature.js';
import type { Provider } from './define-provider.js';
import { pluginProblem } from './plugin-problem.js';

export interface Plugin {
  readonly kind: 'plugin';
  name: string;
  features: AnyFeature[];
  providers: Provider[];
}

/**
 * Bundles features and providers for publication as one npm package (its default export).
 *
 * @example
 * export default definePlugin({ name: '@darkroom/plugin-upscale', features: [upscale] });
 */
export function definePlugin(definition: { name: string; features?: AnyFeature[]; providers?: Provider[] }): Plugin {
  return { kind: 'plugin', name: definition.name, features: definition.features ?? [], providers: definition.providers ?? [] };
}

/** Whether a value has a plugin's shape (see `pluginProblem` for what is checked and why one fails). */
export function isPlugin(value: unknown): value is Plugin {
  return pluginProblem(value) === undefined;
}
