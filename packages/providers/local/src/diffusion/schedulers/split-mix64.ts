/**
 * Vigna's SplitMix64 (the generator Blackman and Vigna recommend for seeding xoshiro): each call adds the golden
 * gamma 0x9E3779B97F4A7C15 to a 64-bit counter and mixes it. Returns unsigned 64-bit bigints.
 *
 * @example
 * const next = splitMix64(1234567n);
 * next(); // 6457827717110365317n (Rosetta Code's "Pseudo-random numbers/Splitmix64" test values)
 */
export function splitMix64(seed: bigint): () => bigint {
  let state = BigInt.asUintN(64, seed);
  return function next() {
    state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
    let mixed = BigInt.asUintN(64, (state ^ (state >> 30n)) * 0xbf58476d1ce4e5b9n);
    mixed = BigInt.asUintN(64, (mixed ^ (mixed >> 27n)) * 0x94d049bb133111ebn);
    return mixed ^ (mixed >> 31n);
  };
}
