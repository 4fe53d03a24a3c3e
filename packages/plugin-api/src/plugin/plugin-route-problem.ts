import { kindOf } from './kind-of.js';

const methods = ['get', 'post', 'patch', 'put', 'delete'];
/** `/api/v1/conversations/{id}`: segments of letters, digits and `. _ ~ -`, or `{name}` parameters; no trailing `/`. */
const pathPattern = /^(\/([A-Za-z0-9._~-]+|\{[A-Za-z_]+\}))+$/;
const operationIdPattern = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

/** Whether a value looks like a zod schema (by shape: a plugin may carry its own copy of zod). */
const isSchema = (value: unknown) => typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';

/** Options of a built-in route that a plugin's route cannot take, each with why. */
const refusedOptions: Array<[field: string, refused: (value: unknown) => boolean, why: string]> = [
  ['public', (value) => value === true, 'a plugin route always needs an API key: remove public'],
  ['perFeature', (value) => value === true, 'perFeature is the template of the built-in feature routes: declare the route\'s own path'],
  ['async', (value) => value === true, 'a plugin route cannot answer Prefer: respond-async: remove async, and answer 202 with a job id from the handler if the work is long'],
  ['validateBody', (value) => value === false, 'a plugin route\'s body is always validated: remove validateBody'],
];

/** What is wrong with a route's `responses`, or undefined. */
function responsesProblem(responses: unknown): string | undefined {
  if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) return `its responses is ${kindOf(responses)}, not an object of answers by status ({ 200: { description, schema } })`;
  const statuses = Object.keys(responses);
  for (const status of statuses) {
    if (!/^[1-5]\d\d$/.test(status)) return `its responses has the key ${JSON.stringify(status.slice(0, 100))}, not an HTTP status (100 to 599)`;
    const response = (responses as Record<string, unknown>)[status] as { description?: unknown; schema?: unknown; contentType?: unknown; events?: unknown } | null;
    if (typeof response !== 'object' || response === null) return `its ${status} answer is ${kindOf(response)}, not { description, schema? }`;
    if (typeof response.description !== 'string' || response.description === '') return `its ${status} answer has no description (a non-empty string)`;
    if (response.schema !== undefined && !isSchema(response.schema)) return `its ${status} answer's schema is ${kindOf(response.schema)}, not a zod schema`;
    if (response.contentType !== undefined || response.events !== undefined) return `its ${status} answer is not JSON (contentType or events): a plugin route answers a JSON body checked by a schema, or none`;
  }
  if (!statuses.some((status) => status.startsWith('2'))) return 'its responses document no success (2xx) answer';
  return undefined;
}

/**
 * What is wrong with one entry of a plugin's `routes`, in words, or `undefined` when it is a route
 * made by `definePluginRoute()` that the server can mount: a method, a path of the form
 * `/api/v1/things/{id}`, an operation id, a summary and description, zod schemas for the body (POST,
 * PATCH, PUT only) and query, documented JSON answers with at least one 2xx, and none of the options
 * only built-in routes take.
 *
 * @example
 * pluginRouteProblem(definePluginRoute({ ...chatRoute, public: true }, handle));
 * // 'POST /api/v1/chat sets public: a plugin route always needs an API key: remove public'
 */
export function pluginRouteProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `it is ${kindOf(value)}, not a route made with definePluginRoute()`;
  const entry = value as { kind?: unknown; route?: unknown; handle?: unknown };
  if (entry.kind !== 'route') return `it is not a route made with definePluginRoute() (its kind is ${JSON.stringify(entry.kind) ?? 'missing'})`;
  if (typeof entry.handle !== 'function') return `its handle is ${kindOf(entry.handle)}, not a function`;
  if (typeof entry.route !== 'object' || entry.route === null) return `its route is ${kindOf(entry.route)}, not a route declaration (defineRoute)`;
  const route = entry.route as Record<string, unknown>;
  if (typeof route.method !== 'string' || !methods.includes(route.method)) return `its method is ${JSON.stringify(route.method) ?? 'missing'}; it must be one of ${methods.join(', ')}`;
  if (typeof route.path !== 'string' || !pathPattern.test(route.path)) {
    return `its path is ${typeof route.path === 'string' ? JSON.stringify(route.path.slice(0, 100)) : kindOf(route.path)}; write it like /api/v1/conversations/{id} (a leading /, segments of letters, digits and . _ ~ -, {name} parameters, no trailing /)`;
  }
  const names = [...route.path.matchAll(/\{([A-Za-z_]+)\}/g)].map((match) => match[1]!);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) return `its path ${route.path} names the parameter {${repeated}} twice`;
  if (typeof route.operationId !== 'string' || !operationIdPattern.test(route.operationId)) return `its operationId is ${JSON.stringify(route.operationId) ?? 'missing'}; it must be a letter then letters, digits or _ (at most 100), e.g. listConversations`;
  const where = `${route.method.toUpperCase()} ${route.path}`;
  if (typeof route.summary !== 'string' || route.summary === '') return `${where} has no summary (a non-empty string)`;
  if (typeof route.description !== 'string') return `${where} has no description (a string)`;
  if (route.tag !== undefined && (typeof route.tag !== 'string' || route.tag === '')) return `${where}'s tag is ${kindOf(route.tag)}; leave it out (the plugin's name is used) or give a non-empty string`;
  for (const [field, refused, why] of refusedOptions) if (refused(route[field])) return `${where} sets ${field}: ${why}`;
  const takesBody = route.method !== 'get' && route.method !== 'delete';
  if (route.body !== undefined && !isSchema(route.body)) return `${where}'s body is ${kindOf(route.body)}, not a zod schema`;
  if (route.body !== undefined && !takesBody) return `${where} declares a body, but ${route.method.toUpperCase()} requests carry none: use post, patch or put, or take the values in the query`;
  if (route.multipart === true && route.body === undefined) return `${where} takes multipart uploads but declares no body schema for their fields`;
  if (route.query !== undefined && !(isSchema(route.query) && typeof (route.query as { shape?: unknown }).shape === 'object')) return `${where}'s query is ${kindOf(route.query)}, not a zod object (z.object({ ... }))`;
  const problem = responsesProblem(route.responses);
  return problem ? `${where}: ${problem}` : undefined;
}
