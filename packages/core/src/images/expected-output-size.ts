import { DarkroomError, type Capability, type CapabilityRequest } from '@darkroom/plugin-api';

/**
 * The width and height in pixels of one image a capability call will produce, known from its request
 * before any work: an upscale multiplies, an outpaint adds its borders, text-to-image asks for a size,
 * and the other image capabilities keep their input's size. `undefined` for text-only capabilities.
 */
export function expectedOutputSize<C extends Capability>(capability: C, request: CapabilityRequest<C>): { width: number; height: number } | undefined {
  const anyRequest = request as Record<string, unknown> & Partial<CapabilityRequest<'outpaint'>> & { scale?: number; width?: number; height?: number };
  if (capability === 'text-to-image') return { width: anyRequest.width ?? 0, height: anyRequest.height ?? 0 };
  const image = anyRequest.image;
  if (!image || typeof image !== 'object') return undefined;
  if (capability === 'upscale') return { width: Math.round(image.width * (anyRequest.scale ?? 1)), height: Math.round(image.height * (anyRequest.scale ?? 1)) };
  if (capability === 'outpaint') {
    return { width: image.width + (anyRequest.left ?? 0) + (anyRequest.right ?? 0), height: image.height + (anyRequest.top ?? 0) + (anyRequest.bottom ?? 0) };
  }
  return { width: image.width, height: image.height };
}

/**
 * Refuses a capability call whose result would be larger than `maxOutputPixels`, before any provider
 * is called (so no time or money is spent on an image nobody can store or display).
 *
 * @throws DarkroomError `output_too_large` (413), naming the size, the limit and what to change.
 */
export function assertOutputSize<C extends Capability>(capability: C, request: CapabilityRequest<C>, maxOutputPixels: number): void {
  const size = expectedOutputSize(capability, request);
  if (!size || size.width * size.height <= maxOutputPixels) return;
  const pixels = size.width * size.height;
  throw new DarkroomError({
    code: 'output_too_large',
    message:
      `The result would be ${size.width}×${size.height} = ${pixels.toLocaleString('en-US')} pixels; the output limit is ${maxOutputPixels.toLocaleString('en-US')} pixels ` +
      `(maxOutputPixels, DARKROOM_MAX_OUTPUT_PIXELS). Ask for a smaller scale, size or aspect ratio, or a smaller image.`,
    details: { width: size.width, height: size.height, pixels, maxOutputPixels },
  });
}
