import { errors } from '@darkroom/core';

/**
 * The first step of an image-to-image run: diffusers' `get_timesteps` (StableDiffusionImg2ImgPipeline and its
 * SDXL, inpainting and LCM-LoRA relatives): `init_timestep = min(int(steps · strength), steps)`,
 * `t_start = max(steps − init_timestep, 0)`. The run noises the image latents with
 * `addNoise(latents, noise, start)` and steps from `start` to the end, so `steps − start` UNet evaluations;
 * none when strength is so small that int(steps · strength) is 0 (diffusers then refuses to run).
 *
 * (LatentConsistencyModelImg2ImgPipeline instead passes strength to the LCM scheduler's set_timesteps; Darkroom
 * runs LCM models the StableDiffusionImg2ImgPipeline way, as diffusers documents for LCM-LoRA.)
 *
 * @example
 * strengthStart(20, 0.6); // 8: steps 8…19 run, 12 of them
 */
export function strengthStart(steps: number, strength: number): number {
  if (!Number.isInteger(steps) || steps < 1) throw errors.invalidInput(`steps must be a whole number of at least 1; it was ${steps}`, { steps });
  if (!(strength >= 0 && strength <= 1)) throw errors.invalidInput(`strength must be from 0 to 1; it was ${strength}`, { strength });
  const initTimestep = Math.min(Math.floor(steps * strength), steps);
  return Math.max(steps - initTimestep, 0);
}
