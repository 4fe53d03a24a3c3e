import SwaggerParser from '@apidevtools/swagger-parser';
import { apiRoutes } from '@darkroom/api';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chelseaDataUri, chelseaPng, startTestServer, waitForMessage, type TestServer } from '../testing/test-server.js';

let test: TestServer;
let document: any;

beforeAll(async () => {
  test = await startTestServer();
  document = await (await test.call('nobody', 'GET', '/openapi.json')).json();
});
afterAll(() => test.close());

/** DESIGN.md §6, as written there. */
const designRoutes = `
POST   /api/v1/chat/sessions
GET    /api/v1/chat/sessions/{id}
DELETE /api/v1/chat/sessions/{id}
POST   /api/v1/chat/sessions/{id}/messages
GET    /api/v1/chat/sessions/{id}/messages
GET    /api/v1/chat/sessions/{id}/messages/{messageId}
GET    /api/v1/chat/sessions/{id}/events
POST   /v1/features/image-generation
POST   /v1/features/upscale
POST   /v1/features/remove-background
POST   /v1/features/relight
POST   /v1/features/style-transfer
POST   /v1/features/reimagine
POST   /v1/features/image-expand
POST   /v1/features/object-removal
POST   /v1/features/enhance
GET    /v1/gallery
POST   /v1/gallery
GET    /v1/gallery/{id}
DELETE /v1/gallery/{id}
GET    /v1/gallery/deleted
POST   /v1/gallery/{id}/restore
DELETE /v1/gallery/{id}/permanent
POST   /v1/prompt/refine
POST   /v1/prompt/validate
POST   /v1/image/generate
POST   /api/v1/prompt-refinement/refine
POST   /api/v1/prompt-refinement/validate
POST   /api/v1/image-generation/generate
POST   /api/images/generate
GET    /api/images/models
GET    /api/health/images
GET    /v1/jobs
GET    /v1/jobs/{id}
DELETE /v1/jobs/{id}
GET    /v1/jobs/{id}/events
GET    /health
GET    /ready
GET    /metrics
GET    /openapi.json
GET    /docs
`.trim().split('\n').map((line) => line.trim().split(/\s+/) as [string, string]);

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
  });

  it('describes every route of DESIGN.md §6, and every mounted route is described', () => {
    for (const [method, path] of designRoutes) expect(document.paths[path]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations as object).map((method) => `${method.toUpperCase()} ${path}`));
    const mounted = test.server.routes.routes.map((route) => `${route.method.toUpperCase()} ${route.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    expect(described.sort()).toEqual(mounted.sort());
  });

  it('mounts every operation of the contract\'s table, and nothing outside it', () => {
    const mounted = test.server.routes.routes.map((route) => route.operationId);
    for (const [key, route] of Object.entries(apiRoutes)) {
      if ('perFeature' in route && route.perFeature) expect(mounted.filter((id) => id.startsWith(`${key}_`)).length, key).toBeGreaterThanOrEqual(9);
      else expect(mounted, key).toContain(key);
    }
    expect(mounted.filter((id) => !(id in apiRoutes) && !id.startsWith('runFeature_'))).toEqual([]);
  });

  it('documents request bodies from the same schemas the routes validate with', () => {
    const upscale = document.paths['/v1/features/upscale'].post;
    const schema = upscale.requestBody.content['application/json'].schema;
    expect(schema.properties.scale).toBeDefined();
    expect(JSON.stringify(schema.properties.image)).toContain('"format":"uri"');
    expect(upscale.requestBody.content['multipart/form-data']).toBeDefined();
    expect(upscale.responses['202']).toBeDefined();
    expect(document.paths['/v1/gallery'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['cursor', 'limit', 'intent', 'source', 'session_id', 'created_after', 'created_before']));
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });

  it('describes every operation, with an example of its request and of each answer, in public wording', () => {
    expect(JSON.stringify(document)).not.toMatch(/seed\s*0\d\d|seed0\d\d/i);
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const resolve = (schema: any): any => (schema?.$ref ? document.components.schemas[schema.$ref.slice(21)] : schema);
    for (const [path, methods] of Object.entries<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(operation.description?.length, where).toBeGreaterThan(20);
        for (const text of [operation.operationId, operation.summary, operation.description]) expect(text, where).not.toMatch(/seed\s*0\d\d|seed0\d\d/i);
        for (const parameter of operation.parameters ?? []) {
          if (parameter.example !== undefined) expect(ajv.validate(parameter.schema, parameter.example), `${where} ${parameter.name} example: ${ajv.errorsText()}`).toBe(true);
        }
        const json = operation.requestBody?.content['application/json'];
        if (json) {
          expect(json.example, `${where} request`).toBeDefined();
          // Validated with the components the document names (feature examples are made from each feature's schema).
          const valid = ajv.validate({ ...json.schema, $defs: undefined, components: document.components }, json.example);
          if (!JSON.stringify(json.schema).includes('$ref')) expect(valid, `${where} request example: ${ajv.errorsText()}`).toBe(true);
        }
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          for (const [type, media] of Object.entries<any>(response.content ?? {})) {
            if (type.startsWith('image/')) continue;
            expect(media.example, `${where} ${status} ${type}`).toBeDefined();
            if (type === 'application/json' && resolve(media.schema)?.type === 'object' && !JSON.stringify(resolve(media.schema)).includes('$ref')) {
              expect(ajv.validate(resolve(media.schema), media.example), `${where} ${status}: ${ajv.errorsText()}`).toBe(true);
            }
            // One event, as the schema describes each (its `data` may name components).
            if (type === 'text/event-stream') expect(ajv.validate({ ...media.schema, components: document.components }, media.example), `${where} ${status} event example: ${ajv.errorsText()}`).toBe(true);
          }
        }
      }
    }
  });

  it('groups the aliases kept for earlier services under Compatibility, and describes event streams event by event', () => {
    expect(document.tags.find((tag: { name: string }) => tag.name === 'Compatibility')?.description).toMatch(/\/v1/);
    for (const path of ['/api/v1/prompt-refinement/refine', '/api/v1/prompt-refinement/validate', '/api/v1/image-generation/generate', '/api/images/generate', '/api/images/models', '/api/health/images']) {
      const [operation] = Object.values<any>(document.paths[path]);
      expect(operation.tags, path).toEqual(['Compatibility']);
    }
    expect(document.paths['/api/v1/chat/sessions'].post.tags).toEqual(['Chat']);
    for (const path of ['/v1/jobs/{id}/events', '/api/v1/chat/sessions/{id}/events']) {
      const media = document.paths[path].get.responses['200'].content['text/event-stream'];
      const events = media.schema.oneOf.map((event: { title: string }) => event.title);
      expect(events, path).toEqual(expect.arrayContaining(['snapshot', 'job.progress', 'step.started', 'job.succeeded', 'job.failed', 'job.cancelled']));
      const progress = media.schema.oneOf.find((event: { title: string }) => event.title === 'job.progress');
      expect(progress.properties.data.properties.progress).toMatchObject({ type: 'number', minimum: 0, maximum: 100 });
      expect(media.example).toMatchObject({ id: expect.stringMatching(/^\d+$/), event: expect.any(String), data: expect.any(Object) });
    }
    expect(document.paths['/api/v1/chat/sessions/{id}/events'].get.responses['200'].content['text/event-stream'].schema.oneOf.map((event: { title: string }) => event.title)).toContain('message.updated');
  });

  it('lists every feature with the JSON Schema of its input and its image fields', async () => {
    const { features } = await (await test.call('ann', 'GET', '/v1/features')).json();
    expect(features.map((feature: { route: string }) => feature.route).sort()).toEqual(designRoutes.filter(([, path]) => path.startsWith('/v1/features/')).map(([, path]) => path.slice('/v1/features/'.length)).sort());
    const removal = features.find((feature: { id: string }) => feature.id === 'object-removal');
    expect(removal).toMatchObject({ path: '/v1/features/object-removal', image_fields: ['image', 'mask'], async: true, title: 'Object removal' });
    expect(removal.input_schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(removal.input_schema.required).toContain('image');
    expect(Object.keys(removal.input_schema.properties)).toEqual(expect.arrayContaining(['image', 'mask', 'webhook_url']));
    // The same schema the route validates with: what the list says is what the route takes.
    expect(removal.input_schema.properties).toEqual(document.paths['/v1/features/object-removal'].post.requestBody.content['application/json'].schema.properties);
  });

  it('serves Swagger UI from the installed package', async () => {
    const page = await test.call('nobody', 'GET', '/docs');
    expect(await page.text()).toContain('/docs/swagger-ui-bundle.js');
    const bundle = await test.call('nobody', 'GET', '/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await test.call('nobody', 'GET', '/docs/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});

describe('every route answers what its description says', () => {
  it('calls each described operation and checks status and body against the document', async () => {
    const inline = (value: unknown): any => {
      if (Array.isArray(value)) return value.map(inline);
      if (typeof value !== 'object' || value === null) return value;
      const ref = (value as { $ref?: string }).$ref;
      if (ref?.startsWith('#/components/schemas/')) return inline(document.components.schemas[ref.slice(21)]);
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inline(item)]));
    };
    const dereferenced = { paths: inline(document.paths) };
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const ids: Record<string, string> = {};
    const session = await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json();
    ids.id = session.session_id;
    const sent = await (await test.call('ann', 'POST', `/api/v1/chat/sessions/${ids.id}/messages`, { content: 'enhance this', image: chelseaDataUri })).json();
    await waitForMessage(test, 'ann', ids.id, sent.message_id);
    const form = new FormData();
    form.set('image', new Blob([chelseaPng], { type: 'image/png' }), 'chelsea.png');
    form.set('scale', '2');
    const featureBodies: Record<string, unknown> = {
      'image-generation': { prompt: 'a lighthouse at dusk', width: 256, height: 256 },
      upscale: form,
      'remove-background': { image: chelseaDataUri },
      relight: { image: chelseaDataUri, direction: 'left' },
      'style-transfer': { image: chelseaDataUri, style: 'noir' },
      reimagine: { image: chelseaDataUri, prompt: 'as a watercolor' },
      'image-expand': { image: chelseaDataUri, left: 32 },
      'object-removal': { image: chelseaDataUri, mask: await maskFor() },
      enhance: { image: chelseaDataUri },
    };
    const checked: string[] = [];
    const call = async (method: string, template: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const response = await test.call('ann', method, path, body, headers);
      const operation = dereferenced.paths[template][method.toLowerCase()];
      const documented = operation.responses[String(response.status)];
      const text = await response.text();
      expect(documented, `${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`).toBeDefined();
      const schema = documented.content?.['application/json']?.schema;
      if (schema) {
        const valid = ajv.validate(schema, JSON.parse(text));
        expect(valid, `${method} ${path}: ${ajv.errorsText()}`).toBe(true);
      }
      checked.push(`${method} ${template}`);
      return text ? (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : undefined;
    };
    for (const [route, body] of Object.entries(featureBodies)) {
      const result = await call('POST', `/v1/features/${route}`, `/v1/features/${route}`, body);
      if (route === 'enhance') Object.assign(ids, { job: result.job_id, gallery: result.images[0].gallery_id, asset: result.images[0].asset_id });
    }
    const accepted = await call('POST', '/v1/features/enhance', '/v1/features/enhance', { image: chelseaDataUri }, { prefer: 'respond-async' });
    await test.engine.jobs.wait('ann', accepted.job_id);
    for (const path of ['/v1/image/generate', '/api/v1/image-generation/generate', '/api/images/generate']) await call('POST', path, path, { prompt: 'beautiful sunset', width: 256, height: 256 });
    for (const prefix of ['/v1/prompt', '/api/v1/prompt-refinement']) {
      await call('POST', `${prefix}/refine`, `${prefix}/refine`, { original_prompt: 'a cat', context: { style: 'realistic' } });
      await call('POST', `${prefix}/validate`, `${prefix}/validate`, { prompt: 'beautiful landscape' });
    }
    await call('GET', '/api/v1/chat/sessions/{id}', `/api/v1/chat/sessions/${ids.id}`);
    await call('PATCH', '/api/v1/chat/sessions/{id}', `/api/v1/chat/sessions/${ids.id}`, { title: 'tour', description: 'every route once' });
    await call('GET', '/api/v1/chat/sessions', '/api/v1/chat/sessions?limit=5');
    await call('GET', '/api/v1/chat/sessions/{id}/messages', `/api/v1/chat/sessions/${ids.id}/messages`);
    await call('GET', '/api/v1/chat/sessions/{id}/messages/{messageId}', `/api/v1/chat/sessions/${ids.id}/messages/${sent.message_id}`);
    await call('POST', '/api/v1/chat/sessions', '/api/v1/chat/sessions', { title: 'tour' });
    await call('POST', '/api/v1/chat/sessions/{id}/messages', `/api/v1/chat/sessions/${ids.id}/messages`, { content: 'make it noir' });
    await call('GET', '/v1/jobs/{id}', `/v1/jobs/${ids.job}`);
    await call('DELETE', '/v1/jobs/{id}', `/v1/jobs/${ids.job}`);
    const events = await call('GET', '/v1/jobs/{id}/events', `/v1/jobs/${ids.job}/events`);
    expect(events).toContain('event: snapshot');
    await call('GET', '/v1/gallery', '/v1/gallery?limit=2&source=direct');
    const kept = await call('POST', '/v1/gallery', '/v1/gallery', { image: { asset_id: ids.asset }, intent: 'keep' });
    await call('GET', '/v1/gallery/{id}', `/v1/gallery/${kept.id}`);
    await call('DELETE', '/v1/gallery/{id}', `/v1/gallery/${kept.id}`);
    await call('GET', '/v1/gallery/deleted', '/v1/gallery/deleted');
    await call('POST', '/v1/gallery/{id}/restore', `/v1/gallery/${kept.id}/restore`);
    await call('DELETE', '/v1/gallery/{id}/permanent', `/v1/gallery/${kept.id}/permanent`);
    await call('GET', '/v1/assets/{id}', `/v1/assets/${ids.asset}`);
    const signed = await call('POST', '/v1/assets/{id}/signed-url', `/v1/assets/${ids.asset}/signed-url`, { expires_in: 600 });
    expect((await test.call('nobody', 'GET', signed.url)).status).toBe(200);
    await call('GET', '/api/images/models', '/api/images/models');
    await call('GET', '/api/health/images', '/api/health/images');
    for (const path of ['/health', '/ready', '/metrics', '/openapi.json', '/docs', '/', '/v1/features', '/v1/jobs']) await call('GET', path, path);
    const sessionEvents = test.call('ann', 'GET', `/api/v1/chat/sessions/${ids.id}/events`);
    const stream = await sessionEvents;
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: snapshot');
    await reader.cancel();
    checked.push('GET /api/v1/chat/sessions/{id}/events');
    await call('DELETE', '/api/v1/chat/sessions/{id}', `/api/v1/chat/sessions/${ids.id}`);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.filter((operation) => !checked.includes(operation))).toEqual([]);
  }, 180_000);
});

async function maskFor(): Promise<string> {
  const sharp = (await import('sharp')).default;
  const { width, height } = await sharp(chelseaPng).metadata();
  const mask = await sharp({ create: { width: width!, height: height!, channels: 3, background: '#000' } })
    .composite([{ input: { create: { width: 40, height: 40, channels: 3, background: '#fff' } }, left: 100, top: 100 }])
    .png()
    .toBuffer();
  return `data:image/png;base64,${mask.toString('base64')}`;
}
