import { DarkroomError } from '@darkroom/core';
import { findFeature } from './find-feature.js';
import { withStudio, type ConnectionOptions } from './open-studio.js';
import { parseFeatureOptions } from './parse-feature-options.js';
import { parseStudioImage } from './parse-studio-image.js';
import { firstRequiredImageField, isImageList } from './to-studio-feature.js';
import { checkOutputPath, formatOfFile, saveImages } from './save-images.js';
import { showProgress } from './show-progress.js';

export interface RunFeatureOptions extends ConnectionOptions {
  feature: string;
  /** The words after the feature: the image (or, for features without one, the prompt) and `--field value` options. */
  words: string[];
  /** Where to write the (first) image; default `<asset id>.<ext>` in the working directory. */
  output?: string;
  /** Print the result as JSON (the API's `FeatureResult`) instead of a summary. */
  json?: boolean;
}

/**
 * `darkroom run <feature> <image-or-prompt> [--field value …] [-o out.png]`: runs a feature with a
 * progress bar on standard error, writes its images, and prints where they went (or the result as
 * JSON). The first free word is the image of the feature's first required image field (`image`, or
 * a plugin's `reference`), else the prompt; every image field also takes `--<field> <file|url|asset-id>`.
 * `-o out.jpg` asks a feature that takes `format` for that format unless `--format` is given.
 * Ctrl-C cancels the job.
 */
export async function runFeatureCommand(options: RunFeatureOptions): Promise<void> {
  await withStudio(options, { runsJobs: true }, async (studio) => {
    const feature = findFeature(await studio.features(), options.feature);
    const { input, positionals } = parseFeatureOptions(feature, options.words);
    const properties = feature.input_schema.properties ?? {};
    const free = [...positionals];
    const imageField = firstRequiredImageField(feature);
    if (imageField && input[imageField] === undefined && free.length > 0) {
      const image = parseStudioImage(free.shift()!, imageField);
      input[imageField] = isImageList(feature, imageField) ? [image] : image;
    }
    if ('prompt' in properties && input.prompt === undefined && free.length > 0) input.prompt = free.splice(0).join(' ');
    if (free.length > 0) {
      throw new DarkroomError({ code: 'invalid_input', message: `Unexpected ${free.map((word) => JSON.stringify(word)).join(' ')}: ${feature.id} takes ${imageField ? `one image (${imageField})` : 'prompt' in properties ? 'a prompt' : 'no free words'}, then --options (darkroom features ${feature.id} lists them)` });
    }
    if (options.output) await checkOutputPath(options.output);
    const format = options.output ? formatOfFile(options.output) : undefined;
    if (format && 'format' in properties && input.format === undefined) input.format = format;

    const progress = await showProgress(feature.id);
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    let result;
    try {
      result = await studio.run(feature.id, input, { onProgress: progress.update, signal: controller.signal });
      progress.update({ progress: 100, step: 'done' });
    } catch (error) {
      // Interrupted (Ctrl-C): the job is cancelled; exit as a shell expects of SIGINT.
      throw controller.signal.aborted ? Object.assign(error as Error, { exitCode: 130 }) : error;
    } finally {
      progress.done();
      process.removeListener('SIGINT', interrupt);
    }
    const paths = await saveImages(studio, result.images, options.output ? { output: options.output } : {});
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...result, files: paths }, null, 2)}\n`);
      return;
    }
    for (const [index, image] of result.images.entries()) {
      process.stdout.write(`${paths[index]}  ${image.width}×${image.height} ${image.mime_type}  gallery ${image.gallery_id}  ${studio.assetUrl(image.url)}\n`);
    }
    process.stderr.write(`${feature.id} on ${result.provider} (${result.model})${result.seed !== undefined ? `, seed ${result.seed}` : ''}: job ${result.job_id}\n`);
  });
}
