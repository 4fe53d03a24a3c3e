import sharp from 'sharp';
import { defineProvider, type Capability } from '@darkroom/plugin-api';
import { afterAll, expect } from 'vitest';
import { inspectImage } from '../images/inspect-image.js';
import { describeProviderContract } from './describe-provider-contract.js';

// A plugin's own capability (declared in its types by augmenting CapabilitySpec): the contract runs
// it with the request the plugin passes, checks its images like any image result, and runs the
// plugin's own check.
const halftone = 'halftone' as Capability;
const checked: string[] = [];

describeProviderContract(
  'a provider with a capability of its own',
  async () => ({
    provider: defineProvider({
      id: 'dots',
      models: [{ id: 'dots-1', capabilities: [halftone, 'upscale'] }],
      handlers: {
        [halftone]: async (request: { image: { bytes: Uint8Array }; dotSize: number }, context: { signal: AbortSignal }) => {
          context.signal.throwIfAborted();
          const bytes = new Uint8Array(await sharp(request.image.bytes).greyscale().threshold(128).png().toBuffer());
          return { images: [await inspectImage(bytes)], metadata: { dotSize: request.dotSize } };
        },
        upscale: async (request: { image: { bytes: Uint8Array }; scale: number }, context: { signal: AbortSignal }) => {
          context.signal.throwIfAborted();
          const image = await inspectImage(request.image.bytes);
          const bytes = new Uint8Array(await sharp(request.image.bytes).resize(image.width * request.scale).png().toBuffer());
          return { images: [await inspectImage(bytes)] };
        },
      } as never,
      health: async () => ({ ok: true }),
    }),
  }),
  {
    requests: { [halftone]: (image: unknown) => ({ image, dotSize: 4 }) } as never,
    check: {
      [halftone]: (result: { metadata?: Record<string, unknown> }) => {
        expect(result.metadata).toEqual({ dotSize: 4 });
        checked.push('halftone');
      },
    } as never,
  },
);

afterAll(() => {
  expect(checked, 'the plugin\'s own check ran').toEqual(['halftone']);
});
