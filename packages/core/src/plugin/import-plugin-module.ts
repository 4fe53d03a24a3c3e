import { errors } from '@darkroom/plugin-api';
import { errorSummary } from './error-summary.js';
import type { PluginModule } from './find-plugin-module.js';

const duration = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * Imports a plugin module that was found, within `timeoutMs`. Its failure is a `configuration`
 * error naming the file and what it threw (a syntax error, a missing dependency, an exception at
 * its top level); a module still loading after `timeoutMs` (a top-level await that never settles)
 * is one too. The pending timer keeps the process alive until then, so a command line that loads
 * plugins prints the error instead of exiting with nothing left to do.
 */
export async function importPluginModule(source: string, module: PluginModule, importer: (url: string) => Promise<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          errors.configuration(`Plugin ${JSON.stringify(source)} (${module.file}) did not finish loading within ${duration(timeoutMs)}: a top-level await that never settles? Fix the plugin (loadPlugins' timeoutMs allows longer)`, {
            plugin: source,
            file: module.file,
            timeout_ms: timeoutMs,
          }),
        ),
      timeoutMs,
    );
  });
  const importing = importer(module.url).catch((error: unknown) => {
    throw errors.configuration(`Plugin ${JSON.stringify(source)}: importing ${module.file} threw: ${errorSummary(error)}; fix the plugin or its dependencies`, {
      plugin: source,
      file: module.file,
      error: errorSummary(error),
    });
  });
  try {
    return await Promise.race([importing, late]);
  } finally {
    clearTimeout(timer);
  }
}
