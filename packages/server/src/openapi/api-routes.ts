import { DarkroomError, errors, holdImageBytes } from '@darkroom/core';
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { takesBody, type ApiRoute } from '@darkroom/api';
import { z } from 'zod';
import { readRequestBody } from '../read-request-body.js';
import type { ServerEnv } from '../server-env.js';

/** A route as the server mounts it: a declaration of `@darkroom/api`'s table (a feature's with its path, id and body filled in) or a plugin's. */
export type { ApiResponse, ApiRoute } from '@darkroom/api';

/** A mounted route: every one is listed under an OpenAPI tag (a plugin's defaults to the plugin's name). */
export type MountedRoute = ApiRoute & { tag: string };

/** What a handler returns: a JSON reply validated against its documented schema, or a finished Response. */
export type ApiReply = { status: number; body?: unknown; headers?: Record<string, string> } | Response;

export interface ApiInput {
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}

export type ApiHandler = (c: Context<ServerEnv>, input: ApiInput) => Promise<ApiReply> | ApiReply;

/** The object schema at a path of a value (`['properties']`, `['gemstones', 0]`), through wrappers and lists; undefined when there is none. */
function objectAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let current: unknown = schema;
  for (let index = 0; ; index++) {
    // Optional, nullable, default, readonly… and a refined object's pipe: the schema they wrap.
    while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault || current instanceof z.ZodReadonly) current = current.unwrap();
    if (current instanceof z.ZodPipe) current = current.in;
    if (index === path.length) return current instanceof z.ZodObject ? current : undefined;
    const segment = path[index];
    if (current instanceof z.ZodObject && typeof segment === 'string') current = (current.shape as Record<string, z.ZodType>)[segment];
    else if (current instanceof z.ZodArray && typeof segment === 'number') current = current.element;
    else return undefined;
  }
}

/**
 * A zod error as one line: up to five problems, each at its field (`where` at the top: `body`,
 * `query`); a name the schema does not know comes with the names it does, at any depth.
 */
function problems(error: z.ZodError, where = 'body', schema?: z.ZodType): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const at = issue.path.length ? issue.path.join('.') : where;
      const known = issue.code === 'unrecognized_keys' ? Object.keys(objectAt(schema, issue.path)?.shape ?? {}) : [];
      if (issue.code === 'unrecognized_keys' && known.length > 0) {
        return `${at}: ${issue.keys.map((key) => JSON.stringify(key.slice(0, 100))).join(', ')} ${issue.keys.length === 1 ? 'is' : 'are'} not taken here; ${issue.path.length ? at : `the ${where}`} takes ${known.join(', ')}`;
      }
      return `${at}: ${issue.message}`;
    })
    .join('; ');
}

/** The segments of a path template, a parameter as `{}` (`/v1/jobs/{id}` → `['v1', 'jobs', '{}']`). */
const segments = (path: string) => path.split('/').filter(Boolean).map((segment) => (/^\{[A-Za-z_]+\}$/.test(segment) ? '{}' : segment));

/** Whether two routes could answer the same request: the same method, and paths alike segment by segment (a parameter matches any). */
function answerAlike(a: ApiRoute, b: ApiRoute): boolean {
  const [left, right] = [segments(a.path), segments(b.path)];
  return a.method === b.method && left.length === right.length && left.every((segment, index) => segment === right[index] || segment === '{}' || right[index] === '{}');
}

/**
 * The routes a server mounts: each a declaration of `@darkroom/api`'s table (`apiRoutes.<operationId>`,
 * or the `runFeature` template filled in per feature) or a plugin's, with its handler. Each is mounted on the app
 * and described in the OpenAPI document from the same zod schemas, so what is documented is what is
 * validated, on the way in and on the way out, and what `@darkroom/client` is typed from.
 *
 * @example
 * routes.add(apiRoutes.getJob, async (c) => ({ status: 200, body: toWireJob(await c.get('engine').jobs.get(c.get('userId'), c.req.param('id')!)) }));
 */
export class ApiRoutes {
  readonly routes: MountedRoute[] = [];
  private readonly handlers: ApiHandler[] = [];
  /** The plugin that added each route (undefined: a built-in route). */
  private readonly plugins: (string | undefined)[] = [];

