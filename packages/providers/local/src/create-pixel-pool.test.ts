import { describe, expect, it } from 'vitest';
import { createPixelPool } from './create-pixel-pool.js';
import { lanczosUpscale } from './lanczos-resample.js';

const gradient = (width: number, height: number, channels: number) =>
  Uint8Array.from({ length: width * height * channels }, (_, index) => (index * 7 + Math.floor(index / (width * channels)) * 13) % 256);

describe('pixel pool', () => {
  it('gives the same pixels as the resampler on the main thread', async () => {
    const pool = createPixelPool({ size: 1 });
    try {
      const pixels = gradient(37, 23, 4);
      const viaWorker = await pool.run('lanczosUpscale', [pixels, 37, 23, 4, 2], new AbortController().signal);
      expect(Buffer.from(viaWorker).equals(Buffer.from(lanczosUpscale(pixels, 37, 23, 4, 2)))).toBe(true);
      expect(pixels.byteLength).toBe(37 * 23 * 4);
    } finally {
      await pool.close();
    }
  });

  it('keeps a flat image flat and preserves its size', () => {
    const flat = new Uint8Array(5 * 4 * 3).fill(77);
    const enlarged = lanczosUpscale(flat, 5, 4, 3, 4);
    expect(enlarged.byteLength).toBe(20 * 16 * 3);
    expect(new Set(enlarged)).toEqual(new Set([77]));
  });

  it('stops a running task when aborted, and keeps serving afterwards', async () => {
    const pool = createPixelPool({ size: 1 });
    try {
      const controller = new AbortController();
      const big = pool.run('lanczosUpscale', [gradient(1500, 1500, 3), 1500, 1500, 3, 4], controller.signal);
      setTimeout(() => controller.abort(new Error('stop')), 20);
      await expect(big).rejects.toThrow('stop');
      const small = await pool.run('lanczosUpscale', [gradient(4, 4, 1), 4, 4, 1, 2], new AbortController().signal);
      expect(small.byteLength).toBe(64);
    } finally {
      await pool.close();
    }
  });
});
