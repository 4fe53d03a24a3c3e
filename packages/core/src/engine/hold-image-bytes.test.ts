import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { imageInput } from '@darkroom/plugin-api';
import { holdImageBytes } from './hold-image-bytes.js';

const schema = z.object({ image: imageInput, mask: imageInput.optional(), scale: z.number().default(2) });

describe('holdImageBytes', () => {
  it('swaps bytes for placeholders a schema accepts, and restores the very same arrays', () => {
    const image = Buffer.from([1, 2, 3]);
    const mask = new Uint8Array([4, 5]);
    const held = holdImageBytes({ image, mask });
    expect(held.count).toBe(2);
    const parsed = schema.parse(held.input);
    expect(parsed.image).toEqual({ asset_id: expect.stringMatching(/^bytes:/) });
    const restored = held.restore(parsed);
    expect(restored.image).toBe(image);
    expect(restored.mask).toBe(mask);
    expect(restored.scale).toBe(2);
  });

  it('leaves an input without bytes as it is, and real asset references alone', () => {
    const input = { image: { asset_id: 'ast_1' }, nested: [{ a: 1 }] };
    const held = holdImageBytes(input);
    expect(held.count).toBe(0);
    expect(held.input).toBe(input);
    expect(held.restore(input)).toBe(input);
    const withBytes = holdImageBytes({ image: new Uint8Array([1]), mask: { asset_id: 'ast_2' } });
    expect(withBytes.restore(withBytes.input)).toEqual({ image: new Uint8Array([1]), mask: { asset_id: 'ast_2' } });
  });

  it('digests bytes by SHA-256 for idempotency, so other bytes make another request', () => {
    const one = holdImageBytes({ image: Buffer.from('abc'), scale: 2 }).digest();
    expect(one).toEqual({ image: { image_bytes_sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' }, scale: 2 });
    expect(holdImageBytes({ image: Buffer.from('abd'), scale: 2 }).digest()).not.toEqual(one);
  });

  it('keeps a key named __proto__ an own property, and finds bytes in arrays', () => {
    const input = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    input.images = [new Uint8Array([9])];
    const held = holdImageBytes(input);
    expect(held.count).toBe(1);
    const placed = held.input as Record<string, unknown>;
    expect(Object.getPrototypeOf(placed)).toBe(Object.prototype);
    expect(Object.keys(placed)).toEqual(['__proto__', 'images']);
  });
});
