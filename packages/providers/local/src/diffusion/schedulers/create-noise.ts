import { errors } from '@darkroom/core';
import { splitMix64 } from './split-mix64.js';
import { xoshiro128StarStar } from './xoshiro128-star-star.js';

/**
 * A deterministic standard-normal generator for a seed (an integer from 0 to 2^53 − 1): xoshiro128** seeded by
 * SplitMix64 (the seed's first two outputs, low 32 bits first, make the four state words), 53-bit uniforms
 * from pairs of outputs ((a >>> 5) · 2^26 + (b >>> 6)) / 2^53, and the Box–Muller transform
 * √(−2 ln(1 − u₁)) · (cos, sin)(2π u₂), cosine then sine. Integer steps are exact everywhere and the transform
 * uses only Math.log, Math.sqrt, Math.cos and Math.sin, so one seed gives the same numbers on every machine
 * running one JavaScript engine (V8's fdlibm-derived functions do not vary by platform).
 *
 * It does not reproduce torch's generator: a seed gives other latents than in diffusers.
 *
 * @example
 * const noise = createNoise(42);
 * const latents = Float32Array.from({ length: 4 * 64 * 64 }, () => noise() * scheduler.initNoiseSigma);
 */
export function createNoise(seed: number): () => number {
  if (!Number.isSafeInteger(seed) || seed < 0) throw errors.invalidInput(`seed must be a whole number from 0 to 2^53 − 1; it was ${seed}`, { seed });
  const seeding = splitMix64(BigInt(seed));
  const words = [seeding(), seeding()].flatMap((value) => [Number(value & 0xffffffffn), Number(value >> 32n)]);
  const next = xoshiro128StarStar(words);
  const uniform = () => ((next() >>> 5) * 67_108_864 + (next() >>> 6)) / 9_007_199_254_740_992;
  let spare: number | undefined;
  return function standardNormal() {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
