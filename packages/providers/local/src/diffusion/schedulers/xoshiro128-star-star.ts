/**
 * Blackman and Vigna's xoshiro128** 1.1 (https://prng.di.unimi.it/xoshiro128starstar.c): a 128-bit-state
 * generator of unsigned 32-bit integers, four state words as the reference code's `s[0..3]`; the state must
 * not be all zero.
 *
 * @example
 * const next = xoshiro128StarStar([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
 * next(); // 0xf1391922
 */
export function xoshiro128StarStar(seed: readonly number[]): () => number {
  const state = Uint32Array.from(seed);
  if (state.length !== 4 || state.every((word) => word === 0)) throw new RangeError('xoshiro128** takes four 32-bit words, not all zero');
  return function next() {
    const result = Math.imul(rotateLeft(Math.imul(state[1], 5), 7), 9) >>> 0;
    const shifted = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= shifted;
    state[3] = rotateLeft(state[3], 11);
    return result;
  };
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
