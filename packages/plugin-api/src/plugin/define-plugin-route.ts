import type { z } from 'zod';
import type { ApiRoute, PathParams } from '../spec/api-route.js';
import type { UserStudio } from '../spec/user-studio.js';

/** What a route's schema parsed (zod output); `Absent` when the route declares none; wide for a route whose type is not known. */
type Parsed<Schema, Absent, Wide> = [Schema] extends [z.ZodType] ? z.output<Schema> : unknown extends Schema ? Absent : Wide;

/** The request a plugin route's handler gets, parsed by the route's own schemas. */
export interface PluginRouteRequest<Route extends ApiRoute = ApiRoute> {
  /** The path parameters (`{id}` → `params.id`), decoded. */
  params: PathParams<Route>;
  /** The query as `route.query` parsed it (defaults applied); `{}` when the route takes none. */
  query: Parsed<Route['query'], Record<string, never>, Record<string, unknown>>;
  /**
   * The JSON body as `route.body` parsed it; `undefined` when the route takes none. On a `multipart`
   * route an uploaded file arrives as its bytes (a `Uint8Array`): pass it on to the studio as it is.
   */
  body: Parsed<Route['body'], undefined, unknown>;
  /**
   * The request's `Idempotency-Key` (POST only; the server has checked it and refuses a concurrent
   * repeat), scoped to this route (the same key sent to another route is another request): pass it
   * to the studio's calls, which scope it again by what they do.
   */
  idempotencyKey?: string;
  /** Aborted when the client goes away: the studio's waits stop with it. */
  signal: AbortSignal;
}

/** One answer: a status the route documents, its body as that status's schema takes it (zod input), and headers. */
type Reply<Status, Response> = { status: Status; headers?: Record<string, string> } & (Response extends { schema: infer Schema extends z.ZodType }
  ? { body: z.input<Schema> }
  : 'schema' extends keyof Response ? { body?: unknown } : { body?: undefined });

/**
 * What a plugin route's handler answers: `{ status, body?, headers? }` with a status the route
 * documents; the server checks `body` against that status's schema before sending it (a body the
 * schema refuses, or an undocumented status, is a 500 that shows the caller nothing).
 */
export type PluginRouteReply<Route extends ApiRoute = ApiRoute> = { [Status in keyof Route['responses'] & number]: Reply<Status, Route['responses'][Status]> }[keyof Route['responses'] & number];

/** An HTTP route a plugin adds to the server: its declaration and the handler that answers it for the calling user. */
export interface PluginRoute<Route extends ApiRoute = ApiRoute> {
  readonly kind: 'route';
  readonly route: Route;
  /** Answers one request, with the caller's studio (every call of it bound to the caller's user). */
  handle(request: PluginRouteRequest<Route>, studio: UserStudio): Promise<PluginRouteReply<Route>> | PluginRouteReply<Route>;
}

/** A plugin route of any declaration (what `definePlugin` takes). */
export type AnyPluginRoute = PluginRoute<ApiRoute>;

/**
 * Pairs a route declaration (`defineRoute`, or an object of that shape) with its handler, typed from
 * the route's schemas: the handler gets `{ params, query, body, idempotencyKey?, signal }` as the
 * schemas parsed them and the caller's studio, and answers `{ status, body?, headers? }`, which the
 * server checks against the documented response schema. The server mounts it like its own routes:
 * an API key is required (a plugin route is never public), requests count toward the key's rate
 * limit, a POST's Idempotency-Key is guarded and handed over, failures map to the error format, and
 * OpenAPI documents it (tagged with the plugin's name unless `tag` says otherwise).
 *
 * Not taken on a plugin route (`pluginProblem` says so): `public`, `perFeature`, `async`,
 * `validateBody: false`, and answers that are not JSON (`contentType`, `events`).
 *
 * @example
 * export const renameConversation = defineRoute({
 *   method: 'patch', path: '/api/v1/conversations/{id}', operationId: 'renameConversation',
 *   summary: 'Rename a conversation', description: 'Changes the title of one of the caller\'s conversations.',
 *   body: z.object({ title: z.string().min(1).max(200) }).strict(),
 *   responses: { 200: { description: 'The conversation', schema: z.object({ id: z.string(), title: z.string().nullable() }) } },
 * });
 * const rename = definePluginRoute(renameConversation, async ({ params, body }, studio) => {
 *   const session = await studio.sessions.update(params.id, { title: body.title });
 *   return { status: 200, body: { id: session.id, title: session.title } };
 * });
 * export default definePlugin({ name: 'darkroom-plugin-jewelry', routes: [rename] });
 */
export function definePluginRoute<const Route extends ApiRoute>(route: Route, handle: NoInfer<PluginRoute<Route>['handle']>): PluginRoute<Route> {
  return { kind: 'route', route, handle };
}
