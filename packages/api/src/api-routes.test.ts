import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fillPath, type ApiRoute } from '@darkroom/plugin-api';
import { apiRoutes } from './api-routes.js';

const routes = Object.entries(apiRoutes) as Array<[string, ApiRoute]>;
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
/** A schema as the OpenAPI document writes it (JSON Schema 2020-12). */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
const internalWording = /\bseed\s*0\d\d\b|seed0\d\d/i;

describe('the route table', () => {
  it('names each route by its operation id, once, with a summary and a description free of internal wording', () => {
    const ids = routes.map(([, route]) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [key, route] of routes) {
      expect(route.operationId, key).toBe(key);
      expect(route.summary.length, key).toBeGreaterThan(10);
      expect(route.description.length, key).toBeGreaterThan(20);
      for (const text of [route.operationId, route.summary, route.description]) expect(text, key).not.toMatch(internalWording);
    }
    const methodsAndPaths = routes.map(([, route]) => `${route.method} ${route.path}`);
    expect(new Set(methodsAndPaths).size).toBe(methodsAndPaths.length);
  });

  it('gives every request an example its own schemas accept', () => {
    for (const [key, route] of routes) {
      const params = [...route.path.matchAll(/\{([A-Za-z_]+)\}/g)].map((match) => match[1]!);
      if (params.length) expect(Object.keys(route.example?.params ?? {}).sort(), key).toEqual(params.sort());
      if (route.body) {
        const parsed = route.body.safeParse(route.example?.body);
        expect(parsed.success, `${key}: ${parsed.error?.message}`).toBe(true);
      }
      if (route.query && route.example?.query) {
        const parsed = route.query.safeParse(route.example.query);
        expect(parsed.success, `${key}: ${parsed.error?.message}`).toBe(true);
        // As documented: OpenAPI checks each parameter's example against the query's JSON Schema.
        expect(ajv.validate(jsonSchema(route.query, 'input'), route.example.query), `${key} query example: ${ajv.errorsText()}`).toBe(true);
      }
    }
  });

  it('gives every answer with a body an example its schema accepts', () => {
    for (const [key, route] of routes) {
      for (const [status, response] of Object.entries(route.responses)) {
        if (!response.schema && !response.contentType) continue;
        if (response.contentType?.startsWith('image/')) continue;
        expect(response.example, `${key} ${status}`).toBeDefined();
        if (response.schema) {
          const parsed = (response.schema as z.ZodType).safeParse(response.example);
          expect(parsed.success, `${key} ${status}: ${parsed.error?.message}`).toBe(true);
        }
      }
    }
  });

  it('describes every event of its event streams, and gives an example event its schemas accept', () => {
    const streams = routes.filter(([, route]) => Object.values(route.responses).some((response) => response.contentType === 'text/event-stream'));
    expect(streams.map(([key]) => key).sort()).toEqual(['streamJobEvents', 'streamSessionEvents']);
    for (const [key, route] of streams) {
      const response = Object.values(route.responses).find((each) => each.contentType === 'text/event-stream')!;
      expect(Object.keys(response.events ?? {}), key).toEqual(expect.arrayContaining(['snapshot', 'job.progress', 'job.succeeded', 'job.failed', 'job.cancelled']));
      const example = response.example as { id?: unknown; event: string; data: unknown };
      expect(example, key).toMatchObject({ id: expect.stringMatching(/^\d+$/), event: expect.any(String) });
      const schema = response.events![example.event];
      expect(schema, `${key}: ${example.event}`).toBeDefined();
      expect(schema!.safeParse(example.data).success, `${key}: ${example.event}`).toBe(true);
      expect(ajv.validate(jsonSchema(schema!, 'output'), example.data), `${key}: ${example.event}: ${ajv.errorsText()}`).toBe(true);
    }
    expect(Object.keys(apiRoutes.streamSessionEvents.responses[200].events)).toContain('message.updated');
  });

  it('groups the aliases kept for earlier services under Compatibility, and nothing else', () => {
    for (const [key, route] of routes) {
      const alias = route.path.startsWith('/api/') && !route.path.startsWith('/api/v1/chat/');
      expect(route.tag === 'Compatibility', `${key} ${route.path}`).toBe(alias);
    }
  });

  it('fills path templates, encoding parameters and refusing missing ones', () => {
    expect(fillPath(apiRoutes.getMessage.path, { id: 'ses 1', messageId: 'msg/2' })).toBe('/api/v1/chat/sessions/ses%201/messages/msg%2F2');
    expect(() => fillPath(apiRoutes.getJob.path, {})).toThrow(/needs the path parameter id/);
  });
});
