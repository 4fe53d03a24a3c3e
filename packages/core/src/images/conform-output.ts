import { errors, type ImageOutputOptions, type ImageResultSpec, type OutputFormat } from '@darkroom/plugin-api';
import { encodeImage, outputMimeTypes } from './encode-image.js';
import { loadSharp } from './load-sharp.js';

/**
 * Makes a provider's images match the format a request asked for. Providers that write the asked
 * format (the local one) pass through untouched; any other image (a cloud provider answering PNG to
 * a JPEG request, say) is converted once: upright, sRGB, and, for JPEG, flattened on `background`
 * (white by default) so transparency never turns black. 16-bit PNG stays 16-bit.
 *
 * @throws DarkroomError `provider_error` when a provider's image cannot be decoded.
 */
export async function conformOutput<R extends ImageResultSpec>(result: R, output: ImageOutputOptions): Promise<R> {
  const { format } = output;
  if (!format || result.images.every((image) => image.mimeType === outputMimeTypes[format])) return result;
  const images = await Promise.all(
    result.images.map(async (image) => {
      if (image.mimeType === outputMimeTypes[format]) return image;
      try {
        const sharp = await loadSharp();
        const source = sharp(image.bytes, { autoOrient: true });
        const { depth } = await source.metadata();
        return await encodeImage(source, format, { deep: depth === 'ushort', ...(output.background ? { background: output.background } : {}) });
      } catch (cause) {
        throw errors.providerError(`The provider's ${image.mimeType} image could not be converted to ${format}`, { reason: cause instanceof Error ? cause.message : String(cause) });
      }
    }),
  );
  return { ...result, images, metadata: { ...result.metadata, converted_to: format } };
}
