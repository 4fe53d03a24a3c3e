/** What `local-operations.ts` exports: the image operations and sharp. */
export type LocalOperations = typeof import('./local-operations.js');

let loading: Promise<LocalOperations> | undefined;

/**
 * The local provider's image operations and sharp under them, imported on first use (sharp and
 * libvips take ~200 ms to load) and shared by every local provider in the process. A failed import
 * is tried again on the next call.
 */
export function loadLocalOperations(): Promise<LocalOperations> {
  loading ??= import('./local-operations.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
