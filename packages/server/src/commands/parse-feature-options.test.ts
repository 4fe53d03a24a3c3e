import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { upscaleFeature } from '@darkroom/plugin-upscale';
import { generateFeature } from '@darkroom/plugin-generate';
import { fixtures } from '../testing/test-server.js';
import { describeOption, featureOptionLines, parseFeatureOptions } from './parse-feature-options.js';
import { toFeatureInfo } from '../routes/feature-routes.js';
import { collageFeature } from '@darkroom/core/testing';
import { firstRequiredImageField, toStudioFeature } from './to-studio-feature.js';

const upscale = toStudioFeature(toFeatureInfo(upscaleFeature, ''));
const collage = toStudioFeature(toFeatureInfo(collageFeature, ''));
const generate = toStudioFeature(toFeatureInfo(generateFeature, ''));
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as Error & { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected a refusal');
};

describe('parseFeatureOptions', () => {
  it('types values from the feature\'s schema: numbers, booleans (flag, --no-, true/false), text, images; free words are positionals', () => {
    expect(parseFeatureOptions(upscale, ['photo.png', '--scale', '4', '--sharpen', '--format=jpeg'])).toEqual({ input: { scale: 4, sharpen: true, format: 'jpeg' }, positionals: ['photo.png'] });
    expect(parseFeatureOptions(upscale, ['--sharpen', 'photo.png']).positionals).toEqual(['photo.png']);
    expect(parseFeatureOptions(upscale, ['--sharpen', 'false']).input).toEqual({ sharpen: false });
    expect(parseFeatureOptions(upscale, ['--no-sharpen']).input).toEqual({ sharpen: false });
    expect(parseFeatureOptions(generate, ['a', 'boat', '--negative-prompt', 'fog', '--num-images', '2', '--seed', '7']).input).toEqual({ negative_prompt: 'fog', num_images: 2, seed: 7 });
    expect(parseFeatureOptions(generate, ['--negative_prompt', 'fog']).input).toEqual({ negative_prompt: 'fog' });
    // A value that is not the field's type is passed as written: the feature's schema says what is wrong.
    expect(parseFeatureOptions(upscale, ['--scale', 'big']).input).toEqual({ scale: 'big' });
    expect(parseFeatureOptions(upscale, ['--image', join(fixtures, 'chelsea.png')]).input).toEqual({ image: { path: join(fixtures, 'chelsea.png') } });
    expect(parseFeatureOptions(upscale, ['--image', 'https://images.test/a.png']).input).toEqual({ image: { url: 'https://images.test/a.png' } });
    expect(parseFeatureOptions(upscale, ['--image', 'ast_0mx3klkxv0000218jryh3wd0fbcr2']).input).toEqual({ image: { asset_id: 'ast_0mx3klkxv0000218jryh3wd0fbcr2' } });
    expect(parseFeatureOptions(upscale, ['--image', 'data:image/png;base64,iVBORw0KGgo=']).input).toEqual({ image: { bytes: new Uint8Array(Buffer.from('iVBORw0KGgo=', 'base64')) } });
  });

  it('takes a file for any image field, and a list field\'s option once per image', () => {
    const [chelsea, coffee] = [join(fixtures, 'chelsea.png'), join(fixtures, 'coffee.png')];
    expect(parseFeatureOptions(collage, ['--reference', chelsea, '--extras', coffee, '--title', 'two', '--extras', 'ast_0mx3klkxv0000218jryh3wd0fbcr2']).input).toEqual({
      reference: { path: chelsea },
      extras: [{ path: coffee }, { asset_id: 'ast_0mx3klkxv0000218jryh3wd0fbcr2' }],
      title: 'two',
    });
    expect(parseFeatureOptions(collage, ['--extras', coffee]).input).toEqual({ extras: [{ path: coffee }] });
    expect(refusal(() => parseFeatureOptions(collage, ['--reference', chelsea, '--reference', coffee])).message).toMatch(/^--reference is given twice/);
    expect(firstRequiredImageField(collage)).toBe('reference');
    expect(featureOptionLines(collage).slice(0, 2)).toEqual([
      expect.stringMatching(/^--reference <file\|url\|asset-id>  \(required\)\n {6}The photo the collage starts from\. An image: a file path/),
      expect.stringMatching(/^--extras <file\|url\|asset-id> \(repeat for more\)\n {6}More photos to lay beside it\. An image: .* \(one or more\)$/),
    ]);
  });

  it('refuses an option the feature does not have, listing its options, and a missing value naming the option', () => {
    const unknown = refusal(() => parseFeatureOptions(upscale, ['--zoom', '2']));
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toBe('upscale has no option --zoom. upscale\'s options: --image, --scale, --sharpen, --format, --background, --provider, --model (darkroom features upscale describes them)');
    expect(unknown.details.options).toEqual(['image', 'scale', 'sharpen', 'format', 'background', 'provider', 'model']);
    expect(refusal(() => parseFeatureOptions(upscale, ['--no-scale'])).message).toMatch(/^upscale has no option --no-scale/);
    expect(refusal(() => parseFeatureOptions(upscale, ['--scale'])).message).toMatch(/^--scale needs a value: --scale <2\|4> \(default 2\)/);
    expect(refusal(() => parseFeatureOptions(upscale, ['--scale', '--sharpen'])).message).toMatch(/^--scale needs a value/);
    expect(refusal(() => parseFeatureOptions(upscale, ['--scale', '2', '--scale', '4'])).message).toMatch(/^--scale is given twice: give it once/);
    expect(refusal(() => parseFeatureOptions(upscale, ['--sharpen', '--no-sharpen'])).message).toMatch(/^--no-sharpen is given twice/);
    expect(refusal(() => parseFeatureOptions(upscale, ['--image', 'nope.png'])).message).toMatch(/^image: names no file \(.*nope\.png\); give a file path, an http\(s\) URL, an asset id/);
  });
});

describe('describeOption and featureOptionLines', () => {
  it('show each option with its values, range, default and whether it is required', () => {
    expect(describeOption('scale', upscale.input_schema.properties!.scale!)).toBe('--scale <2|4> (default 2)');
    expect(describeOption('num_images', generate.input_schema.properties!.num_images!)).toBe('--num-images <number> 1..4 (default 1)');
    expect(featureOptionLines(upscale)[0]).toMatch(/^--image <file\|url\|asset-id>  \(required\)\n {6}An image: a file path/);
    expect(featureOptionLines(generate)[0]).toBe('--prompt <text>  (required)');
  });
});
