import { join } from 'node:path';
import sharp from 'sharp';

export const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');

/**
 * The background-removal case of the fixtures README: the horse silhouette (its dark pixels) filled
 * with chelsea.png's pixels, on grass.png. Answers the PNG and the exact foreground mask.
 */
export async function horseOnGrass(): Promise<{ png: Uint8Array; truth: Uint8Array; width: number; height: number }> {
  const horse = await sharp(join(fixtures, 'horse.png')).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = horse.info;
  const truth = new Uint8Array(width * height).map((_, index) => (horse.data[index]! < 128 ? 1 : 0));
  const cat = await sharp(join(fixtures, 'chelsea.png')).resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  const grass = await sharp(join(fixtures, 'grass.png')).resize(width, height, { fit: 'cover' }).toColourspace('srgb').removeAlpha().raw().toBuffer();
  const composite = Buffer.alloc(width * height * 3);
  for (let index = 0; index < width * height; index += 1) {
    for (let channel = 0; channel < 3; channel += 1) composite[index * 3 + channel] = (truth[index] ? cat : grass)[index * 3 + channel]!;
  }
  return { png: new Uint8Array(await sharp(composite, { raw: { width, height, channels: 3 } }).png().toBuffer()), truth, width, height };
}

/** Intersection over union of a mask image (≥ 128 is foreground) and a 0/1 truth. */
export async function maskIoU(maskPng: Uint8Array, truth: Uint8Array): Promise<number> {
  const mask = await sharp(maskPng).extractChannel(0).raw().toBuffer();
  let intersection = 0;
  let union = 0;
  for (let index = 0; index < truth.length; index += 1) {
    const predicted = mask[index]! >= 128;
    const actual = truth[index] === 1;
    if (predicted && actual) intersection += 1;
    if (predicted || actual) union += 1;
  }
  return intersection / union;
}
