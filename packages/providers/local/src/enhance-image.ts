import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import { decodeRaw, encodeRaw, transformColour } from './raw-image.js';

/** The largest odd window ≤ `wanted` that fits in the image (a rank filter's window cannot exceed it); 1 = none. */
export function fittingWindow(wanted: number, width: number, height: number): number {
  const side = Math.min(wanted, width, height);
  return side % 2 === 1 ? side : side - 1;
}

/**
 * Classic enhancement of the colour channels (alpha untouched, bit depth kept): median denoise,
 * auto-levels (1st–99th percentile stretch), unsharp-mask sharpening. Images smaller than the median
 * window get the largest window that fits (none for 1- and 2-pixel sides).
 */
export async function enhanceImage(request: CapabilityRequest<'enhance'>, options: { maxPixels: number }): Promise<CapabilityResult<'enhance'>> {
  const denoise = request.denoise ?? 0;
  const sharpen = request.sharpen ?? 0;
  const raw = await decodeRaw(request.image, options.maxPixels);
  const window = denoise > 0 ? fittingWindow(denoise >= 0.66 ? 5 : 3, raw.width, raw.height) : 1;
  const enhanced = await transformColour(raw, (rgb) => {
    let pipeline = rgb;
    if (window >= 3) pipeline = pipeline.median(window);
    if (request.autoLevels) pipeline = pipeline.normalise({ lower: 1, upper: 99 });
    if (sharpen > 0) pipeline = pipeline.sharpen({ sigma: 0.6 + sharpen * 1.4, m1: 0.5, m2: 1 + sharpen * 2 });
    return pipeline;
  });
  const image = await encodeRaw(enhanced, request.image, request);
  return { images: [image], metadata: { denoise, sharpen, auto_levels: Boolean(request.autoLevels), median_window: window >= 3 ? window : 0 } };
}
