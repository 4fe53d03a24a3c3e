import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:e2e`: the slow end-to-end suites, each file named *.e2e.test.ts, with the settings of vitest.config.ts.
export default defineConfig({
  ...base,
  test: { ...base.test, isolate: true, include: ['packages/**/src/**/*.e2e.test.ts', 'examples/**/*.e2e.test.ts', 'scripts/**/*.e2e.test.ts'], exclude: ['**/node_modules/**', '**/dist/**', 'scripts/consumer/*/**'] },
});
