import { z } from 'zod';
import { errorBody, takesBody, type ApiResponse, type ApiRoute } from '@darkroom/api';
import { imageFieldsOf, type ImageField } from '@darkroom/core';

type JsonSchema = Record<string, unknown>;

const errorStatuses: Record<number, string> = {
  400: 'Invalid input (code invalid_input or invalid_image)',
  401: 'Missing or invalid API key',
  404: 'Not found, or not yours',
  409: 'Conflict: a request with this Idempotency-Key is still running, the job was cancelled, or what the key created has since been deleted (details.reason "deleted": use a new key)',
  413: 'Body, image or pixel count too large',
  415: 'Unsupported content type or image format',
  422: 'Idempotency-Key reused with another body, or content blocked',
  429: 'Rate limited (see RateLimit and Retry-After headers)',
  500: 'Internal error (generic, with a request id)',
  501: 'No configured provider can do this',
  502: 'The provider failed',
  503: 'The provider is unavailable',
};

const errorExamples: Record<number, { code: string; message: string }> = {
  400: { code: 'invalid_input', message: 'Invalid body: scale: Invalid option: expected one of 2|4' },
  401: { code: 'unauthorized', message: 'Send an API key as Authorization: Bearer <key> or X-API-Key' },
  404: { code: 'not_found', message: 'Job "job_0mk1x2c9a0000a1s2d3f4g5h6j7k" was not found' },
  413: { code: 'payload_too_large', message: 'The request body is larger than 52428800 bytes' },
  415: { code: 'unsupported_media_type', message: 'Send application/json or multipart/form-data' },
  409: { code: 'conflict', message: 'A request with this Idempotency-Key is still being processed; retry when it has finished' },
  422: { code: 'idempotency_mismatch', message: 'This Idempotency-Key was used with another body' },
  429: { code: 'rate_limited', message: 'Too many requests: retry after 12 s' },
  500: { code: 'internal', message: 'Internal error' },
  501: { code: 'no_provider', message: 'No configured provider can do image.relight' },
  502: { code: 'provider_error', message: 'The provider failed: 500 Internal Server Error' },
  503: { code: 'provider_unavailable', message: 'Every provider for this capability is unavailable; retry later' },
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

/** A multipart form for routes that take uploads: each image field a file (a list field, files repeated under its name), the other fields as text. */
function multipartSchema(json: JsonSchema, imageFields: readonly ImageField[]): JsonSchema {
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const form: Record<string, JsonSchema> = {};
  const file = { type: 'string', contentMediaType: 'application/octet-stream' };
  for (const [name, property] of Object.entries(properties)) {
    const field = imageFields.find((candidate) => candidate.name === name);
    form[name] = !field ? property : field.list ? { type: 'array', items: file, description: 'The image files, one part each' } : { ...file, description: 'The image file' };
  }
  return { type: 'object', properties: form, ...(json.required ? { required: json.required } : {}) };
}

const tagDescriptions: Record<string, string> = {
  Chat: 'Chat sessions: send a message, the assistant works on it in the background; poll or stream the reply',
  Features: 'One route per registered feature (plugins included), synchronous or as a job',
  Jobs: 'Background work: list, status, cancellation and live events',
  Gallery: 'The images a user made or kept: pages, filters, soft delete, restore, permanent delete',
  Images: 'Stored images, signed URLs and text-to-image',
  Prompt: 'Prompt refinement and validation',
  Operations: 'Liveness, readiness, metrics, this document and the web playground',
  Compatibility: 'Aliases kept for clients of the earlier prompt-refinement, image-generation and images services; new code should use the /v1 routes',
};

/** A `text/event-stream` body: one schema per event (its name and the shape of its JSON `data`). */
function eventStreamSchema(response: ApiResponse, collector: SchemaCollector): JsonSchema {
  const events = Object.entries(response.events ?? {}).map(([name, schema]) => ({
    title: name,
    type: 'object',
    properties: { event: { const: name }, id: { type: 'string', description: 'Send as Last-Event-ID to resume after it' }, data: collector.convert(schema, 'output') },
    required: ['event', 'data'],
  }));
  // Each event on the wire is text (`id:`, `event:` and `data:` lines); the schema (and the example) describe one event as an object.
  return {
    description: 'Server-Sent Events: each is `id`, `event` (its name) and `data` (JSON) lines, e.g. `id: 3`, `event: job.progress`, `data: {"job_id":"job_…","progress":40}`; lines starting with `:` are heartbeats. Each event, as an object of those fields (the example is one), is one of:',
    ...(events.length ? { oneOf: events } : { type: 'string' }),
  };
}

/**
 * The OpenAPI 3.1 document of a server, from the same zod schemas its routes validate with. Paths are
 * the routes' own (`/v1/jobs/{id}`); `servers` names the base path they sit under (`/` by default).
 */
export function createOpenApiDocument(routes: Array<ApiRoute & { tag: string }>, info: { title: string; version: string; description: string }, options: { basePath?: string } = {}): JsonSchema {
  const collector = new SchemaCollector();
  collector.convert(errorBody, 'output'); // registers components.schemas.Error
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path;
    const parameters: JsonSchema[] = [...route.path.matchAll(/\{([A-Za-z_]+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' }, ...(route.example?.params?.[match[1]!] ? { example: route.example.params[match[1]!] } : {}) }));
    if (route.query) {
      const query = collector.convert(route.query, 'input');
      const required = new Set((query.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, JsonSchema>)) {
        const example = route.example?.query?.[name];
        parameters.push({ name, in: 'query', required: required.has(name), schema, ...(schema.description ? { description: schema.description } : {}), ...(example !== undefined ? { example } : {}) });
      }
    }
    if (route.method === 'post') parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Same key and body: the same result; same key, other body: 422; while the first is running: 409; once what it created was deleted: 409 with details.reason "deleted" (it is not created again: use a new key)' });
    if (route.async) parameters.push({ name: 'Prefer', in: 'header', required: false, schema: { type: 'string', enum: ['respond-async'] }, description: 'respond-async: answer 202 with a job at once' });
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const example = response.example !== undefined ? { example: response.example } : {};
      const schema = response.schema
        ? collector.convert(response.schema, 'output')
        : response.contentType === 'text/event-stream'
          ? eventStreamSchema(response, collector)
          : response.contentType === 'application/json'
            ? { type: 'object' }
            : { type: 'string', ...(response.contentType?.startsWith('image/') ? { contentMediaType: response.contentType } : {}) };
      const contentType = response.schema ? 'application/json' : response.contentType;
      responses[status] = { description: response.description, ...(contentType ? { content: { [contentType]: { schema, ...example } } } : {}) };
    }
    // What each kind of request can be refused with: a POST, PATCH or PUT has a body (413, 415); only a POST an Idempotency-Key (409, 422).
    const refusals = route.method === 'post' ? [400, 401, 404, 409, 413, 415, 422, 429, 500] : takesBody(route.method) ? [400, 401, 404, 413, 415, 429, 500] : [400, 401, 404, 429, 500];
    const runsProviders = route.method === 'post' && (route.tag === 'Features' || route.tag === 'Images');
    const statuses = route.public ? [500] : [...refusals, ...(runsProviders ? [501, 502, 503] : [])];
    for (const status of statuses) {
      if (!(status in responses)) responses[status] = { description: errorStatuses[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: { error: errorExamples[status] } } } };
    }
    let requestBody: JsonSchema | undefined;
    if (route.body) {
      const json = collector.convert(route.body, 'input');
      const example = route.example?.body !== undefined ? { example: route.example.body } : {};
      requestBody = { required: true, content: { 'application/json': { schema: json, ...example }, ...(route.multipart ? { 'multipart/form-data': { schema: multipartSchema(json, imageFieldsOf(route.body)) } } : {}) } };
    }
    paths[path] ??= {};
    paths[path]![route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      description: route.description,
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
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name, ...(tagDescriptions[name] ? { description: tagDescriptions[name] } : {}) })),
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
