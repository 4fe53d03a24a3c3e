import sharp from 'sharp';
import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { decodeRaw, encodeRaw, joinAlpha, rawPipeline, splitAlpha, type Samples } from './raw-image.js';
import { toImageError } from './sharp-error.js';

const resolution = 1024;

/**
 * Background removal with an IS-Net-style segmentation model: the image at 1024×1024, channels
 * normalised as (v − 128) / 256, one mask out, resized back and used as the alpha channel. An input
 * that is already transparent keeps its transparency: the new alpha is the model's mask × the old
 * alpha, so nothing hidden becomes visible. The colour keeps its bit depth. PNG by default; for JPEG
 * (no alpha) the cut-out is flattened on `background` (white unless given).
 */
export async function removeBackground(
  request: CapabilityRequest<'remove-background'>,
  options: { sessions: OnnxSessions; model: string; maxPixels: number; signal: AbortSignal },
): Promise<CapabilityResult<'remove-background'>> {
  const { image } = request;
  // Decode once: the full-size colour serves the cut-out, and is resized (8-bit) for the model.
  const decoded = await decodeRaw(image, options.maxPixels);
  const { width, height } = decoded;
  const { colour, alpha: previousAlpha } = splitAlpha(decoded);
  let input: Buffer;
  try {
    input = await rawPipeline(colour).resize(resolution, resolution, { fit: 'fill', kernel: 'cubic' }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer();
  } catch (error) {
    throw toImageError(error);
  }
  const plane = resolution * resolution;
  const tensor = new Float32Array(3 * plane);
  for (let pixel = 0, offset = 0; pixel < plane; pixel += 1, offset += 3) {
    tensor[pixel] = (input[offset]! - 128) / 256;
    tensor[pixel + plane] = (input[offset + 1]! - 128) / 256;
    tensor[pixel + 2 * plane] = (input[offset + 2]! - 128) / 256;
  }
  const model = await options.sessions.get(options.model, options.signal);
  const maskName = model.outputNames[0]!;
  const outputs = await model.run({ [model.inputNames[0]!]: { data: tensor, dims: [1, 3, resolution, resolution] } }, [maskName], options.signal);
  const prediction = outputs[maskName]!.data;
  const mask = new Uint8Array(plane);
  for (let pixel = 0; pixel < plane; pixel += 1) {
    const value = prediction[pixel]! * 255;
    mask[pixel] = value <= 0 ? 0 : value >= 255 ? 255 : value + 0.5;
  }
  const raw = { raw: { width, height, channels: 1 as const } };
  // sharp writes single-band raw input back as sRGB unless told: keep one band throughout.
  let alphaBytes = await sharp(mask, { raw: { width: resolution, height: resolution, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  // Edge refinement: a light blur against stair-steps, then a steeper curve so edges stay crisp and halos fade.
  if (request.refineEdges !== false) alphaBytes = await sharp(alphaBytes, raw).blur(0.6).linear(1.25, -32).extractChannel(0).raw().toBuffer();
  const deep = colour.pixels instanceof Uint16Array;
  const alpha: Samples = deep ? new Uint16Array(width * height) : new Uint8Array(width * height);
  const previousWhite = deep ? 65535 : 255;
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    // Model mask (0–255) × the input's own coverage, at the output depth.
    const coverage = previousAlpha ? previousAlpha[pixel]! / previousWhite : 1;
    alpha[pixel] = Math.round(alphaBytes[pixel]! * coverage * (deep ? 257 : 1));
  }
  // A mask is 8-bit grey whatever the input's depth.
  const result = request.maskOnly ? { pixels: deep ? Uint8Array.from(alpha, (value) => value >> 8) : alpha, width, height, channels: 1 } : joinAlpha(colour, alpha);
  const encoded = await encodeRaw(result, undefined, request);
  return {
    images: [encoded],
    metadata: { mask_only: Boolean(request.maskOnly), refined_edges: request.refineEdges !== false, resolution, kept_input_alpha: Boolean(previousAlpha) },
  };
}