  private readonly publicPaths = new Set<string>();

  /**
   * Mounts `handler` for a route of `@darkroom/api`'s table (`apiRoutes.<operationId>`), or, with
   * `plugin`, for a plugin's route: that one is refused (a `configuration` error naming both) when
   * it could answer the same requests as a route added before it, or reuses an operation id.
   */
  add(route: MountedRoute, handler: ApiHandler, options: { plugin?: string } = {}): this {
    if (options.plugin !== undefined) this.refuseClash(route, options.plugin);
    this.routes.push(route);
    this.handlers.push(handler);
    this.plugins.push(options.plugin);
    if (route.public) this.publicPaths.add(route.path);
    return this;
  }

  /** Throws when a plugin's route would shadow, or be shadowed by, a route added before it. */
  private refuseClash(route: ApiRoute, plugin: string): void {
    const name = (index: number) => {
      const other = this.routes[index]!;
      const owner = this.plugins[index];
      return `${owner === undefined ? 'the built-in route' : `plugin ${JSON.stringify(owner)}'s route`} ${other.method.toUpperCase()} ${other.path} (${other.operationId})`;
    };
    const mine = `Plugin ${JSON.stringify(plugin)}'s route ${route.method.toUpperCase()} ${route.path} (${route.operationId})`;
    const alike = this.routes.findIndex((other) => answerAlike(route, other));
    if (alike >= 0) throw errors.configuration(`${mine} would answer the same requests as ${name(alike)}: give it another path (or method)`, { plugin, operation_id: route.operationId, clashes_with: this.routes[alike]!.operationId });
    const named = this.routes.findIndex((other) => other.operationId === route.operationId);
    if (named >= 0) throw errors.configuration(`${mine} has the operationId of ${name(named)}: operation ids name one route each; give it another`, { plugin, operation_id: route.operationId, clashes_with: route.operationId });
  }

  /** Whether a request path is a route that needs no API key (public routes have no parameters). */
  isPublic(path: string): boolean {
    return this.publicPaths.has(path.length > 1 ? path.replace(/\/$/, '') : path);
  }

  /** Registers every route on the app. */
  mount(app: Hono<ServerEnv>): void {
    this.routes.forEach((route, index) => {
      const handler = this.handlers[index]!;
      app.on(route.method.toUpperCase(), route.path.replace(/\{([A-Za-z_]+)\}/g, ':$1'), async (c) => {
        const input: ApiInput = { body: {}, query: {} };
        if (route.query) {
          const parsed = route.query.safeParse(c.req.query());
          if (!parsed.success) throw new DarkroomError({ code: 'invalid_input', message: `Invalid query: ${problems(parsed.error, 'query', route.query)}` });
          input.query = parsed.data as Record<string, unknown>;
        }
        if (takesBody(route.method)) {
          const body = await readRequestBody(c, { multipart: route.multipart === true, ...(route.body ? { schema: route.body } : {}) });
          if (route.body && route.validateBody !== false) {
            // Uploaded files (bytes) pass the schema as stored images would, and come back as bytes.
            const held = holdImageBytes(body);
            const parsed = route.body.safeParse(held.input);
            if (!parsed.success) throw new DarkroomError({ code: 'invalid_input', message: `Invalid body: ${problems(parsed.error, 'body', route.body)}` });
            input.body = held.restore(parsed.data as Record<string, unknown>);
          } else input.body = body;
        }
        const reply = await handler(c, input);
        if (reply instanceof Response) return reply;
        for (const [name, value] of Object.entries(reply.headers ?? {})) c.header(name, value);
        const documented = route.responses[reply.status];
        if (!documented) throw new Error(`${route.operationId} answered ${reply.status}, which it does not document`);
        if (!documented.schema) return c.body(null, reply.status as ContentfulStatusCode);
        const checked = documented.schema.safeParse(reply.body);
        if (!checked.success) throw new Error(`${route.operationId} answered a body its schema refuses: ${problems(checked.error)}`);
        return c.json(checked.data as object, reply.status as ContentfulStatusCode);
      });
    });
  }
}
