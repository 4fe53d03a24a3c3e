import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * vitest global setup: the suites read real photos and once-failing inputs from `../shared/fixtures`
 * beside this repository (as CI lays it out). Without them, stop at once with one clear message
 * instead of dozens of ENOENT failures.
 */
export default function checkFixtures(): void {
  const fixtures = resolve(import.meta.dirname, '../../shared/fixtures');
  const missing = ['images/chelsea.png', 'cases/README.md'].filter((file) => !existsSync(join(fixtures, file)));
  if (missing.length > 0) {
    throw new Error(
      `The tests need the shared test photos at ${fixtures} (missing: ${missing.join(', ')}). ` +
        'Clone this repository next to the project\'s shared/ folder (…/shared and …/<this repo> side by side), as CI does.',
    );
  }
}
