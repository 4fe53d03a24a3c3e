import { apiRoutes } from '@darkroom/api';
import type { Engine } from '@darkroom/core';
import type { ApiRoutes } from '../openapi/api-routes.js';
import type { ServerServices } from '../server-services.js';
import { toWireImageReference } from '../wire/index.js';
import { acceptedReply, submitFeature, wantsAsync } from './feature-routes.js';

/** The text-to-image paths (its own and the compatibility ones), answered by the `generate` feature. */
export function imageGenerationRoutes(routes: ApiRoutes, engine: Engine, services: ServerServices): void {
  if (!engine.features.has('generate')) return;
  for (const route of [apiRoutes.generateImage, apiRoutes.generateImageCompat, apiRoutes.generateImageLegacy]) {
    routes.add(
      route,
      async (c, { body }) => {
        const started = performance.now();
        const [width, height] = typeof body.size === 'string' ? body.size.split('x').map(Number) : [body.width, body.height];
        const input = {
          prompt: body.style ? `${body.prompt as string}, ${body.style as string} style` : body.prompt,
          ...Object.fromEntries(['negative_prompt', 'aspect_ratio', 'seed', 'num_images', 'provider', 'model', 'format'].filter((key) => body[key] !== undefined).map((key) => [key, body[key]])),
          ...(width !== undefined ? { width } : {}),
          ...(height !== undefined ? { height } : {}),
          // Seed 003's images-service names, when the feature's own are not given.
          ...(body.num_images === undefined && body.n !== undefined ? { num_images: body.n } : {}),
          ...((body.steps ?? body.num_inference_steps) !== undefined ? { steps: body.steps ?? body.num_inference_steps } : {}),
          ...((body.guidance ?? body.guidance_scale) !== undefined ? { guidance: body.guidance ?? body.guidance_scale } : {}),
        };
        const job = await submitFeature(c, services, 'generate', input);
        if (wantsAsync(c)) return acceptedReply(job.id, job.state, services.basePath);
        const result = await c.get('engine').result(c.get('userId'), job.id, { signal: c.req.raw.signal });
        const first = result.images[0]!;
        const images = result.images.map((image) => toWireImageReference(image, services.basePath));
        const url = images[0]!.url;
        const seconds = Math.round(performance.now() - started) / 1000;
        const bytes = body.response_format === 'b64_json' ? Buffer.from((await c.get('engine').assets.read(c.get('userId'), first.assetId)).bytes).toString('base64') : undefined;
        return {
          status: 200,
          body: {
            success: true, request_id: result.jobId, image_url: url, image_path: url, ...(bytes ? { image_bytes: bytes } : {}), images,
            service: result.provider, model: result.model, generation_time: seconds,
            metadata: { ...result.metadata, width: first.width, height: first.height, processing_time: seconds, ...(result.seed !== undefined ? { seed: result.seed } : {}) },
            attempts: result.attempts,
          },
        };
      },
    );
  }
}
