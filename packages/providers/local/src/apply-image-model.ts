import sharp from 'sharp';
import type { ImageData, ImageOutputOptions, ImageResultSpec } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { decodeRaw, encodeRaw, joinAlpha, splitAlpha } from './raw-image.js';
import { runImageModel, type OnnxImageModel } from './run-image-model.js';

/**
 * Runs a configured image-to-image model and encodes its result (8-bit: models see 8-bit RGB). With
 * `strength` < 1 (same-size models only) the result is blended with the original. An input's alpha is
 * kept, resized with the image when the model changes the size.
 */
export async function applyImageModel(
  image: ImageData,
  model: OnnxImageModel,
  options: { sessions: OnnxSessions; maxPixels: number; signal: AbortSignal; strength?: number; metadata?: Record<string, unknown> } & ImageOutputOptions,
): Promise<ImageResultSpec> {
  const decoded = await decodeRaw(image, options.maxPixels, { depth: 8 });
  const output = await runImageModel(image, model, { ...options, decoded });
  const strength = options.strength ?? 1;
  const { colour: original, alpha } = splitAlpha(decoded);
  if (strength < 1 && output.width === image.width && output.height === image.height) {
    for (let index = 0; index < output.pixels.length; index += 1) {
      output.pixels[index] = Math.round(original.pixels[index]! * (1 - strength) + output.pixels[index]! * strength);
    }
  }
  let result = output;
  if (alpha) {
    const sameSize = output.width === original.width && output.height === original.height;
    const resized = sameSize
      ? alpha
      : new Uint8Array(await sharp(alpha, { raw: { width: original.width, height: original.height, channels: 1 } }).resize(output.width, output.height, { kernel: 'lanczos3' }).extractChannel(0).raw().toBuffer());
    result = joinAlpha(output, resized);
  }
  const encoded = await encodeRaw(result, image, options);
  return { images: [encoded], metadata: { method: 'onnx', model: model.path, tile: model.tile ?? 256, ...options.metadata } };
}
