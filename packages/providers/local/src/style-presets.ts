import sharp, { type Sharp } from 'sharp';
import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import { encode, outputFormatFor } from './upscale-lanczos.js';
import { toImageError } from './sharp-error.js';

type Preset = (image: Sharp, size: { width: number; height: number }) => Promise<Sharp>;

/** Classic looks a person recognises, each a sharp pipeline on the input (RGB out). */
export const stylePresets: Record<string, { description: string; apply: Preset }> = {
  noir: { description: 'High-contrast black and white', apply: async (image) => image.grayscale().linear(1.35, -38).gamma(1.1) },
  sepia: {
    description: 'Warm brown-toned antique print',
    apply: async (image) => image.recomb([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]]),
  },
  'vintage-film': {
    description: 'Faded colours, lifted blacks, warm cast',
    apply: async (image) => image.modulate({ saturation: 0.7 }).linear([0.88, 0.85, 0.78], [28, 24, 30]),
  },
  'cool-cinematic': {
    description: 'Teal shadows and crisp contrast',
    apply: async (image) => image.modulate({ saturation: 0.9 }).linear([0.92, 1.02, 1.12], [-6, 4, 14]).linear(1.12, -12),
  },
  'warm-golden-hour': {
    description: 'Golden, glowing, saturated warmth',
    apply: async (image) => image.modulate({ saturation: 1.18, brightness: 1.04 }).linear([1.12, 1.02, 0.84], [8, 4, -6]),
  },
  'pencil-sketch': {
    description: 'Graphite pencil drawing',
    apply: async (image, size) => {
      const grey = await image.grayscale().raw().toBuffer();
      const raw = { raw: { width: size.width, height: size.height, channels: 1 as const } };
      const inverted = await sharp(grey, raw).negate().blur(Math.max(2, Math.round(Math.min(size.width, size.height) / 120))).raw().toBuffer();
      return sharp(grey, raw).composite([{ input: inverted, raw: raw.raw, blend: 'colour-dodge' }]);
    },
  },
};

export async function transferStyle(request: CapabilityRequest<'style-transfer'>, options: { maxPixels: number }): Promise<CapabilityResult<'style-transfer'>> {
  const preset = stylePresets[request.style];
  if (!preset) throw new DarkroomError({ code: 'invalid_input', message: `Unknown style ${JSON.stringify(request.style)}; presets: ${Object.keys(stylePresets).join(', ')}` });
  const strength = request.strength ?? 1;
  try {
    const source = () => sharp(request.image.bytes, { limitInputPixels: options.maxPixels, failOn: 'truncated' }).toColourspace('srgb').removeAlpha();
    const size = { width: request.image.width, height: request.image.height };
    let styled = await (await preset.apply(source(), size)).toColourspace('srgb').removeAlpha().png().toBuffer();
    if (strength < 1) {
      const overlay = await sharp(styled).ensureAlpha(strength).png().toBuffer();
      styled = await source().composite([{ input: overlay, blend: 'over' }]).png().toBuffer();
    }
    const { bytes, mimeType } = await encode(sharp(styled), outputFormatFor(request.image, request.format));
    return { images: [{ bytes, mimeType, width: size.width, height: size.height }], metadata: { style: request.style, strength, method: 'preset' } };
  } catch (error) {
    throw toImageError(error);
  }
}
