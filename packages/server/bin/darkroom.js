#!/usr/bin/env node
// The `darkroom` command. It exists before the package is built, so npm links it at install time
// (a workspace install links bins before `npm run build` writes dist/); it runs the built CLI.
const cli = new URL('../dist/cli.js', import.meta.url);
import(cli.href).catch((error) => {
  // dist/cli.js itself is missing (not a package it imports).
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && error.url === cli.href) {
    process.stderr.write('darkroom: this copy of @darkroom/server is not built (dist/cli.js is missing): run `npm run build` in the repository\n');
    process.exit(1);
  }
  throw error;
});
