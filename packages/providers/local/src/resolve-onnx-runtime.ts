import { createRequire } from 'node:module';

/** The package ONNX models run on: an optional peer dependency, needed only when models are configured. */
export const onnxRuntimePackage = 'onnxruntime-node';

/**
 * The versions of it this package works with: the range of its `peerDependencies` entry. Before
 * 1.25 its native addon loads in one worker thread only: a second worker (a crashed model's
 * replacement, another provider in the process) fails with "Module did not self-register".
 */
export const onnxRuntimeRange = '^1.25.1';

/**
 * The entry file of the ONNX runtime package, resolved from this package, or `undefined` when it is
 * not installed. It only resolves: the native library is loaded by the worker threads that run models.
 */
export function resolveOnnxRuntime(name: string = onnxRuntimePackage): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
