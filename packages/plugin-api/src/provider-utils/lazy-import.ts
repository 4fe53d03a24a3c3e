import { DarkroomError } from '../errors/darkroom-error.js';
import type { ProviderIdentity } from './provider-identity.js';

export interface LazyImportOptions<Module> {
  provider: ProviderIdentity;
  /** The npm package `load` imports, named in the error when it cannot be loaded. */
  packageName: string;
  /** `() => import('the-sdk')`, written in the provider's own module so the package resolves from there. */
  load: () => Promise<Module>;
}

const notFound = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * A provider's SDK imported on first use, once: creating the provider loads nothing, and a process
 * loads only the SDKs of the providers it calls (a cloud SDK can take a few hundred milliseconds to
 * load). A failed import is tried again on the next call.
 *
 * @throws DarkroomError `configuration` (not retryable) from the returned function when the package
 *   (or one it needs) is not installed, naming it and the install command, e.g. `Gemini needs the
 *   package @google/genai, which is not installed (Cannot find package …): npm install @google/genai`.
 * @example
 * const sdk = lazyImport({ provider: parasail, packageName: 'openai', load: () => import('openai') });
 * const client = new (await sdk()).default({ apiKey });
 */
export function lazyImport<Module>(options: LazyImportOptions<Module>): () => Promise<Module> {
  let loading: Promise<Module> | undefined;
  return () => {
    loading ??= options.load().catch((error: unknown) => {
      loading = undefined;
      if (!notFound.has((error as { code?: unknown } | null)?.code as string)) throw error;
      const { provider, packageName } = options;
      throw new DarkroomError({
        code: 'configuration',
        message: `${provider.name} needs the package ${packageName}, which is not installed (${(error as Error).message.split('\n')[0]}): npm install ${packageName}`,
        details: { provider: provider.id, package: packageName },
        cause: error,
      });
    });
    return loading;
  };
}
