import sharp from 'sharp';
import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import { encode } from './upscale-lanczos.js';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { toImageError } from './sharp-error.js';

const resolution = 1024;

/**
 * Background removal with an IS-Net-style segmentation model: the image at 1024×1024, channels
 * normalised as (v − 128) / 256, one mask out, resized back and used as the alpha channel.
 */
export async function removeBackground(
  request: CapabilityRequest<'remove-background'>,
  options: { sessions: OnnxSessions; model: string; maxPixels: number; signal: AbortSignal },
): Promise<CapabilityResult<'remove-background'>> {
  const { image } = request;
  const format = request.format ?? 'png';
  if (format === 'jpeg' && !request.maskOnly) {
    throw new DarkroomError({ code: 'invalid_input', message: 'JPEG has no alpha channel: ask for png or webp for a cut-out (jpeg is fine with mask_only)' });
  }
  // Decode once: the full-size RGB serves the cut-out, and is resized for the model.
  let rgb: Buffer;
  let input: Buffer;
  try {
    rgb = await sharp(image.bytes, { limitInputPixels: options.maxPixels, failOn: 'truncated' }).toColourspace('srgb').removeAlpha().raw().toBuffer();
    input = await sharp(rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(resolution, resolution, { fit: 'fill', kernel: 'cubic' })
      .raw()
      .toBuffer();
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
  const model = await options.sessions.get(options.model);
  const maskName = model.outputNames[0]!;
  const outputs = await model.run({ [model.inputNames[0]!]: { data: tensor, dims: [1, 3, resolution, resolution] } }, [maskName], options.signal);
  const prediction = outputs[maskName]!.data;
  const mask = new Uint8Array(plane);
  for (let pixel = 0; pixel < plane; pixel += 1) {
    const value = prediction[pixel]! * 255;
    mask[pixel] = value <= 0 ? 0 : value >= 255 ? 255 : value + 0.5;
  }
  const raw = { raw: { width: image.width, height: image.height, channels: 1 as const } };
  // sharp writes single-band raw input back as sRGB unless told: keep one band throughout.
  let alphaBytes = await sharp(mask, { raw: { width: resolution, height: resolution, channels: 1 } })
    .resize(image.width, image.height, { fit: 'fill', kernel: 'cubic' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  // Edge refinement: a light blur against stair-steps, then a steeper curve so edges stay crisp and halos fade.
  if (request.refineEdges !== false) alphaBytes = await sharp(alphaBytes, raw).blur(0.6).linear(1.25, -32).extractChannel(0).raw().toBuffer();
  const output = request.maskOnly
    ? sharp(alphaBytes, raw)
    : sharp(rgb, { raw: { width: image.width, height: image.height, channels: 3 } }).joinChannel(alphaBytes, raw);
  const { bytes, mimeType } = await encode(output, format);
  return {
    images: [{ bytes, mimeType, width: image.width, height: image.height }],
    metadata: { mask_only: Boolean(request.maskOnly), refined_edges: request.refineEdges !== false, resolution },
  };
}
