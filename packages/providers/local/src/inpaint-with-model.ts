import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { decodeRaw, encodeRaw } from './raw-image.js';
import { readInpaintMask } from './read-inpaint-mask.js';

/** A learned inpainting model given by configuration (LaMa / MI-GAN kind): image + mask in, image out. */
export interface OnnxInpaintingModel {
  /** A `.onnx` file taking an image `1×3×size×size` and a mask `1×1×size×size` (1 in the hole), answering an image `1×3×size×size`. */
  path: string;
  /** The square side the model takes; a region around the hole is resized to it (default 512). */
  size?: number;
  /** Value range of its images: [0, 1] (default), [-1, 1] or [0, 255]. */
  range?: 'zero-one' | 'minus-one-one' | 'zero-255';
}

/** value × multiply + add is what a model of each range sees. */
export const inpaintingRanges = { 'zero-one': [1 / 255, 0], 'minus-one-one': [2 / 255, -1], 'zero-255': [1, 0] } as const;

/**
 * Object removal with a configured learned inpainting model: the mask (grown by `readInpaintMask`) is
 * filled by the model in its worker (`applyInpaintingModel`: a region around the hole resized to the
 * model's size and back); other pixels stay as they were. Models see 8-bit RGB, so the result is 8-bit.
 *
 * @throws DarkroomError `invalid_input` (400) when the mask covers the whole image; `configuration`
 *   when the model does not answer as configured.
 */
export async function inpaintWithModel(
  request: CapabilityRequest<'inpaint'>,
  model: OnnxInpaintingModel,
  options: { sessions: OnnxSessions; maxPixels: number; signal: AbortSignal },
): Promise<CapabilityResult<'inpaint'>> {
  const { image, mask } = request;
  const { grown, covered } = await readInpaintMask(image, mask, options.maxPixels);
  if (covered === grown.length) throw new DarkroomError({ code: 'invalid_input', message: 'The mask covers the whole image: nothing is left to fill from' });
  const decoded = await decodeRaw(image, options.maxPixels, { depth: 8 });
  const [multiply, add] = inpaintingRanges[model.range ?? 'zero-one'];
  const size = model.size ?? 512;
  const session = await options.sessions.get(model.path, options.signal);
  const filled = await session.process('applyInpaintingModel', { ...decoded, mask: grown, path: model.path, size, multiply, add }, options.signal);
  const result = await encodeRaw(filled, image, request);
  return { images: [result], metadata: { method: 'onnx inpainting', model: model.path, size, masked_pixels: covered } };
}
