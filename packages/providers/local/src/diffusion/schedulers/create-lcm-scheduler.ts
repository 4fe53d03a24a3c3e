import { errors } from '@darkroom/core';
import { addNoiseAt } from './add-noise-at.js';
import { alphasCumprod } from './alphas-cumprod.js';
import { checkStepIndex } from './check-step-index.js';
import type { DiffusionScheduler } from './diffusion-scheduler.js';
import { linspace } from './numpy.js';
import { predictX0 } from './predict-x0.js';
import { requireSetting, type SchedulerConfig } from './read-scheduler-config.js';

const f32 = Math.fround;

/**
 * diffusers' LCMScheduler (Luo et al. 2023, "Latent Consistency Models": multistep consistency sampling), set for
 * `steps` steps (1 to original_inference_steps; 4–8 is the usual). Class defaults: scaled_linear betas
 * 0.00085–0.012, original_inference_steps 50, timestep_scaling 10, clip_sample off, epsilon prediction
 * (v_prediction and sample too). timestep_spacing, steps_offset and set_alpha_to_one change nothing here (every
 * timestep is at least 0, so the final alpha is never used).
 *
 * Timesteps: the distillation schedule (T // original_inference_steps · i − 1 for i = 1…original_inference_steps,
 * descending) sampled at evenly spaced indices: 999, 759, 499, 259 for 4 of 50. Each step computes
 * `denoised` = c_out · x0 + c_skip · x (the consistency function's boundary-condition scalings at t ·
 * timestep_scaling, σ_data 0.5) and, except at the last step, noises it to the next timestep with one noise
 * number per latent; the last step returns `denoised` as `prevSample`. Refuses thresholding and
 * rescale_betas_zero_snr.
 *
 * @example
 * const scheduler = createLcmScheduler(readSchedulerConfig(lcmConfig), 4);
 */
export function createLcmScheduler(config: SchedulerConfig, steps: number): DiffusionScheduler {
  const kind = 'lcm';
  requireSetting(config, 'thresholding', [false], kind);
  requireSetting(config, 'rescale_betas_zero_snr', [false], kind);
  const alphas = alphasCumprod(config, { beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear' });
  const originalSteps = config.original_inference_steps ?? 50;
  if (originalSteps > alphas.length) {
    throw errors.configuration(
      `scheduler_config.json: original_inference_steps (${originalSteps}) is more than num_train_timesteps (${alphas.length}); it must be at most that`,
      { key: 'original_inference_steps' },
    );
  }
  if (steps > originalSteps) {
    throw errors.invalidInput(`steps must be at most ${originalSteps} for this latent consistency model (its original_inference_steps); 4 to 8 is usual`, {
      steps,
      max: originalSteps,
    });
  }
  const stride = Math.floor(alphas.length / originalSteps);
  const distilled = Array.from({ length: originalSteps }, (_, index) => (originalSteps - index) * stride - 1);
  const timesteps = linspace(0, originalSteps, steps, false).map((position) => distilled[Math.floor(position)]);
  const prediction = config.prediction_type ?? 'epsilon';
  const clipRange = config.clip_sample ? f32(config.clip_sample_range ?? 1) : undefined;
  const scaling = f32(config.timestep_scaling ?? 10);

  return {
    timesteps,
    initNoiseSigma: 1,
    order: 1,
    scaleModelInput: (sample, stepIndex) => {
      checkStepIndex(stepIndex, timesteps);
      return Float32Array.from(sample);
    },
    step(modelOutput, stepIndex, sample, noise) {
      checkStepIndex(stepIndex, timesteps, modelOutput, sample);
      const timestep = timesteps[stepIndex];
      const last = stepIndex === timesteps.length - 1;
      // c_skip = σ_data² / ((t·s)² + σ_data²), c_out = t·s / √((t·s)² + σ_data²)
      const scaled = f32(timestep * scaling);
      const scaledSquared = f32(f32(scaled * scaled) + 0.25);
      const skip = f32(0.25 / scaledSquared);
      const out = f32(scaled / f32(Math.sqrt(scaledSquared)));
      const x0 = predictX0({ prediction, modelOutput, sample, alpha: alphas[timestep] }, clipRange);
      const denoised = x0.map((value, index) => f32(out * value) + f32(skip * sample[index]));
      if (last) return { prevSample: Float32Array.from(denoised), denoised };
      const previousAlpha = alphas[timesteps[stepIndex + 1]];
      const signal = f32(Math.sqrt(previousAlpha));
      const spread = f32(Math.sqrt(f32(1 - previousAlpha)));
      return { prevSample: denoised.map((value) => f32(signal * value) + f32(spread * f32(noise()))), denoised };
    },
    addNoise(original, noise, stepIndex) {
      checkStepIndex(stepIndex, timesteps, original, noise);
      return addNoiseAt(alphas[timesteps[stepIndex]], original, noise);
    },
  };
}
