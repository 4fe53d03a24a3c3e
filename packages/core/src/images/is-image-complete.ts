import type { ImageMimeType } from '@darkroom/plugin-api';

/** Whether `needle` occurs within the last `window` bytes. */
function endsNear(bytes: Uint8Array, needle: number[], window: number): boolean {
  for (let start = bytes.length - needle.length; start >= Math.max(0, bytes.length - window); start -= 1) {
    if (needle.every((byte, index) => bytes[start + index] === byte)) return true;
  }
  return false;
}

/**
 * A cheap structural check that an encoded image was not cut off: PNG ends with IEND, JPEG with EOI,
 * GIF with its trailer, WebP holds as many bytes as its RIFF header says. Formats without an end marker
 * (AVIF, TIFF) pass; the decoder catches those.
 */
export function isImageComplete(bytes: Uint8Array, mimeType: ImageMimeType): boolean {
  switch (mimeType) {
    case 'image/png':
      return endsNear(bytes, [0x49, 0x45, 0x4e, 0x44], 64);
    case 'image/jpeg':
      return endsNear(bytes, [0xff, 0xd9], 4096);
    case 'image/gif':
      return endsNear(bytes, [0x3b], 64);
    case 'image/webp':
      return bytes.length >= 12 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true) + 8 <= bytes.length;
    default:
      return true;
  }
}
