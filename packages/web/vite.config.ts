import { defineConfig } from 'vite';

// The playground is built once, at build time, to dist/ (served by @darkroom/server at its base path).
// `base: './'`: the page names its files relative to itself; the server writes a <base href> for its base path.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  // Workspace packages (the typed client) are bundled from their TypeScript source.
  resolve: { conditions: ['darkroom-source', 'browser', 'module', 'import', 'default'] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, assetsInlineLimit: 0 },
});
