import { chosenProvider, defineFeature, imageInput, providerChoice, toFeatureOutput, z } from '@darkroom/plugin-api';
import { buildJewelryPrompt } from './build-jewelry-prompt.js';
import { extractJewelryProperties, propertyStrip } from './extract-jewelry-properties.js';
import { checkKarat, jewelryProperties, type JewelryProperties } from './jewelry-properties.js';
import { reviseJewelryDesign } from './revise-jewelry-design.js';

/** Width and height of every design, in pixels (square, as jewellery is shown). */
export const designSize = 1024;

/** What `jewelry-design` takes: the properties, the user's own words, how many variations and an optional reference picture. */
export const jewelryDesignInput = jewelryProperties
  .extend({
    prompt: z.string().trim().max(1000).optional().describe('More about the design in the user\'s words (motifs, shapes, mood); added to the prompt built from the properties'),
    variations: z.number().int().min(1).max(4).default(1).describe('How many designs to draw, 1 to 4 (each with its own seed)'),
    seed: z.number().int().min(0).max(2_147_483_647).optional().describe('Seed of the first variation: the same seed and properties draw the same design'),
    reference: imageInput.optional().describe('A photo or sketch to start the design from (image-to-image)'),
    ...providerChoice,
  })
  .superRefine(checkKarat);

/** The properties part of an input, as recorded with each image: no words, seed, reference or provider choice. */
export function propertiesOf(input: z.output<typeof jewelryDesignInput>): JewelryProperties {
  const { prompt: _prompt, variations: _variations, seed: _seed, reference: _reference, provider: _provider, model: _model, ...properties } = input;
  return properties;
}

/**
 * Seed 004's `generate_jewelry_design`: a ring, necklace, pendant, earrings… in a metal and finish,
 * with stones, style and engraving, drawn as a design sketch (`2d`) or a product render (`3d`) by
 * whichever text-to-image provider is configured (image-to-image from `reference` when one is
 * given). Each image's gallery metadata holds `jewelry` (the properties) and `design_prompt`.
 * In chat the properties come from a language model (the feature is one of its tools) or, offline,
 * from the words in English or Vietnamese; follow-ups change the last design (`chat.revises`).
 */
export const jewelryDesignFeature = defineFeature({
  id: 'jewelry-design',
  description: 'Design a piece of jewellery (ring, necklace, pendant, earrings, bracelet…) from its properties: metal, stones, style, engraving; as a sketch (2d) or a product render (3d)',
  capability: 'text-to-image',
  intents: {
    name: 'jewelry_design',
    keywords: [
      'jewelry', 'jewellery', 'jewelry design', 'ring', 'rings', 'engagement ring', 'engagement rings', 'wedding band', 'wedding bands', 'necklace', 'necklaces',
      'pendant', 'pendants', 'earrings', 'earring', 'bracelet', 'bracelets', 'bangle', 'bangles', 'brooch', 'brooches', 'anklet', 'anklets', 'cufflinks', 'tiara', 'tiaras',
      '3d render', 'product render', '2d sketch', 'design sketch', 'rose gold', 'white gold', 'yellow gold', 'platinum', 'sterling silver',
      'diamond', 'sapphire', 'ruby', 'emerald', 'pearl', 'amethyst', 'gemstone', 'ring design', 'necklace design', 'earring design', 'pendant design', 'bracelet design',
      'trang sức', 'nhẫn', 'nhẫn cưới', 'nhẫn cầu hôn', 'dây chuyền', 'vòng cổ', 'mặt dây chuyền', 'bông tai', 'hoa tai', 'khuyên tai',
      'vòng tay', 'lắc tay', 'lắc chân', 'trâm cài', 'vàng hồng', 'vàng trắng', 'bạch kim', 'kim cương', 'ngọc trai', 'hồng ngọc', 'ngọc lục bảo', 'đá quý', 'mẫu nhẫn', 'mẫu dây chuyền', 'mẫu bông tai',
    ],
    examples: ['design a rose gold engagement ring with a princess-cut diamond', 'make it white gold', 'thiết kế nhẫn vàng hồng đính kim cương', 'đổi sang vàng trắng'],
    extract: extractJewelryProperties,
    strip: propertyStrip,
  },
  chat: { promptField: 'prompt', countField: 'variations', revises: reviseJewelryDesign },
  input: jewelryDesignInput,
  async run(input, context) {
    const properties = propertiesOf(input);
    const prompt = buildJewelryPrompt(properties, input.prompt);
    const chosen = chosenProvider(input);
    const metadata = { jewelry: properties, design_prompt: prompt };
    if (input.reference) {
      const reference = await context.images.load(input.reference);
      const drawn = [];
      for (let index = 0; index < input.variations; index += 1) {
        drawn.push(await context.call('image-to-image', { image: reference, prompt, strength: 0.7, ...(input.seed !== undefined ? { seed: input.seed + index } : {}) }, chosen));
        context.progress(((index + 1) / input.variations) * 100);
      }
      return { ...toFeatureOutput(drawn[0]!, metadata), images: drawn.flatMap((result) => result.images), prompt };
    }
    const result = await context.call('text-to-image', { prompt, width: designSize, height: designSize, count: input.variations, ...(input.seed !== undefined ? { seed: input.seed } : {}) }, chosen);
    return { ...toFeatureOutput(result, metadata), prompt };
  },
});
