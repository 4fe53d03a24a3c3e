import type { ImageData } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { decodeRaw, type RawImage } from './raw-image.js';

/** An image-to-image ONNX model given by configuration: NCHW RGB float in, NCHW RGB float out. */
export interface OnnxImageModel {
  /** A `.onnx` file. */
  path: string;
  /** Output size ÷ input size (2 or 4 for super-resolution, 1 for style or variation models). */
  scale?: number;
  /** Square tile side fed to the model; large images are processed tile by tile. */
  tile?: number;
  /** Pixels shared by neighbouring tiles, blended to hide seams. */
  overlap?: number;
  /** Value range the model expects: [0, 1] (default), [-1, 1] or [0, 255]. */
  range?: 'zero-one' | 'minus-one-one' | 'zero-255';
}

const ranges = { 'zero-one': [1 / 255, 0], 'minus-one-one': [2 / 255, -1], 'zero-255': [1, 0] } as const;

/**
 * Runs an image-to-image model over an image of any size: tiles of `tile`² with `overlap`, each
 * tile's output weighted by a ramp across the overlap so seams blend away. Images smaller than a
 * tile are padded by edge replication and cropped back. The tiling, the tensors and the blending
 * happen in the model's worker (`applyModelTiles`): the event loop only decodes and sends the pixels.
 * With `strength` < 1 (same-size models only) the result is blended with the original; with
 * `keepAlpha` an input's alpha comes back with it (else RGB).
 */
export async function runImageModel(
  image: ImageData,
  model: OnnxImageModel,
  options: {
    sessions: OnnxSessions;
    maxPixels: number;
    signal: AbortSignal;
    /** The image already decoded at 8 bits, when the caller has it (its pixels are handed to the worker). */
    decoded?: RawImage;
    strength?: number;
    keepAlpha?: boolean;
  },
): Promise<RawImage> {
  const tile = model.tile ?? 256;
  const [multiply, add] = ranges[model.range ?? 'zero-one'];
  const decoded = options.decoded ?? (await decodeRaw(image, options.maxPixels, { depth: 8 }));
  const session = await options.sessions.get(model.path, options.signal);
  return session.process(
    'applyModelTiles',
    {
      ...decoded,
      path: model.path,
      scale: model.scale ?? 1,
      tile,
      overlap: Math.min(model.overlap ?? 16, Math.floor(tile / 4)),
      multiply,
      add,
      strength: options.strength ?? 1,
      keepAlpha: options.keepAlpha ?? false,
    },
    options.signal,
  );
}
