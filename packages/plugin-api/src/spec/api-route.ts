import type { z } from 'zod';

/** One documented answer of a route. */
export interface ApiResponse {
  description: string;
  /** The JSON body, checked by the server before it is sent; omitted for empty or non-JSON bodies. */
  schema?: z.ZodType;
  /** Non-JSON bodies: `text/event-stream`, `image/*`, `text/html`… */
  contentType?: string;
  /** For `text/event-stream`: each SSE event name and the shape of its JSON `data`. */
  events?: Record<string, z.ZodType>;
  /**
   * A body this answer may carry (checked against `schema` by the contract's tests). For
   * `text/event-stream`, one event as the document's schema describes it: `{ id, event, data }`
   * (a `StreamEvent`; on the wire its `id:`, `event:` and `data:` lines), `data` fitting `events[event]`.
   */
  example?: unknown;
}

/**
 * One HTTP operation of the Darkroom API: what the server mounts and validates, what OpenAPI
 * documents and what the typed client calls, from the same object. The built-in table
 * (`@darkroom/api`'s `apiRoutes`) and a plugin's routes (`definePluginRoute`) are declared alike.
 */
export interface ApiRoute {
  /** `post`, `patch` and `put` take a JSON body (`body`); `get` and `delete` take none. */
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI syntax: `/v1/jobs/{id}`. A trailing slash is accepted on every path. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** The OpenAPI tag it is listed under; every built-in route names one, a plugin's route defaults to the plugin's name. */
  tag?: string;
  /** The JSON body, validated before the handler runs (unless `validateBody` is false). */
  body?: z.ZodType;
  validateBody?: boolean;
  /** Also accepts multipart/form-data with `image` (and `mask`) files. */
  multipart?: boolean;
  query?: z.ZodObject;
  /** Accepts `Prefer: respond-async`. */
  async?: boolean;
  /** Needs no API key. */
  public?: boolean;
  /**
   * A template for one route per registered feature (`/v1/features/{route}`): the server mounts it
   * once per feature, with that feature's input as `body`.
   */
  perFeature?: boolean;
  /**
   * A request that works: path parameters, query and body (each checked against the schemas by the
   * contract's tests). Query values are typed as the query's JSON Schema documents them (`limit: 20`,
   * not `'20'`), as OpenAPI examples are checked against it.
   */
  example?: { params?: Record<string, string>; query?: Record<string, string | number | boolean>; body?: unknown };
  responses: Record<number, ApiResponse>;
}

/**
 * Whether requests of this method carry a body the route validates.
 *
 * @example
 * takesBody('patch'); // true
 * takesBody('get');   // false
 */
export function takesBody(method: ApiRoute['method']): boolean {
  return method === 'post' || method === 'patch' || method === 'put';
}

/**
 * Keeps a route's literal types (path, method, schemas) for the client while checking its shape.
 *
 * @example
 * export const getConversation = defineRoute({
 *   method: 'get', path: '/api/v1/conversations/{id}', operationId: 'getConversation',
 *   summary: 'A conversation', description: 'One of the caller\'s conversations.',
 *   responses: { 200: { description: 'The conversation', schema: conversation } },
 * });
 */
export function defineRoute<const Route extends ApiRoute>(route: Route): Route {
  return route;
}

/** The names in a path template: `'/v1/jobs/{id}'` → `'id'`. */
export type PathParamNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never;

/** The path parameters a route takes, as strings. */
export type PathParams<Route extends ApiRoute> = { [Name in PathParamNames<Route['path']>]: string };

/** The JSON body a route takes (zod input: defaults may be left out). */
export type RequestBody<Route extends ApiRoute> = Route['body'] extends z.ZodType ? z.input<Route['body']> : never;

/** The query a route takes (zod input). */
export type RequestQuery<Route extends ApiRoute> = Route['query'] extends z.ZodType ? z.input<Route['query']> : never;

/** The JSON body of a route's answer with this status (zod output). */
export type ResponseBody<Route extends ApiRoute, Status extends keyof Route['responses']> = Route['responses'][Status] extends { schema: infer Schema extends z.ZodType } ? z.output<Schema> : undefined;

/** An event of a `text/event-stream` answer: its name, its parsed JSON data and its id. */
export type StreamEvent<Events extends Record<string, z.ZodType>> = { [Name in keyof Events & string]: { event: Name; data: z.output<Events[Name]>; id?: string } }[keyof Events & string];

/**
 * Fills a path template: `fillPath('/v1/jobs/{id}', { id: 'job 1' })` → `'/v1/jobs/job%201'`.
 * @throws TypeError when a parameter is missing or empty.
 */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{([A-Za-z_]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new TypeError(`${path} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
