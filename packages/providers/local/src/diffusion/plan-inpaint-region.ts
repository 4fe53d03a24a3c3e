/** A rectangle of an image, in pixels. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The part of an image a diffusion model repaints, and the size it works at. */
export interface InpaintRegion extends Region {
  /** Working size: the region scaled towards the model's native area, multiples of the alignment. */
  workWidth: number;
  workHeight: number;
}

/** The bounding box of a mask's marked (non-zero) pixels, or `undefined` when nothing is marked. */
export function maskBounds(mask: Uint8Array, width: number, height: number): Region | undefined {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!mask[y * width + x]) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return right < 0 ? undefined : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** Grows `[start, start + length)` to `wanted` (centred, kept inside `[0, limit)`). */
function grow(start: number, length: number, wanted: number, limit: number): [number, number] {
  const size = Math.min(limit, Math.max(length, wanted));
  const begin = Math.min(limit - size, Math.max(0, Math.round(start + length / 2 - size / 2)));
  return [begin, size];
}

/**
 * Where to inpaint an image of `width × height` whose mask marks `bounds`: the marked box with half its
 * longer side of context around it (the model sees what surrounds the hole), at least the model's
 * native resolution a side where the image has it, clamped to the image. The working size scales the
 * region to about the native area (`defaultSize²`; at most 4× up), in multiples of `alignment`. A large
 * photo with a small object is inpainted at full detail around the object only; a small image is
 * worked on enlarged, at the resolution the model was trained at.
 *
 * @example
 * planInpaintRegion({ left: 1900, top: 1400, width: 100, height: 80 }, 4000, 3000, { defaultSize: 512, alignment: 64 });
 * // { left: 1694, top: 1184, width: 512, height: 512, workWidth: 512, workHeight: 512 }
 */
export function planInpaintRegion(bounds: Region, width: number, height: number, model: { defaultSize: number; alignment: number }): InpaintRegion {
  const { defaultSize, alignment } = model;
  const margin = Math.round(Math.max(bounds.width, bounds.height) / 2);
  const [left, regionWidth] = grow(bounds.left - margin, bounds.width + 2 * margin, defaultSize, width);
  const [top, regionHeight] = grow(bounds.top - margin, bounds.height + 2 * margin, defaultSize, height);
  const scale = Math.min(4, Math.sqrt((defaultSize * defaultSize) / (regionWidth * regionHeight)));
  const round = (value: number) => Math.max(alignment, Math.round((value * scale) / alignment) * alignment);
  return { left, top, width: regionWidth, height: regionHeight, workWidth: round(regionWidth), workHeight: round(regionHeight) };
}
