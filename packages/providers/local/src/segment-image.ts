import type { ModelWorkerContext, WorkerPixels } from './model-worker-context.js';

export interface SegmentImageInput extends WorkerPixels {
  /** Side of the square the model sees. */
  resolution: number;
  /** A light blur and a steeper curve on the mask (crisp edges, no halos). */
  refineEdges: boolean;
  /** Answer the 8-bit mask (1 channel) instead of the RGBA cut-out. */
  maskOnly: boolean;
}

/**
 * IS-Net-style segmentation, pre- and post-processing included; runs in the model's worker thread
 * (its source is sent there as is, so it uses nothing but its arguments). The colour at
 * `resolution`² (cubic), channels normalised as (v − 128) / 256; the mask out, resized back (cubic),
 * optionally refined, times the input's own alpha (nothing hidden becomes visible), at the input's
 * depth. Answers the RGBA cut-out, or the mask alone (8-bit grey whatever the input's depth).
 */
export async function segmentImage(input: SegmentImageInput, context: ModelWorkerContext): Promise<WorkerPixels> {
  const { session, ort, sharp, splitAlpha, joinAlpha } = context;
  const { width, height, resolution } = input;
  const { colour, alpha: previousAlpha } = splitAlpha(input);
  const small = await sharp(colour.pixels, { raw: { width, height, channels: 3 } })
    .resize(resolution, resolution, { fit: 'fill', kernel: 'cubic' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer();
  const plane = resolution * resolution;
  const tensor = new Float32Array(3 * plane);
  for (let pixel = 0, offset = 0; pixel < plane; pixel += 1, offset += 3) {
    tensor[pixel] = (small[offset]! - 128) / 256;
    tensor[pixel + plane] = (small[offset + 1]! - 128) / 256;
    tensor[pixel + 2 * plane] = (small[offset + 2]! - 128) / 256;
  }
  const maskName = session.outputNames[0]!;
  const outputs = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', tensor, [1, 3, resolution, resolution]) }, [maskName]);
  const prediction = outputs[maskName]!.data as Float32Array;
  const mask = new Uint8Array(plane);
  for (let pixel = 0; pixel < plane; pixel += 1) {
    const value = prediction[pixel]! * 255;
    mask[pixel] = value <= 0 ? 0 : value >= 255 ? 255 : value + 0.5;
  }
  // sharp writes single-band raw input back as sRGB unless told: keep one band throughout.
  let alphaBytes = await sharp(mask, { raw: { width: resolution, height: resolution, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  // Edge refinement: a light blur against stair-steps, then a steeper curve so edges stay crisp and halos fade.
  if (input.refineEdges) {
    alphaBytes = await sharp(alphaBytes, { raw: { width, height, channels: 1 } }).blur(0.6).linear(1.25, -32).extractChannel(0).raw().toBuffer();
  }
  const deep = colour.pixels instanceof Uint16Array;
  const count = width * height;
  let alpha: Uint8Array | Uint16Array = alphaBytes;
  if (deep || previousAlpha) {
    // Model mask (0–255) × the input's own coverage, at the output depth.
    alpha = deep ? new Uint16Array(count) : new Uint8Array(count);
    const scale = deep ? 257 : 1;
    const previousWhite = deep ? 65535 : 255;
    for (let pixel = 0; pixel < count; pixel += 1) {
      const coverage = previousAlpha ? previousAlpha[pixel]! / previousWhite : 1;
      alpha[pixel] = Math.round(alphaBytes[pixel]! * coverage * scale);
    }
  }
  if (input.maskOnly) return { pixels: deep ? Uint8Array.from(alpha, (value) => value >> 8) : alpha, width, height, channels: 1 };
  const cutOut = joinAlpha(colour, alpha);
  return { pixels: cutOut.pixels, width, height, channels: 4 };
}
