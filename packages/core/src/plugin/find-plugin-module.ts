import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { moduleResolve } from 'import-meta-resolve';
import { errors } from '@darkroom/plugin-api';
import { errorSummary } from './error-summary.js';
import { processConditions } from './process-conditions.js';

/** A plugin module found on disk: the URL to import, its file, and the place it was found in. */
export interface PluginModule {
  url: string;
  file: string;
  where: string;
}

const isPath = (source: string) => source.startsWith('.') || isAbsolute(source) || source.startsWith('file:');

const kindOfPath = (file: string) => {
  try {
    const stats = statSync(file);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
};

/** `@scope/name` or `name`: the package a specifier (maybe with a subpath) names. */
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Whether `node_modules/<name>` exists in `directory` or a folder above it (where Node looks for a package). */
function packageInstalled(name: string, directory: string): boolean {
  for (let current = directory; ; current = dirname(current)) {
    if (kindOfPath(join(current, 'node_modules', name, 'package.json')) === 'file') return true;
    if (dirname(current) === current) return false;
  }
}

/** A path source (`./x.js`, `/abs/x.js`, `file:` URL; relative ones from the app folder) as the module file it names. */
function findFile(source: string, from: string): PluginModule {
  const url = source.startsWith('file:') ? new URL(source, pathToFileURL(from.endsWith(sep) ? from : `${from}${sep}`)) : pathToFileURL(resolve(from, source));
  const file = fileURLToPath(url);
  const kind = kindOfPath(file);
  if (kind === 'file') return { url: url.href, file, where: file };
  const found = kind === 'missing' ? 'no such file' : kind === 'folder' ? 'a folder, not a module file' : 'not a file';
  throw errors.configuration(`Plugin ${JSON.stringify(source)} could not be loaded (looked in ${file}: ${found}): fix the path (relative paths start from the app folder, ${from})`, {
    plugin: source,
    looked_in: [file],
  });
}

/**
 * Where a plugin source's module is, resolved as an `import` (ESM conditions) would resolve it: a
 * path from the app folder `from`; a package name from `from` (its `node_modules` and those above
 * it), then from beside `@darkroom/core`. The next place is tried only when the package is not
 * installed in one; a package that is installed but does not resolve (its `exports` or `main` name
 * nothing importable) is a `configuration` error naming it, as is a package found nowhere (the
 * error names every place looked in and why).
 */
export function findPluginModule(source: string, from: string, conditions: Set<string> = processConditions()): PluginModule {
  if (source.trim() === '') {
    throw errors.configuration(`A plugin source is an empty string: name a package (darkroom-plugin-x) or a file from the app folder (./plugins/x.js)`, { plugin: source });
  }
  if (isPath(source)) return findFile(source, from);
  const beside = dirname(fileURLToPath(import.meta.url));
  const places = [
    { where: `the app folder (${join(from, 'node_modules')})`, directory: from },
    { where: `beside @darkroom/core (${beside})`, directory: beside },
  ];
  const lookedIn: string[] = [];
  for (const place of places) {
    try {
      const url = moduleResolve(source, pathToFileURL(join(place.directory, 'package.json')), conditions);
      return { url: url.href, file: fileURLToPath(url), where: place.where };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_INVALID_MODULE_SPECIFIER') {
        throw errors.configuration(`Plugin ${JSON.stringify(source)} is neither a package name nor a path (${errorSummary(error)}): write a package name (darkroom-plugin-x) or a path from the app folder (./plugins/x.js)`, { plugin: source });
      }
      if (packageInstalled(packageName(source), place.directory)) {
        throw errors.configuration(`Plugin ${JSON.stringify(source)} is installed in ${place.where} but cannot be imported: ${errorSummary(error)}; fix the plugin's package.json ("exports" or "main" must name a module an import can load) or reinstall it`, {
          plugin: source,
          where: place.where,
          error: errorSummary(error),
        });
      }
      lookedIn.push(`${place.where}: ${errorSummary(error)}`);
    }
  }
  const hint = /\.[cm]?[jt]s$/.test(source) ? ` (a file? write ./${source})` : '';
  throw errors.configuration(`Plugin ${JSON.stringify(source)} is not installed (looked in ${lookedIn.join('; ')}): install it in the app (npm install ${packageName(source)}) or fix the name${hint}`, {
    plugin: source,
    looked_in: lookedIn,
  });
}
