import { defineRoute, definePluginRoute, type UserStudio, type z } from '@darkroom/plugin-api';
import { generateRequest, generateResponse } from './seed-schemas.js';
import { generatedImages } from './to-seed-wire.js';

/** How long a direct design may take: its job's deadline (past it the job fails with `timeout`). */
export const designWaitMs = 120_000;

const generateRoute = (render: '2d' | '3d') =>
  defineRoute({
    method: 'post', path: `/api/v1/generate/${render}`, operationId: render === '2d' ? 'generateJewelrySketch' : 'generateJewelryRender', tag: 'Jewelry designer',
    summary: render === '2d' ? 'Draw a jewelry design sketch' : 'Render a jewelry design in 3D',
    description: `Seed 004's direct generation: a ${render === '2d' ? "designer's sketch sheet" : 'photorealistic product render'} of the piece the properties describe (\`jewelry-design\` with render ${render}), recorded in the gallery with its properties. With an Idempotency-Key a repeat answers the same images.`,
    body: generateRequest,
    example: { body: { prompt: 'a thin twisted band', properties: { piece: 'ring', metal: 'rose-gold', gemstones: [{ kind: 'diamond', cut: 'princess' }], style: 'vintage' } } },
    responses: { 200: { description: 'The designs', schema: generateResponse } },
  });

export const generateSketchRoute = generateRoute('2d');
export const generateRenderRoute = generateRoute('3d');

async function design(render: '2d' | '3d', body: z.output<typeof generateRequest>, studio: UserStudio, idempotencyKey: string | undefined) {
  const { properties, ...rest } = body;
  const result = await studio.features.run('jewelry-design', { ...properties, ...rest, render }, { timeoutMs: designWaitMs, ...(idempotencyKey ? { idempotencyKey } : {}) });
  return { status: 200 as const, body: { success: true as const, images: await generatedImages(studio, result.images) } };
}

/** `POST /api/v1/generate/2d` and `/3d`: a design from its properties, without a conversation. */
export const generateRoutes = [
  definePluginRoute(generateSketchRoute, ({ body, idempotencyKey }, studio) => design('2d', body, studio, idempotencyKey)),
  definePluginRoute(generateRenderRoute, ({ body, idempotencyKey }, studio) => design('3d', body, studio, idempotencyKey)),
];
