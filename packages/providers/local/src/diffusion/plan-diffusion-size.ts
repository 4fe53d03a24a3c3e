/** The size a diffusion model works at for a wanted size, and how its result becomes the wanted size. */
export interface DiffusionSize {
  /** Working size in pixels: multiples of `alignment`. */
  width: number;
  height: number;
  /**
   * `crop`: the working size is the wanted size rounded up to the alignment, and the result is cut to
   * it (centred; no resampling). `resize`: the working size is scaled to the model's resolution and
   * the result resized to the wanted size (Lanczos, covering, centred).
   */
  fit: 'crop' | 'resize';
}

/**
 * The working size for a wanted `width × height`: the wanted size rounded up to multiples of
 * `alignment` (a UNet halves its latents three times, so SD's exports want multiples of 64 pixels),
 * unless its area is far from the model's native resolution (`defaultSize²`: 512² for SD 1.5,
 * 1024² for SDXL) — beyond 1.5× or under ¼ of it — where models repeat subjects or lose detail; then
 * the same aspect ratio at about the native area, resized afterwards.
 *
 * @example
 * planDiffusionSize(768, 512, { defaultSize: 512, alignment: 64 }); // { width: 768, height: 512, fit: 'crop' }
 * planDiffusionSize(1024, 1024, { defaultSize: 512, alignment: 64 }); // { width: 512, height: 512, fit: 'resize' }
 */
export function planDiffusionSize(width: number, height: number, model: { defaultSize: number; alignment: number }): DiffusionSize {
  const { defaultSize, alignment } = model;
  const area = width * height;
  const native = defaultSize * defaultSize;
  if (area <= 1.5 * native && area >= native / 4) {
    return { width: Math.ceil(width / alignment) * alignment, height: Math.ceil(height / alignment) * alignment, fit: 'crop' };
  }
  const scale = Math.sqrt(native / area);
  const round = (value: number) => Math.max(alignment, Math.round((value * scale) / alignment) * alignment);
  return { width: round(width), height: round(height), fit: 'resize' };
}
