// The plugin's own tests, against the installed tarballs: the engine's provider contract (with a
// request for the plugin's own capability) and the feature run by a real engine.
import sharp from 'sharp';
import { createEngine } from '@darkroom/core';
import { describeProviderContract } from '@darkroom/core/testing';
import { expect, it } from 'vitest';
import plugin, { dotsProvider } from './index.js';

describeProviderContract('dots', async () => ({ provider: dotsProvider }), {
  requests: { halftone: (image) => ({ image, dotSize: 4 }) },
  check: { halftone: (result) => expect(result.metadata).toEqual({ dotSize: 4 }) },
});

it('runs in an engine as a feature with its own capability', async () => {
  const engine = await createEngine({ plugins: [plugin] });
  try {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 90, b: 30 } } }).png().toBuffer();
    const result = await engine.run('halftone', { image: { base64: png.toString('base64'), mime_type: 'image/png' }, dotSize: 8 }, { userId: 'u1' });
    expect(result).toMatchObject({ provider: 'dots', model: 'dots-threshold', images: [{ width: 64, height: 48 }] });
  } finally {
    await engine.close();
  }
});
