import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '../spec/api-route.js';
import type { UserStudio } from '../spec/user-studio.js';
import { definePlugin } from './define-plugin.js';
import { definePluginRoute, type AnyPluginRoute } from './define-plugin-route.js';
import { pluginProblem } from './plugin-problem.js';
import { pluginRouteProblem } from './plugin-route-problem.js';

const conversation = z.object({ id: z.string(), title: z.string().nullable() });
const rename = defineRoute({
  method: 'patch',
  path: '/api/v1/conversations/{id}',
  operationId: 'renameConversation',
  summary: 'Rename a conversation',
  description: 'Changes its title.',
  body: z.object({ title: z.string().min(1) }).strict(),
  query: z.object({ notify: z.enum(['yes', 'no']).default('no') }),
  responses: { 200: { description: 'The conversation', schema: conversation }, 204: { description: 'Nothing changed' } },
});
const renameRoute = definePluginRoute(rename, async ({ params, body }, studio) => {
  const session = await studio.sessions.update(params.id, { title: body.title });
  return { status: 200, body: { id: session.id, title: session.title } };
});

describe('definePluginRoute', () => {
  it('types the handler from the route: parsed params, query and body in; a documented status and its body out', () => {
    type Handle = Parameters<typeof definePluginRoute<typeof rename>>[1];
    type Request = Parameters<Handle>[0];
    expectTypeOf<Request['params']>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<Request['body']>().toEqualTypeOf<{ title: string }>();
    // The query as parsed: its default filled in.
    expectTypeOf<Request['query']>().toEqualTypeOf<{ notify: 'yes' | 'no' }>();
    expectTypeOf<Request['idempotencyKey']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Parameters<Handle>[1]>().toEqualTypeOf<UserStudio>();
    type Reply = Awaited<ReturnType<Handle>>;
    expectTypeOf<{ status: 200; body: { id: string; title: null } }>().toExtend<Reply>();
    expectTypeOf<{ status: 204 }>().toExtend<Reply>();
    expectTypeOf<{ status: 201; body: { id: string; title: null } }>().not.toExtend<Reply>();
    expectTypeOf<{ status: 200; body: { id: number } }>().not.toExtend<Reply>();
    // A GET without body or query: body undefined, query empty.
    const list = defineRoute({ method: 'get', path: '/api/v1/things', operationId: 'listThings', summary: 'Things', description: '', responses: { 200: { description: 'ok', schema: z.array(z.string()) } } });
    type ListRequest = Parameters<Parameters<typeof definePluginRoute<typeof list>>[1]>[0];
    expectTypeOf<ListRequest['body']>().toEqualTypeOf<undefined>();
    expectTypeOf<ListRequest['params']>().toEqualTypeOf<{}>();
    // Any route fits a plugin's routes.
    expectTypeOf(renameRoute).toExtend<AnyPluginRoute>();
    expect(definePlugin({ name: 'p', routes: [renameRoute] }).routes).toEqual([renameRoute]);
  });
});

describe('pluginRouteProblem and pluginProblem with routes', () => {
  const handle = () => ({ status: 204 as const });
  const route = (changes: Record<string, unknown>) => ({ kind: 'route', route: { ...rename, ...changes }, handle });
  const answers = (responses: unknown) => route({ responses });

  it('accept routes made by definePluginRoute, and a plugin without routes (made before they existed)', () => {
    expect(pluginRouteProblem(renameRoute)).toBeUndefined();
    expect(pluginProblem(definePlugin({ name: 'p', routes: [renameRoute] }))).toBeUndefined();
    expect(pluginProblem({ kind: 'plugin', name: 'p', features: [], providers: [] })).toBeUndefined();
  });

  it.each([
    [null, /it is null, not a route made with definePluginRoute\(\)/],
    [{ ...renameRoute, kind: 'feature' }, /its kind is "feature"/],
    [{ ...renameRoute, handle: 'nope' }, /its handle is a string, not a function/],
    [{ kind: 'route', handle }, /its route is undefined, not a route declaration/],
    [route({ method: 'head' }), /its method is "head"; it must be one of get, post, patch, put, delete/],
    [route({ path: 'api/v1/x' }), /its path is "api\/v1\/x"; write it like \/api\/v1\/conversations\/\{id\}/],
    [route({ path: '/api/v1/x/' }), /no trailing \//],
    [route({ path: '/api/v1/:id' }), /its path is "\/api\/v1\/:id"/],
    [route({ path: '/a/{id}/b/{id}' }), /names the parameter \{id\} twice/],
    [route({ operationId: 'rename conversation' }), /its operationId is "rename conversation"; it must be a letter then letters, digits or _/],
    [route({ summary: '' }), /PATCH \/api\/v1\/conversations\/\{id\} has no summary/],
    [route({ tag: '' }), /tag is a string; leave it out/],
    [route({ public: true }), /sets public: a plugin route always needs an API key: remove public/],
    [route({ perFeature: true }), /sets perFeature/],
    [route({ async: true }), /sets async/],
    [route({ validateBody: false }), /sets validateBody: a plugin route's body is always validated/],
    [route({ body: { title: 'string' } }), /body is an object, not a zod schema/],
    [route({ method: 'get' }), /GET \/api\/v1\/conversations\/\{id\} declares a body, but GET requests carry none/],
    [route({ body: undefined, multipart: true }), /takes multipart uploads but declares no body schema/],
    [route({ query: z.string() }), /query is an object, not a zod object/],
    [answers(undefined), /its responses is undefined, not an object of answers by status/],
    [answers({ ok: { description: 'fine' } }), /its responses has the key "ok", not an HTTP status/],
    [answers({ 200: { schema: conversation } }), /its 200 answer has no description/],
    [answers({ 200: { description: 'fine', schema: 'json' } }), /its 200 answer's schema is a string, not a zod schema/],
    [answers({ 200: { description: 'a picture', contentType: 'image/png' } }), /its 200 answer is not JSON/],
    [answers({ 404: { description: 'missing' } }), /document no success \(2xx\) answer/],
  ])('refuses %#, saying what is wrong', (value, problem) => {
    expect(pluginRouteProblem(value)).toMatch(problem);
  });

  it('pluginProblem names the route that is wrong', () => {
    expect(pluginProblem({ kind: 'plugin', name: 'p', features: [], providers: [], routes: {} })).toMatch(/its routes is an object, not an array of routes made with definePluginRoute\(\)/);
    expect(pluginProblem(definePlugin({ name: 'p', routes: [renameRoute, route({ public: true }) as AnyPluginRoute] }))).toMatch(/^routes\[1\]: PATCH \/api\/v1\/conversations\/\{id\} sets public/);
  });
});
