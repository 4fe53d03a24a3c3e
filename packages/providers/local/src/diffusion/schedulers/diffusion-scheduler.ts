// What the diffusion pipeline codes against: one denoising schedule, set for a number of steps.

/**
 * The samplers Darkroom implements, each equal to a Hugging Face diffusers class:
 * - `euler-ancestral`: EulerAncestralDiscreteScheduler (stochastic; the turbo models' sampler).
 * - `dpm-solver-multistep`: DPMSolverMultistepScheduler as DPM++ 2M (algorithm_type dpmsolver++, solver_order 2,
 *   the last step first order), with Karras sigmas when the config sets use_karras_sigmas.
 * - `ddim`: DDIMScheduler with eta 0 (deterministic).
 * - `lcm`: LCMScheduler, for latent consistency models and LCM-LoRA (stochastic between steps).
 */
export type SchedulerKind = 'euler-ancestral' | 'dpm-solver-multistep' | 'ddim' | 'lcm';

/** Every SchedulerKind, in the order error messages list them. */
export const schedulerKinds: readonly SchedulerKind[] = ['euler-ancestral', 'dpm-solver-multistep', 'ddim', 'lcm'];

/**
 * A scheduler set for a number of steps. Latents are flat Float32Arrays (a 1×4×h×w tensor in row-major order);
 * the arithmetic is float32, operation by operation in diffusers' order, so results equal diffusers' on torch
 * to within a float32 rounding or two (the tests hold them to diffusers-schedules.json).
 *
 * A denoising loop, as diffusers' pipelines run it:
 * @example
 * const scheduler = createScheduler(readSchedulerConfig(folder.schedulerConfig), { steps: 20 });
 * const noise = createNoise(seed);
 * let latents = Float32Array.from({ length }, () => noise() * scheduler.initNoiseSigma);
 * for (let index = 0; index < scheduler.timesteps.length; index++) {
 *   const input = scheduler.scaleModelInput(latents, index);
 *   const output = await unet(input, scheduler.timesteps[index]); // guidance applied
 *   latents = scheduler.step(output, index, latents, noise).prevSample;
 * }
 */
export interface DiffusionScheduler {
  /** diffusers' `scheduler.timesteps` after set_timesteps(steps), in run order. */
  readonly timesteps: number[];
  /** k-diffusion sigmas (Euler ancestral, DPM++ with sigmas) incl. the final 0, else undefined. */
  readonly sigmas?: number[];
  /** diffusers' `init_noise_sigma`: the initial latent noise is multiplied by it. */
  readonly initNoiseSigma: number;
  /** How many model evaluations per timestep entry (diffusers' `order` for the loop; 1 for these). */
  readonly order: number;
  /** diffusers' `scale_model_input(sample, timesteps[stepIndex])` (a new array; the input is not changed). */
  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  /**
   * diffusers' `step(model_output, timesteps[stepIndex], sample)`: the previous sample, and `denoised`
   * (the predicted x0) where the scheduler computes it (LCM's pipeline returns `denoised` at the last step).
   * `noise` gives standard-normal numbers for stochastic schedulers (Euler ancestral, LCM between steps).
   */
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: () => number): { prevSample: Float32Array; denoised?: Float32Array };
  /** diffusers' `add_noise(original, noise, timesteps[stepIndex])` for image-to-image and inpainting. */
  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array;
}
