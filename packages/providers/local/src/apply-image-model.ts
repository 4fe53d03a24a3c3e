import sharp from 'sharp';
import type { ImageData, ImageResultSpec, OutputFormat } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { encodeRaw } from './raw-image.js';
import { runImageModel, type OnnxImageModel } from './run-image-model.js';

/**
 * Runs a configured image-to-image model and encodes its result; with `strength` < 1 (same-size
 * models only) the result is blended with the original.
 */
export async function applyImageModel(
  image: ImageData,
  model: OnnxImageModel,
  options: { sessions: OnnxSessions; maxPixels: number; signal: AbortSignal; strength?: number; format?: OutputFormat; metadata?: Record<string, unknown> },
): Promise<ImageResultSpec> {
  const output = await runImageModel(image, model, options);
  const strength = options.strength ?? 1;
  if (strength < 1 && output.width === image.width && output.height === image.height) {
    const original = await sharp(image.bytes).toColourspace('srgb').removeAlpha().raw().toBuffer();
    for (let index = 0; index < output.pixels.length; index += 1) {
      output.pixels[index] = Math.round(original[index]! * (1 - strength) + output.pixels[index]! * strength);
    }
  }
  const result = await encodeRaw(output, image, options.format);
  return { images: [result], metadata: { method: 'onnx', model: model.path, tile: model.tile ?? 256, ...options.metadata } };
}
