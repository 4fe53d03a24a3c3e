import type { ImageData, ImageOutputOptions, ImageResultSpec } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { decodeRaw, encodeRaw } from './raw-image.js';
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
  const result = await runImageModel(image, model, { ...options, decoded, keepAlpha: true });
  const encoded = await encodeRaw(result, image, options);
  return { images: [encoded], metadata: { method: 'onnx', model: model.path, tile: model.tile ?? 256, ...options.metadata } };
}
