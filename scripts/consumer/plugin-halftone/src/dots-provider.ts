import sharp from 'sharp';
import { defineProvider, errors, type ImageData } from '@darkroom/plugin-api';
import './halftone-capability.js';

/** Black-and-white dots: the image shrunk by `dotSize`, thresholded, and blown back up without smoothing. */
async function toHalftone(image: ImageData, dotSize: number, signal: AbortSignal): Promise<ImageData> {
  signal.throwIfAborted();
  const small = await sharp(image.bytes)
    .greyscale()
    .resize(Math.max(1, Math.round(image.width / dotSize)), Math.max(1, Math.round(image.height / dotSize)))
    .threshold(128)
    .toBuffer();
  const bytes = await sharp(small).resize(image.width, image.height, { kernel: 'nearest' }).png().toBuffer();
  signal.throwIfAborted();
  return { bytes: new Uint8Array(bytes), mimeType: 'image/png', width: image.width, height: image.height };
}

export const dotsProvider = defineProvider({
  id: 'dots',
  displayName: 'Dots (halftone on sharp)',
  models: [{ id: 'dots-threshold', capabilities: ['halftone'], description: 'Threshold halftone' }],
  handlers: {
    halftone: async (request, context) => {
      if (request.dotSize < 2) throw errors.invalidInput('dotSize must be at least 2');
      return { images: [await toHalftone(request.image, request.dotSize, context.signal)], metadata: { dotSize: request.dotSize } };
    },
  },
  health: async () => ({ ok: true }),
});
