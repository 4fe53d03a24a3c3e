import { z } from 'zod';
import { errorBody } from '../schemas/common-schemas.js';
import type { ApiRoute } from './api-routes.js';

type JsonSchema = Record<string, unknown>;

const errorStatuses: Record<number, string> = {
  400: 'Invalid input (code invalid_input or invalid_image)',
  401: 'Missing or invalid API key',
  404: 'Not found, or not yours',
  409: 'Conflict: a request with this Idempotency-Key is still running, or the job was cancelled',
  413: 'Body, image or pixel count too large',
  415: 'Unsupported content type or image format',
  422: 'Idempotency-Key reused with another body, or content blocked',
  429: 'Rate limited (see RateLimit and Retry-After headers)',
  500: 'Internal error (generic, with a request id)',
  501: 'No configured provider can do this',
  502: 'The provider failed',
  503: 'The provider is unavailable',
};

/** Converts zod to JSON Schema 2020-12 (what OpenAPI 3.1 uses), moving named schemas to components. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    const { $schema: _schema, $defs, ...rest } = converted;
    const renames: Record<string, string> = {};
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      let target = name;
      const existing = this.components[target];
      if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) target = `${name}${io === 'input' ? 'Input' : 'Output'}`;
      renames[name] = target;
      this.components[target] = definition;
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/') ? `#/components/schemas/${renames[item.slice(8)] ?? item.slice(8)}` : rewrite(item)]));
    };
    for (const name of Object.values(renames)) this.components[name] = rewrite(this.components[name]) as JsonSchema;
    return rewrite(rest) as JsonSchema;
  }
}

/** A multipart form for routes that take uploads: `image`/`mask` as files, the other fields as text. */
function multipartSchema(json: JsonSchema): JsonSchema {
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const form: Record<string, JsonSchema> = {};
  for (const [name, property] of Object.entries(properties)) {
    form[name] = name === 'image' || name === 'mask' ? { type: 'string', contentMediaType: 'application/octet-stream', description: 'The image file' } : property;
  }
  return { type: 'object', properties: form, ...(json.required ? { required: json.required } : {}) };
}

/**
 * The OpenAPI 3.1 document of a server, from the same zod schemas its routes validate with. Paths are
 * the routes' own (`/v1/jobs/{id}`); `servers` names the base path they sit under (`/` by default).
 */
export function createOpenApiDocument(routes: ApiRoute[], info: { title: string; version: string; description: string }, options: { basePath?: string } = {}): JsonSchema {
  const collector = new SchemaCollector();
  collector.convert(errorBody, 'output'); // registers components.schemas.Error
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters: JsonSchema[] = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (route.query) {
      const query = collector.convert(route.query, 'input');
      const required = new Set((query.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, JsonSchema>)) {
        parameters.push({ name, in: 'query', required: required.has(name), schema, ...(schema.description ? { description: schema.description } : {}) });
      }
    }
    if (route.method === 'post') parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Same key and body: the same result; same key, other body: 422; while the first is running: 409' });
    if (route.async) parameters.push({ name: 'Prefer', in: 'header', required: false, schema: { type: 'string', enum: ['respond-async'] }, description: 'respond-async: answer 202 with a job at once' });
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: collector.convert(response.schema, 'output') } } } : {}),
        ...(response.contentType ? { content: { [response.contentType]: { schema: response.contentType === 'application/json' ? { type: 'object' } : { type: 'string' } } } } : {}),
      };
    }
    const statuses = route.public ? [500] : [400, 401, 404, 413, 415, 422, 429, 500, ...(route.tag === 'Features' || route.tag === 'Images' ? [501, 502, 503] : [])];
    for (const status of statuses) {
      if (!(status in responses)) responses[status] = { description: errorStatuses[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    let requestBody: JsonSchema | undefined;
    if (route.body) {
      const json = collector.convert(route.body, 'input');
      requestBody = { required: true, content: { 'application/json': { schema: json }, ...(route.multipart ? { 'multipart/form-data': { schema: multipartSchema(json) } } : {}) } };
    }
    paths[path] ??= {};
    paths[path]![route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
      ...(route.public ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: options.basePath || '/' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: collector.components,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
