import { DarkroomError, holdImageBytes } from '@darkroom/core';
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { takesBody, type ApiRoute } from '@darkroom/api';
import { z } from 'zod';
import { readRequestBody } from '../read-request-body.js';
import type { ServerEnv } from '../server-env.js';

/** A route as the server mounts it: a declaration of `@darkroom/api`'s table (a feature's with its path, id and body filled in). */
export type { ApiResponse, ApiRoute } from '@darkroom/api';

/** What a handler returns: a JSON reply validated against its documented schema, or a finished Response. */
export type ApiReply = { status: number; body?: unknown; headers?: Record<string, string> } | Response;

export interface ApiInput {
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}

export type ApiHandler = (c: Context<ServerEnv>, input: ApiInput) => Promise<ApiReply> | ApiReply;

/**
 * A zod error as one line: up to five problems, each at its field (`where` at the top: `body`,
 * `query`); a name the schema does not know comes with the names it does.
 */
function problems(error: z.ZodError, where = 'body', schema?: z.ZodType): string {
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const at = issue.path.length ? issue.path.join('.') : where;
      if (issue.code === 'unrecognized_keys' && issue.path.length === 0 && known.length > 0) {
        return `${at}: ${issue.keys.map((key) => JSON.stringify(key.slice(0, 100))).join(', ')} ${issue.keys.length === 1 ? 'is' : 'are'} not taken here; the ${where} takes ${known.join(', ')}`;
      }
      return `${at}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * The routes a server mounts: each a declaration of `@darkroom/api`'s table (`apiRoutes.<operationId>`,
 * or the `runFeature` template filled in per feature) with its handler. Each is mounted on the app
 * and described in the OpenAPI document from the same zod schemas, so what is documented is what is
 * validated, on the way in and on the way out, and what `@darkroom/client` is typed from.
 *
 * @example
 * routes.add(apiRoutes.getJob, async (c) => ({ status: 200, body: toWireJob(await c.get('engine').jobs.get(c.get('userId'), c.req.param('id')!)) }));
 */
export class ApiRoutes {
  readonly routes: ApiRoute[] = [];
  private readonly handlers: ApiHandler[] = [];

  private readonly publicPaths = new Set<string>();

  /** Mounts `handler` for a route of `@darkroom/api`'s table (`apiRoutes.<operationId>`). */
  add(route: ApiRoute, handler: ApiHandler): this {
    this.routes.push(route);
    this.handlers.push(handler);
    if (route.public) this.publicPaths.add(route.path);
    return this;
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
