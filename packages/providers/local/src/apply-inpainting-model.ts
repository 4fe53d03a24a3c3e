import type { ModelWorkerContext, WorkerPixels } from './model-worker-context.js';

export interface ApplyInpaintingModelInput extends WorkerPixels {
  /** One byte per pixel, > 0 where to fill. */
  mask: Uint8Array;
  /** The model's path, for error messages. */
  path: string;
  /** The square side the model takes (LaMa and MI-GAN exports: 512). */
  size: number;
  /** value × multiply + add is what the model sees. */
  multiply: number;
  add: number;
}

/**
 * Fills the masked pixels of 8-bit RGB(A) pixels with a learned inpainting model of the LaMa / MI-GAN
 * kind (image `1×3×size×size` and mask `1×1×size×size`, 1 in the hole, in; image `1×3×size×size`
 * out); runs in the model's worker thread (its source is sent there as is, so it uses nothing but its
 * arguments). The model sees a square region around the hole (twice the hole's larger side, at least
 * `size`, within the image) resized to `size`², the hole zeroed as those models are trained; its
 * answer is resized back and written into the hole only, so every other pixel (and the alpha plane)
 * stays as it was. The mask input is the one whose name says `mask`, else the second.
 */
export async function applyInpaintingModel(input: ApplyInpaintingModelInput, context: ModelWorkerContext): Promise<WorkerPixels> {
  const { session, sharp, splitAlpha, joinAlpha, toTensor, toFloat32 } = context;
  const { mask, size, multiply, add } = input;
  const fail = (code: string, message: string) => Object.assign(new Error(message), { code });
  if (session.inputNames.length < 2) throw fail('configuration', `Inpainting model ${input.path} takes ${session.inputNames.length} input; it needs an image and a mask`);
  const maskName = session.inputNames.find((name) => /mask/i.test(name)) ?? session.inputNames[1]!;
  const imageName = session.inputNames.find((name) => name !== maskName)!;
  const outputName = session.outputNames[0]!;
  const { colour, alpha } = splitAlpha(input);
  const { width, height } = colour;
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!mask[y * width + x]) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return input;
  // The region the model sees: square around the hole's centre, shifted (then clipped) into the image.
  const side = Math.max(size, 2 * Math.max(maxX - minX + 1, maxY - minY + 1));
  const regionWidth = Math.min(width, side), regionHeight = Math.min(height, side);
  const left = Math.min(width - regionWidth, Math.max(0, Math.round((minX + maxX + 1 - regionWidth) / 2)));
  const top = Math.min(height - regionHeight, Math.max(0, Math.round((minY + maxY + 1 - regionHeight) / 2)));
  const region = { left, top, width: regionWidth, height: regionHeight };
  const rgb = await sharp(colour.pixels, { raw: { width, height, channels: 3 } }).extract(region).resize(size, size, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  // Any resized pixel the hole touches counts as hole, so the model never sees the object.
  const holes = await sharp(mask, { raw: { width, height, channels: 1 } }).extract(region).resize(size, size, { fit: 'fill', kernel: 'linear' }).extractChannel(0).raw().toBuffer();
  const plane = size * size;
  const image = new Float32Array(3 * plane);
  const hole = new Float32Array(plane);
  for (let index = 0; index < plane; index += 1) {
    const masked = holes[index]! > 0;
    hole[index] = masked ? 1 : 0;
    for (let channel = 0; channel < 3; channel += 1) image[channel * plane + index] = masked ? 0 : rgb[index * 3 + channel]! * multiply + add;
  }
  if (context.cancelled()) throw fail('cancelled', 'The model run was cancelled');
  const result = (await session.run({ [imageName]: toTensor(imageName, { data: image, dims: [1, 3, size, size] }), [maskName]: toTensor(maskName, { data: hole, dims: [1, 1, size, size] }) }, [outputName]))[outputName]!;
  if (result.dims.join('x') !== `1x3x${size}x${size}`) {
    throw fail('configuration', `Inpainting model ${input.path} answered ${result.dims.join('×')}; with size ${size} it should answer 1×3×${size}×${size}`);
  }
  const data = toFloat32(result);
  const answer = new Uint8Array(plane * 3);
  for (let index = 0; index < plane; index += 1) {
    for (let channel = 0; channel < 3; channel += 1) {
      const value = (data[channel * plane + index]! - add) / multiply;
      answer[index * 3 + channel] = value <= 0 ? 0 : value >= 255 ? 255 : Math.trunc(value + 0.5);
    }
  }
  const back = await sharp(answer, { raw: { width: size, height: size, channels: 3 } }).resize(regionWidth, regionHeight, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  const out = Uint8Array.from(colour.pixels);
  for (let y = 0; y < regionHeight; y += 1) {
    for (let x = 0; x < regionWidth; x += 1) {
      const pixel = (y + top) * width + x + left;
      if (!mask[pixel]) continue;
      for (let channel = 0; channel < 3; channel += 1) out[pixel * 3 + channel] = back[(y * regionWidth + x) * 3 + channel]!;
    }
  }
  const output = { pixels: out, width, height, channels: 3 };
  return alpha ? joinAlpha(output, alpha) : output;
}
