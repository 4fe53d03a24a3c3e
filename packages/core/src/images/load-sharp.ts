import type sharpModule from 'sharp';

/** sharp's default export: the function that opens an image. */
export type SharpFunction = typeof sharpModule;

let loading: Promise<SharpFunction> | undefined;

/**
 * sharp (and libvips, its native library), imported on the first image operation rather than when
 * `@darkroom/core` loads: it takes 150–250 ms to load, which a server would otherwise spend before it
 * can answer anything. Loaded once; a failed import is tried again on the next call.
 *
 * @example
 * const sharp = await loadSharp();
 * const { width } = await sharp(bytes).metadata();
 */
export function loadSharp(): Promise<SharpFunction> {
  loading ??= import('sharp').then(
    (module) => module.default,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
