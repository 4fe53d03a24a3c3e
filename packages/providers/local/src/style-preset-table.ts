/**
 * The style presets' table: names, descriptions and colour transforms, with no image library, so a
 * provider can list them before sharp loads (see `style-presets.ts` for how they are applied).
 */

/** An affine colour transform: rgb' = matrix × rgb + offset (offsets in 8-bit units). */
export interface ColourTransform {
  matrix: number[];
  offset: number[];
}

/** Rec. 709 luma weights. */
const luma = [0.2126, 0.7152, 0.0722];
const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const multiply = (a: number[], b: number[]) => Array.from({ length: 9 }, (_, index) => {
  const row = Math.floor(index / 3);
  const column = index % 3;
  return a[row * 3]! * b[column]! + a[row * 3 + 1]! * b[3 + column]! + a[row * 3 + 2]! * b[6 + column]!;
});
const diagonal = (values: number[]) => [values[0]!, 0, 0, 0, values[1]!, 0, 0, 0, values[2]!];
/** Saturation around luma: 0 = grey, 1 = unchanged, > 1 more colourful. */
const saturation = (amount: number) => identity.map((value, index) => amount * value + (1 - amount) * luma[index % 3]!);

/** Classic looks a person recognises: colour transforms exact at any bit depth, and a pencil sketch. */
export const stylePresets: Record<string, { description: string; colour?: ColourTransform }> = {
  noir: { description: 'High-contrast black and white', colour: { matrix: multiply(diagonal([1.35, 1.35, 1.35]), saturation(0)), offset: [-38, -38, -38] } },
  sepia: { description: 'Warm brown-toned antique print', colour: { matrix: [0.393, 0.769, 0.189, 0.349, 0.686, 0.168, 0.272, 0.534, 0.131], offset: [0, 0, 0] } },
  'vintage-film': { description: 'Faded colours, lifted blacks, warm cast', colour: { matrix: multiply(diagonal([0.88, 0.85, 0.78]), saturation(0.7)), offset: [28, 24, 30] } },
  'cool-cinematic': {
    description: 'Teal shadows and crisp contrast',
    colour: { matrix: multiply(diagonal([0.92 * 1.12, 1.02 * 1.12, 1.12 * 1.12]), saturation(0.9)), offset: [-6 * 1.12 - 12, 4 * 1.12 - 12, 14 * 1.12 - 12] },
  },
  'warm-golden-hour': { description: 'Golden, glowing, saturated warmth', colour: { matrix: multiply(diagonal([1.12 * 1.04, 1.02 * 1.04, 0.84 * 1.04]), saturation(1.18)), offset: [8, 4, -6] } },
  'pencil-sketch': { description: 'Graphite pencil drawing' },
};
