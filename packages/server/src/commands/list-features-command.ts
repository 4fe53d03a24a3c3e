import { findFeature } from './find-feature.js';
import { withStudio, type ConnectionOptions } from './open-studio.js';
import { featureOptionLines } from './parse-feature-options.js';
import { firstRequiredImageField } from './to-studio-feature.js';

/**
 * `darkroom features [feature]`: every registered feature (plugins included) with its options, as
 * `darkroom run` takes them; one feature's alone when named; `json` prints their input JSON schemas.
 */
export async function listFeaturesCommand(options: ConnectionOptions & { feature?: string; json?: boolean }): Promise<void> {
  await withStudio(options, { runsJobs: false }, async (studio) => {
    const all = await studio.features();
    const features = options.feature ? [findFeature(all, options.feature)] : all;
    if (options.json) {
      process.stdout.write(`${JSON.stringify(features, null, 2)}\n`);
      return;
    }
    const text = features.map((feature) => {
      const imageField = firstRequiredImageField(feature);
      const usage = `darkroom run ${feature.id} ${imageField ? `<${imageField}>` : '"<prompt>"'} [options] -o out.png`;
      return [`${feature.id}: ${feature.description}`, `  ${usage}`, ...featureOptionLines(feature).map((line) => `    ${line}`)].join('\n');
    });
    process.stdout.write(`${text.join('\n\n')}\n`);
  });
}
