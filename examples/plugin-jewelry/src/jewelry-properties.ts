import { z } from '@darkroom/plugin-api';

/** The pieces a design can be. */
export const jewelryPieces = ['ring', 'engagement-ring', 'wedding-band', 'necklace', 'pendant', 'earrings', 'bracelet', 'bangle', 'brooch', 'anklet', 'cufflinks', 'tiara'] as const;
/** Metals, gold by colour. */
export const metals = ['yellow-gold', 'white-gold', 'rose-gold', 'platinum', 'silver', 'titanium'] as const;
/** Gold purities in karats (parts of 24). */
export const karats = [10, 14, 18, 22, 24] as const;
/** Surface finishes of the metal. */
export const finishes = ['polished', 'matte', 'brushed', 'hammered'] as const;
/** Gemstones by kind. */
export const gemstoneKinds = ['diamond', 'sapphire', 'ruby', 'emerald', 'pearl', 'amethyst', 'topaz', 'opal', 'aquamarine', 'garnet', 'jade', 'citrine', 'moissanite', 'tanzanite'] as const;
/** Gemstone cuts (the shape the stone is cut to; `cabochon` is polished round without facets). */
export const gemstoneCuts = ['round', 'princess', 'oval', 'cushion', 'emerald', 'pear', 'marquise', 'heart', 'asscher', 'radiant', 'baguette', 'cabochon'] as const;
/** Design styles. */
export const jewelryStyles = ['classic', 'vintage', 'modern', 'minimalist', 'art-deco', 'floral', 'nature', 'geometric', 'bohemian', 'luxury'] as const;
/** How a design is drawn: `2d` a designer's sketch sheet, `3d` a photorealistic product render. */
export const renderTypes = ['2d', '3d'] as const;

/** One kind of stone of a design. */
export const gemstone = z
  .object({
    kind: z.enum(gemstoneKinds).describe('The stone'),
    cut: z.enum(gemstoneCuts).optional().describe('How it is cut; the designer chooses when left out'),
    colour: z.string().trim().min(1).max(30).optional().describe('Its colour when it is not the usual one, e.g. "pink" for a pink diamond'),
    size: z.enum(['small', 'medium', 'large']).optional().describe('Relative size: small accent stones, medium, or a large centre stone'),
    count: z.number().int().min(1).max(200).optional().describe('How many stones of this kind; one when left out for a centre stone'),
  })
  .strict()
  .meta({ title: 'Gemstone' });

/** The jewellery properties a design is made from: what the prompt is built from and what the gallery records. */
export const jewelryProperties = z.object({
  render: z.enum(renderTypes).default('2d').describe('2d: a design sketch sheet; 3d: a photorealistic product render'),
  piece: z.enum(jewelryPieces).describe('What kind of piece: ring, engagement-ring, wedding-band, necklace, pendant, earrings, bracelet, bangle, brooch, anklet, cufflinks or tiara'),
  metal: z.enum(metals).default('yellow-gold').describe('The metal'),
  karat: z
    .union(karats.map((value) => z.literal(value)), { error: `karat must be one of ${karats.join(', ')} (gold purity in 24ths)` })
    .optional()
    .describe('Gold purity in karats (10, 14, 18, 22 or 24); gold only'),
  finish: z.enum(finishes).default('polished').describe('Surface finish of the metal'),
  gemstones: z.array(gemstone).max(6).default([]).describe('The stones, centre stone first; none for a plain metal piece'),
  style: z.enum(jewelryStyles).optional().describe('Design style'),
  engraving: z.string().trim().min(1).max(40).optional().describe('Text engraved on the piece, at most 40 characters'),
});

/** The properties as given (defaults may be left out). */
export type JewelryPropertiesInput = z.input<typeof jewelryProperties>;
/** The properties with defaults filled in. */
export type JewelryProperties = z.output<typeof jewelryProperties>;

/** Whether a metal is a gold, to which a karat applies. */
export function isGold(metal: string): boolean {
  return metal.endsWith('-gold');
}

/** Problems no single field shows: a karat on a metal that is not gold. For zod's `superRefine`. */
export function checkKarat(value: { metal: string; karat?: number | undefined }, context: z.RefinementCtx): void {
  if (value.karat !== undefined && !isGold(value.metal)) {
    context.addIssue({ code: 'custom', path: ['karat'], message: `karat applies to gold; leave it out for ${value.metal}` });
  }
}
