import sharp from 'sharp';
import { DarkroomError, type ImageData } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { decodeRaw, type RawImage } from './raw-image.js';
import { toImageError } from './sharp-error.js';

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

function tileStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const starts: number[] = [];
  for (let start = 0; start + tile < size; start += tile - overlap) starts.push(start);
  starts.push(size - tile);
  return starts;
}

/**
 * Runs an image-to-image model over an image of any size: tiles of `tile`² with `overlap`, each
 * tile's output weighted by a ramp across the overlap so seams blend away. Images smaller than a
 * tile are padded by edge replication and cropped back.
 */
export async function runImageModel(
  image: ImageData,
  model: OnnxImageModel,
  options: { sessions: OnnxSessions; maxPixels: number; signal: AbortSignal; /** The image already decoded at 8 bits, when the caller has it. */ decoded?: RawImage },
): Promise<RawImage> {
  const scale = model.scale ?? 1;
  const tile = model.tile ?? 256;
  const overlap = Math.min(model.overlap ?? 16, Math.floor(tile / 4));
  const [multiply, add] = ranges[model.range ?? 'zero-one'];
  const decoded = options.decoded ?? (await decodeRaw(image, options.maxPixels, { depth: 8 }));
  let source = decoded;
  if (decoded.width < tile || decoded.height < tile || decoded.channels !== 3) {
    try {
      const padded = await sharp(decoded.pixels, { raw: { width: decoded.width, height: decoded.height, channels: decoded.channels as 1 | 2 | 3 | 4 } })
        .removeAlpha()
        .extend({ right: Math.max(0, tile - decoded.width), bottom: Math.max(0, tile - decoded.height), extendWith: 'copy' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      source = { pixels: new Uint8Array(padded.data), width: padded.info.width, height: padded.info.height, channels: padded.info.channels };
    } catch (error) {
      throw toImageError(error);
    }
  }
  const { width, height, pixels } = source;
  const outWidth = width * scale;
  const outHeight = height * scale;
  const sum = new Float32Array(outWidth * outHeight * 3);
  const weight = new Float32Array(outWidth * outHeight);
  const session = await options.sessions.get(model.path, options.signal);
  const xs = tileStarts(width, tile, overlap);
  const ys = tileStarts(height, tile, overlap);
  const plane = tile * tile;
  for (const top of ys) {
    for (const left of xs) {
      options.signal.throwIfAborted();
      const input = new Float32Array(3 * plane);
      for (let y = 0; y < tile; y += 1) {
        for (let x = 0; x < tile; x += 1) {
          const from = ((top + y) * width + left + x) * 3;
          const to = y * tile + x;
          input[to] = pixels[from]! * multiply + add;
          input[to + plane] = pixels[from + 1]! * multiply + add;
          input[to + 2 * plane] = pixels[from + 2]! * multiply + add;
        }
      }
      const outputName = session.outputNames[0]!;
      const result = (await session.run({ [session.inputNames[0]!]: { data: input, dims: [1, 3, tile, tile] } }, [outputName], options.signal))[outputName]!;
      const outTile = tile * scale;
      if (result.dims.join('x') !== `1x3x${outTile}x${outTile}`) {
        throw new DarkroomError({ code: 'configuration', message: `Model ${model.path} answered ${result.dims.join('×')} for a ${tile}² tile; with scale ${scale} it should answer 1×3×${outTile}×${outTile}` });
      }
      const ramp = overlap * scale;
      const outPlane = outTile * outTile;
      for (let y = 0; y < outTile; y += 1) {
        // Ramps only on sides that touch another tile; full weight at the image's own borders.
        const wy = Math.min(top > 0 ? (y + 1) / (ramp + 1) : 1, top + tile < height ? (outTile - y) / (ramp + 1) : 1, 1);
        for (let x = 0; x < outTile; x += 1) {
          const wx = Math.min(left > 0 ? (x + 1) / (ramp + 1) : 1, left + tile < width ? (outTile - x) / (ramp + 1) : 1, 1);
          const w = wx * wy;
          const target = (top * scale + y) * outWidth + left * scale + x;
          const from = y * outTile + x;
          weight[target]! += w;
          sum[target * 3]! += result.data[from]! * w;
          sum[target * 3 + 1]! += result.data[from + outPlane]! * w;
          sum[target * 3 + 2]! += result.data[from + 2 * outPlane]! * w;
        }
      }
    }
  }
  const cropWidth = decoded.width * scale;
  const cropHeight = decoded.height * scale;
  const out = new Uint8Array(cropWidth * cropHeight * 3);
  for (let y = 0; y < cropHeight; y += 1) {
    for (let x = 0; x < cropWidth; x += 1) {
      const target = y * outWidth + x;
      for (let channel = 0; channel < 3; channel += 1) {
        const value = (sum[target * 3 + channel]! / weight[target]! - add) / multiply;
        out[(y * cropWidth + x) * 3 + channel] = value <= 0 ? 0 : value >= 255 ? 255 : value + 0.5;
      }
    }
  }
  return { pixels: out, width: cropWidth, height: cropHeight, channels: 3 };
}
