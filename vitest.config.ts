import { defineConfig } from 'vitest/config';

// Tests run against TypeScript source: workspace packages resolve through their "source" export condition.
export default defineConfig({
  resolve: { conditions: ['darkroom-source'] },
  ssr: { resolve: { conditions: ['darkroom-source'], externalConditions: ['darkroom-source'] } },
  test: {
    include: ['packages/**/src/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Slow end-to-end suites (real processes killed mid-step, fuzzing over sockets, cancelling real
    // model runs through the server) run with `npm run test:e2e` (vitest.e2e.config.ts).
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.e2e.test.ts', 'scripts/consumer/*/**'],
    globalSetup: ['./scripts/check-fixtures.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
    pool: 'forks',
    // Two test files at once on the two-core machines this runs on (vitest's default leaves one core idle):
    // most files wait on PostgreSQL, Redis, child processes or sockets rather than compute.
    maxWorkers: 2,
    // Test files in one worker share loaded modules (vitest's default loads every module again for each
    // file: 90 of the 200 s `npm test` took were imports). Files must not leave global state behind.
    isolate: false,
  },
});
