const f32 = Math.fround;

/**
 * diffusers' `add_noise` for ᾱ-parameterised schedulers (DDIM, LCM): √ᾱ · original + √(1 − ᾱ) · noise, float32
 * op by op; `alpha` is ᾱ at the timestep.
 *
 * @example
 * addNoiseAt(alphas[timesteps[stepIndex]], imageLatents, noise);
 */
export function addNoiseAt(alpha: number, original: Float32Array, noise: Float32Array): Float32Array {
  const originalScale = f32(Math.sqrt(alpha));
  const noiseScale = f32(Math.sqrt(f32(1 - alpha)));
  return original.map((value, index) => f32(originalScale * value) + f32(noiseScale * noise[index]));
}
