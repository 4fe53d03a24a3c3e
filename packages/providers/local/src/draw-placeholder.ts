import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { encodeImage, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import { addPngText } from './add-png-text.js';
import { placeholderLabelSvg } from './placeholder-label-svg.js';

/** What the placeholder's metadata and its PNG text chunks say. */
export const placeholderNotice = 'DEVELOPMENT PLACEHOLDER - NOT AI. Drawn by Darkroom\'s local provider (model placeholder-not-ai) from the prompt and seed: not an AI-generated image. Configure a real text-to-image provider.';

/** A small deterministic PRNG (mulberry32) seeded from the prompt and seed. */
function random(seedText: string) {
  let state = createHash('sha256').update(seedText).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h)},${Math.round(s)}%,${Math.round(l)}%)`;

/**
 * DEVELOPMENT PLACEHOLDER, NOT AI. Draws an abstract scene (sky gradient, a disc, ridges) whose
 * colours and shapes follow from the prompt and seed, stamped across the middle with a band reading
 * "DEVELOPMENT PLACEHOLDER — NOT AI" and the prompt's first words (see placeholderLabelSvg: a pixel
 * font, no installed fonts), so the same request gives the same bytes on every machine. It exists so
 * the whole engine runs with no model and no key; the image says so, as do its metadata and, in a
 * PNG, its `Comment` and `Description` text chunks (what image viewers and exiftool show).
 */
export async function drawPlaceholder(request: CapabilityRequest<'text-to-image'>): Promise<CapabilityResult<'text-to-image'>> {
  const seed = request.seed ?? Math.floor(Math.random() * 2_147_483_647);
  const count = Math.max(1, request.count ?? 1);
  const { width, height } = request;
  const images = [];
  for (let index = 0; index < count; index += 1) {
    const next = random(`${request.prompt}\u0000${seed + index}`);
    const hue = next() * 360;
    const ridges = Array.from({ length: 3 }, (_, layer) => {
      const base = height * (0.55 + layer * 0.12);
      const points = Array.from({ length: 9 }, (_, step) => `${Math.round((width * step) / 8)},${Math.round(base - next() * height * 0.18)}`);
      return `<polygon points="0,${height} ${points.join(' ')} ${width},${height}" fill="${hsl(hue + 180 + layer * 12, 35, 30 - layer * 8)}" opacity="0.9"/>`;
    }).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(hue, 70, 25)}"/><stop offset="1" stop-color="${hsl(hue + 40, 85, 65)}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#sky)"/>
<circle cx="${Math.round(width * (0.2 + next() * 0.6))}" cy="${Math.round(height * (0.25 + next() * 0.25))}" r="${Math.round(Math.min(width, height) * (0.08 + next() * 0.1))}" fill="${hsl(hue + 20, 95, 75)}"/>
${ridges}${placeholderLabelSvg(width, height, request.prompt)}</svg>`;
    const image = await encodeImage(sharp(Buffer.from(svg)), request.format ?? 'png', request);
    images.push(image.mimeType === 'image/png' ? { ...image, bytes: addPngText(image.bytes, { Comment: placeholderNotice, Description: placeholderNotice }) } : image);
  }
  return {
    images,
    seed,
    metadata: { placeholder: true, notice: placeholderNotice },
  };
}
