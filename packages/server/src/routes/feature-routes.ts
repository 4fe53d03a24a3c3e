import type { Engine } from '@darkroom/core';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { resolveImageUrls } from '../safety/resolve-image-urls.js';
import { acceptedJob } from '../schemas/job-schemas.js';
import { imageUrlInput, webhookUrl } from '../schemas/common-schemas.js';
import { featureImage, featureResult } from '../schemas/feature-schemas.js';
import type { ServerEnv } from '../server-env.js';
import type { ServerServices } from '../server-services.js';
import { toWireFeatureResult } from '../wire/index.js';
import { parseWebhookUrl } from '../webhooks/webhook-sender.js';

export const wantsAsync = (c: Context<ServerEnv>) => /(^|[,;\s])respond-async\b/i.test(c.req.header('prefer') ?? '');

/** A feature's input as documented over HTTP: image fields also take URLs; a webhook may be named. */
function documentedInput(input: z.ZodType): z.ZodType {
  if (!(input instanceof z.ZodObject)) return input;
  const shape = input.shape as Record<string, z.ZodType>;
  const images = Object.fromEntries(['image', 'mask'].filter((field) => field in shape).map((field) => {
    const optional = shape[field]!.safeParse(undefined).success;
    const union = z.union([featureImage, imageUrlInput]).describe(shape[field]!.description ?? 'An image: http(s) URL, data URI, {base64, mime_type} or {asset_id}');
    return [field, optional ? union.optional() : union];
  }));
  return input.safeExtend({ ...images, webhook_url: webhookUrl });
}

/** Submits a feature job for a request body (URLs fetched, webhook registered). */
export async function submitFeature(c: Context<ServerEnv>, services: ServerServices, featureId: string, body: Record<string, unknown>) {
  const engine: Engine = c.get('engine');
  const userId = c.get('userId');
  const { webhook_url: rawWebhook, ...rest } = await resolveImageUrls(body, services.imageUrls);
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

/**
 * `POST /v1/features/<route>` for every registered feature. Synchronous by default;
 * `Prefer: respond-async` answers 202 with the job to poll or stream.
 */
export function featureRoutes(routes: ApiRoutes, engine: Engine, services: ServerServices): void {
  for (const feature of engine.features.list()) {
    routes.add(
      {
        method: 'post',
        path: `/v1/features/${feature.route}`,
        operationId: `feature_${feature.id.replace(/[^A-Za-z0-9_]/g, '_')}`,
        summary: feature.description,
        description: `Runs the ${feature.id} feature (capability ${feature.capability}). Answers the result, or 202 and a job with \`Prefer: respond-async\`.`,
        tag: 'Features',
        body: documentedInput(feature.input),
        validateBody: false,
        multipart: true,
        async: true,
        responses: {
          200: { description: 'The finished result', schema: featureResult },
          202: { description: 'Accepted (Prefer: respond-async): poll status_url or stream events_url', schema: acceptedJob },
        },
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
