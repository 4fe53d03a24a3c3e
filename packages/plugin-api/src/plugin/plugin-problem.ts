import { kindOf } from './kind-of.js';
import { pluginRouteProblem } from './plugin-route-problem.js';

/** What is wrong with each entry of a plugin's `features` or `providers`, or undefined when each is made by its define function. */
function listProblem(value: unknown, field: 'features' | 'providers', kind: 'feature' | 'provider', define: string): string | undefined {
  if (value === undefined) return `it has no ${field} (an array of ${kind}s made with ${define}(); definePlugin() makes an empty one)`;
  if (!Array.isArray(value)) return `its ${field} is ${kindOf(value)}, not an array of ${kind}s made with ${define}()`;
  for (const [index, item] of value.entries()) {
    const entry = item as { kind?: unknown; id?: unknown } | null;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `${field}[${index}] is ${kindOf(entry)}, not a ${kind} made with ${define}()`;
    if (entry.kind !== kind) return `${field}[${index}] is not a ${kind} made with ${define}() (its kind is ${JSON.stringify(entry.kind) ?? 'missing'})`;
    if (typeof entry.id !== 'string' || entry.id === '') return `${field}[${index}] has no id (a non-empty string)`;
  }
  return undefined;
}

/** What is wrong with a plugin's `routes` (absent in plugins made before routes existed), or undefined. */
function routesProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `its routes is ${kindOf(value)}, not an array of routes made with definePluginRoute()`;
  for (const [index, route] of value.entries()) {
    const problem = pluginRouteProblem(route);
    if (problem) return `routes[${index}]: ${problem}`;
  }
  return undefined;
}

/**
 * What is wrong with a value given as a plugin, in words, or `undefined` when it has a plugin's shape:
 * `kind: 'plugin'`, a non-empty `name`, `features` and `providers` arrays whose entries were made
 * by `defineFeature()` and `defineProvider()`, and `routes` (optional) made by `definePluginRoute()`
 * that the server can mount (see `pluginRouteProblem`). Checked by shape (`kind` fields), not by
 * class, so a plugin built against another copy of `@darkroom/plugin-api` passes.
 *
 * @example
 * const problem = pluginProblem(module.default);
 * if (problem) throw new Error(`darkroom-plugin-x: ${problem}`);
 */
export function pluginProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `it is ${kindOf(value)}, not a plugin made with definePlugin()`;
  const plugin = value as { kind?: unknown; name?: unknown; features?: unknown; providers?: unknown; routes?: unknown };
  if (plugin.kind !== 'plugin') return `it is not a plugin made with definePlugin() (its kind is ${JSON.stringify(plugin.kind) ?? 'missing'})`;
  if (typeof plugin.name !== 'string' || plugin.name.trim() === '') return `its name is ${typeof plugin.name === 'string' ? 'empty' : kindOf(plugin.name)}, not a non-empty string`;
  return listProblem(plugin.features, 'features', 'feature', 'defineFeature') ?? listProblem(plugin.providers, 'providers', 'provider', 'defineProvider') ?? routesProblem(plugin.routes);
}
