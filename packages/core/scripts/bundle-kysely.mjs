// Replaces dist/store/kysely-runtime.js (tsc's re-export of `kysely`) by one ES module bundling just
// the values it exports, so that a process loads one file instead of Kysely's ~280 (see
// src/store/kysely-runtime.ts). Run after tsc by the root `npm run build`.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const core = join(import.meta.dirname, '..');
// Kysely's own package.json (its version for the banner), found as Node finds the package from here.
let kyselyDir = dirname(createRequire(join(core, 'package.json')).resolve('kysely'));
while (!existsSync(join(kyselyDir, 'package.json')) || JSON.parse(readFileSync(join(kyselyDir, 'package.json'), 'utf8')).name !== 'kysely') kyselyDir = dirname(kyselyDir);
const kysely = JSON.parse(readFileSync(join(kyselyDir, 'package.json'), 'utf8'));
const source = readFileSync(join(core, 'src/store/kysely-runtime.ts'), 'utf8');
const exported = /export \{([^}]+)\} from 'kysely'/.exec(source)?.[1];
if (!exported) throw new Error('src/store/kysely-runtime.ts has no `export { … } from \'kysely\'` to bundle');
await build({
  stdin: { contents: `export {${exported}} from 'kysely';`, resolveDir: core, loader: 'js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'eof',
  banner: { js: `/*! Kysely ${kysely.version} (MIT License, https://github.com/kysely-org/kysely), bundled: ${exported.trim()} */` },
  outfile: join(core, 'dist/store/kysely-runtime.js'),
  allowOverwrite: true,
  logLevel: 'warning',
});
// tsc's source map described the re-export, not this file.
rmSync(join(core, 'dist/store/kysely-runtime.js.map'), { force: true });
