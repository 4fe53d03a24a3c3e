import sharp from 'sharp';
import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import { encode, outputFormatFor } from './upscale-lanczos.js';
import { toImageError } from './sharp-error.js';

/** Classic enhancement: median denoise, unsharp-mask sharpening, auto-levels (1st–99th percentile stretch). */
export async function enhanceImage(request: CapabilityRequest<'enhance'>, options: { maxPixels: number }): Promise<CapabilityResult<'enhance'>> {
  const denoise = request.denoise ?? 0;
  const sharpen = request.sharpen ?? 0;
  try {
    let pipeline = sharp(request.image.bytes, { limitInputPixels: options.maxPixels, failOn: 'truncated' });
    if (denoise > 0) pipeline = pipeline.median(denoise >= 0.66 ? 5 : 3);
    if (request.autoLevels) pipeline = pipeline.normalise({ lower: 1, upper: 99 });
    if (sharpen > 0) pipeline = pipeline.sharpen({ sigma: 0.6 + sharpen * 1.4, m1: 0.5, m2: 1 + sharpen * 2 });
    const { bytes, mimeType } = await encode(pipeline, outputFormatFor(request.image, request.format));
    return { images: [{ bytes, mimeType, width: request.image.width, height: request.image.height }], metadata: { denoise, sharpen, auto_levels: Boolean(request.autoLevels) } };
  } catch (error) {
    throw toImageError(error);
  }
}
