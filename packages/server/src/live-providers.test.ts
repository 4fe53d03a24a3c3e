import { describe, expect, it } from 'vitest';
import { memoryCheckpoint } from '@darkroom/core';
import { createGemini } from '@darkroom/provider-gemini';
import { createParasail } from '@darkroom/provider-parasail';
import { createRunware } from '@darkroom/provider-runware';

// Against the real services: only when DARKROOM_LIVE_TESTS=1 and the provider's key are set, never in CI.
const live = (key: string) => process.env.DARKROOM_LIVE_TESTS === '1' && !process.env.CI && Boolean(process.env[key]);
const context = () => ({ signal: AbortSignal.timeout(120_000), model: 'live', checkpoint: memoryCheckpoint() });

describe('live providers', () => {
  it.skipIf(!live('RUNWARE_API_KEY'))('Runware generates an image', async () => {
    const result = await createRunware().handlers['text-to-image']!({ prompt: 'a lighthouse at dusk', width: 512, height: 512 }, context());
    expect(result.images[0]).toMatchObject({ width: 512, height: 512 });
  });

  it.skipIf(!live('GEMINI_API_KEY'))('Gemini routes a two-step request by function calling', async () => {
    const tools = [
      { name: 'generate', description: 'Generate an image', parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] } },
      { name: 'upscale', description: 'Upscale an image', parameters: { type: 'object', properties: { scale: { type: 'integer', enum: [2, 4] } } } },
    ];
    const result = await createGemini().handlers.intent!({ message: 'create a sunset, then upscale it 4x', tools }, context());
    expect(result.calls.map((call) => call.name)).toEqual(['generate', 'upscale']);
  });

  it.skipIf(!live('PARASAIL_API_KEY'))('Parasail refines a prompt', async () => {
    expect((await createParasail().handlers['refine-prompt']!({ prompt: 'a cat' }, context())).refined).toMatch(/cat/i);
  });
});
