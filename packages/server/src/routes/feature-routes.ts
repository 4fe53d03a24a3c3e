import { apiRoutes, imageOrUrlInput, webhookUrl } from '@darkroom/api';
import { imageFieldsOf, imageInput, type AnyFeature, type Engine } from '@darkroom/core';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { resolveImageUrls } from '../safety/resolve-image-urls.js';
import type { ServerEnv } from '../server-env.js';
import type { ServerServices } from '../server-services.js';
import { toWireFeatureResult } from '../wire/index.js';
import { parseWebhookUrl } from '../webhooks/webhook-sender.js';

export const wantsAsync = (c: Context<ServerEnv>) => /(^|[,;\s])respond-async\b/i.test(c.req.header('prefer') ?? '');

/**
 * An image field's schema as the HTTP API takes it: each image (the field's, or each item of a list)
 * also an http(s) URL (`imageOrUrlInput`), the wrappers around it (optional, default, the list and its
 * length limits) and the field's own description kept.
 */
function withImageUrls(schema: z.ZodType): z.ZodType {
  const { innerType, element } = schema.def as { innerType?: z.ZodType; element?: z.ZodType };
  const own = schema.description !== imageInput.description ? schema.description : undefined;
  const replaced = innerType
    ? schema.clone({ ...schema.def, innerType: withImageUrls(innerType) } as typeof schema.def)
    : element
      ? schema.clone({ ...schema.def, element: withImageUrls(element) } as typeof schema.def)
      : imageOrUrlInput;
  return own ? replaced.describe(own) : replaced;
}

/** A feature's input as documented over HTTP: image fields (`imageFieldsOf`) also take URLs; a webhook may be named. */
export function documentedInput(input: z.ZodType): z.ZodType {
  const fields = imageFieldsOf(input);
  if (!(input instanceof z.ZodObject)) return input;
  const shape = input.shape as Record<string, z.ZodType>;
  return input.safeExtend({ ...Object.fromEntries(fields.map(({ name }) => [name, withImageUrls(shape[name]!)])), webhook_url: webhookUrl });
}

/** Submits a feature job for a request body (URLs fetched, webhook registered). */
export async function submitFeature(c: Context<ServerEnv>, services: ServerServices, featureId: string, body: Record<string, unknown>) {
  const engine: Engine = c.get('engine');
  const userId = c.get('userId');
  const { webhook_url: rawWebhook, ...rest } = await resolveImageUrls(body, { fields: imageFieldsOf(engine.features.get(featureId).input), policy: services.imageUrls });
  const webhook = await parseWebhookUrl(rawWebhook, services.webhooks);
  const idempotencyKey = c.req.header('idempotency-key');
  const job = await engine.submit(featureId, rest, { userId, ...(idempotencyKey ? { idempotencyKey } : {}), signal: c.req.raw.signal });
  if (webhook) await services.webhooks!.register(job.id, userId, webhook);
  return job;
}

/** 202 for a submitted job: where to poll it and stream its events, under the server's base path. */
export function acceptedReply(jobId: string, state: string, basePath: string) {
  const statusUrl = `${basePath}/v1/jobs/${jobId}`;
  return {
    status: 202,
    headers: { Location: statusUrl, 'Preference-Applied': 'respond-async' },
    body: { job_id: jobId, status: state, status_url: statusUrl, events_url: `${statusUrl}/events` },
  };
}

/** A feature as `GET /v1/features` lists it: its route under `basePath` and the JSON Schema of its documented input. */
export function toFeatureInfo(feature: AnyFeature, basePath: string) {
  const { $schema: _schema, ...inputSchema } = z.toJSONSchema(documentedInput(feature.input), { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    id: feature.id,
    route: feature.route,
    path: `${basePath}/v1/features/${feature.route}`,
    title: feature.id.charAt(0).toUpperCase() + feature.id.slice(1).replaceAll('-', ' '),
    description: feature.description,
    capability: feature.capability,
    input_schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', ...inputSchema },
    image_fields: imageFieldsOf(feature.input).map((field) => field.name),
    async: true,
  };
}

/**
 * `GET /v1/features` (every registered feature, plugins included) and `POST /v1/features/<route>`
 * for each, from the table's `runFeature` template with the feature's own input as its body.
 * Synchronous by default; `Prefer: respond-async` answers 202 with the job to poll or stream.
 */
export function featureRoutes(routes: ApiRoutes, engine: Engine, services: ServerServices): void {
  let listed: ReturnType<typeof toFeatureInfo>[] | undefined;
  routes.add(apiRoutes.listFeatures, () => {
    listed ??= engine.features.list().map((feature) => toFeatureInfo(feature, services.basePath));
    return { status: 200, body: { features: listed } };
  });
  for (const feature of engine.features.list()) {
    routes.add(
      {
        ...apiRoutes.runFeature,
        path: apiRoutes.runFeature.path.replace('{route}', feature.route),
        operationId: `runFeature_${feature.id.replace(/[^A-Za-z0-9_]/g, '_')}`,
        summary: feature.description,
        description: `Runs the ${feature.id} feature (provider capability ${feature.capability}). ${apiRoutes.runFeature.description}`,
        body: documentedInput(feature.input),
        example: { body: exampleInput(feature) },
      },
      async (c, { body }) => {
        const job = await submitFeature(c, services, feature.id, body);
        if (wantsAsync(c)) return acceptedReply(job.id, job.state, services.basePath);
        const result = await c.get('engine').result(c.get('userId'), job.id, { signal: c.req.raw.signal });
        const wire = toWireFeatureResult(result, services.basePath);
        return { status: 200, body: { job_id: result.jobId, ...wire, image_url: wire.images[0]?.url ?? null } };
      },
    );
  }
}

/** A request body that runs a feature: its image fields name a stored image (a list, one), its required fields take their first allowed value. */
function exampleInput(feature: AnyFeature): Record<string, unknown> {
  const json = z.toJSONSchema(feature.input, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  const images = new Map(imageFieldsOf(feature.input).map((field) => [field.name, field]));
  const stored = { asset_id: 'ast_0mk1x2c9a0000k3v9d2q8w1e7r5t' };
  const body: Record<string, unknown> = {};
  for (const name of json.required ?? []) {
    const property = json.properties?.[name] ?? {};
    if (images.has(name)) body[name] = images.get(name)!.list ? [stored] : stored;
    else if ('default' in property) body[name] = property.default;
    else if (Array.isArray(property.enum)) body[name] = property.enum[0];
    else if (property.type === 'string') body[name] = name === 'prompt' ? 'a red bicycle by the sea, golden hour' : name;
    else if (property.type === 'integer' || property.type === 'number') body[name] = property.minimum ?? 1;
    else if (property.type === 'boolean') body[name] = true;
  }
  for (const [name, property] of Object.entries(json.properties ?? {})) if (!(name in body) && 'default' in property && !images.has(name)) body[name] = property.default;
  return body;
}
