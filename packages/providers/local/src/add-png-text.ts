import { crc32 } from 'node:zlib';

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data and the CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/**
 * A PNG with a `tEXt` chunk per entry (keyword → text, printable ASCII: the chunk is Latin-1 but
 * readers such as libvips take it for UTF-8; keywords of 1 to 79 characters) inserted after its header chunk, where readers (exiftool, ImageMagick's `identify`,
 * sharp's `metadata().comments`) find them; the image data is unchanged. sharp cannot write PNG text.
 *
 * @example
 * addPngText(png, { Comment: 'Development placeholder, not AI' });
 */
export function addPngText(png: Uint8Array, entries: Record<string, string>): Uint8Array {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  // Signature, then IHDR: length 13, type, data, CRC.
  const headerEnd = signature.length + 8 + 13 + 4;
  if (!bytes.subarray(0, signature.length).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') throw new TypeError('Not a PNG: no signature and header chunk');
  const texts = Object.entries(entries).map(([keyword, text]) => {
    if (!/^[\x20-\x7e]{1,79}$/.test(keyword) || !/^[\n\x20-\x7e]*$/.test(text)) throw new TypeError(`A PNG tEXt chunk here holds ASCII text under a keyword of 1 to 79 characters: ${keyword}`);
    return chunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]));
  });
  const result = Buffer.concat([bytes.subarray(0, headerEnd), ...texts, bytes.subarray(headerEnd)]);
  return new Uint8Array(result.buffer, result.byteOffset, result.byteLength);
}
