import { addNoiseAt } from './add-noise-at.js';
import { alphasCumprod } from './alphas-cumprod.js';
import { checkStepIndex } from './check-step-index.js';
import type { DiffusionScheduler } from './diffusion-scheduler.js';
import { arange, linspace, roundHalfEven } from './numpy.js';
import { predictEpsilon, predictX0 } from './predict-x0.js';
import { requireSetting, type SchedulerConfig } from './read-scheduler-config.js';

const f32 = Math.fround;

/**
 * diffusers' DDIMScheduler with eta 0 (Song et al. 2020, "Denoising Diffusion Implicit Models": deterministic,
 * as diffusers' pipelines run it), set for `steps` steps. Class defaults: linear betas 0.0001–0.02, `leading`
 * spacing, clip_sample on (±clip_sample_range, 1), set_alpha_to_one on, epsilon prediction (v_prediction and
 * sample too).
 *
 * Timesteps are integers; each step goes from t to t − T // steps (whatever the spacing, as diffusers does), to
 * the final ᾱ (1, or the first training step's without set_alpha_to_one) past 0. Deterministic: `noise` is never
 * called. No sigmas; init_noise_sigma is 1. Refuses thresholding and rescale_betas_zero_snr.
 *
 * @example
 * const scheduler = createDdimScheduler(readSchedulerConfig(sd21Config), 20); // timesteps 951, 901, …, 1
 */
export function createDdimScheduler(config: SchedulerConfig, steps: number): DiffusionScheduler {
  const kind = 'ddim';
  requireSetting(config, 'thresholding', [false], kind);
  requireSetting(config, 'rescale_betas_zero_snr', [false], kind);
  const alphas = alphasCumprod(config, { beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' });
  const count = alphas.length;
  const finalAlpha = (config.set_alpha_to_one ?? true) ? 1 : alphas[0];
  const timesteps = ddimTimesteps(config.timestep_spacing ?? 'leading', count, steps, config.steps_offset ?? 0);
  const stride = Math.floor(count / steps);
  const prediction = config.prediction_type ?? 'epsilon';
  const clipRange = (config.clip_sample ?? true) ? f32(config.clip_sample_range ?? 1) : undefined;

  return {
    timesteps,
    initNoiseSigma: 1,
    order: 1,
    scaleModelInput: (sample, stepIndex) => {
      checkStepIndex(stepIndex, timesteps);
      return Float32Array.from(sample);
    },
    step(modelOutput, stepIndex, sample) {
      checkStepIndex(stepIndex, timesteps, modelOutput, sample);
      const timestep = timesteps[stepIndex];
      const previous = timestep - stride;
      const alpha = alphas[timestep];
      const previousAlpha = previous >= 0 ? alphas[previous] : finalAlpha;
      const at = { prediction, modelOutput, sample, alpha };
      const denoised = predictX0(at, clipRange);
      const epsilon = predictEpsilon(at);
      // x_prev = √ᾱ_prev · x0 + √(1 − ᾱ_prev) · ε
      const x0Scale = f32(Math.sqrt(previousAlpha));
      const epsilonScale = f32(Math.sqrt(f32(1 - previousAlpha)));
      const prevSample = denoised.map((x0, index) => f32(x0Scale * x0) + f32(epsilonScale * epsilon[index]));
      return { prevSample, denoised };
    },
    addNoise(original, noise, stepIndex) {
      checkStepIndex(stepIndex, timesteps, original, noise);
      return addNoiseAt(alphas[timesteps[stepIndex]], original, noise);
    },
  };
}

// set_timesteps: `linspace` from 0 to T − 1 rounded, `leading` multiples of T // steps plus steps_offset,
// `trailing` counted down from T by T / steps, rounded, minus 1; in run order (descending).
function ddimTimesteps(spacing: 'leading' | 'trailing' | 'linspace', count: number, steps: number, offset: number): number[] {
  switch (spacing) {
    case 'linspace':
      return linspace(0, count - 1, steps).map(roundHalfEven).reverse();
    case 'leading': {
      const ratio = Math.floor(count / steps);
      return Array.from({ length: steps }, (_, index) => index * ratio + offset).reverse();
    }
    case 'trailing':
      return arange(count, 0, -count / steps).map((timestep) => roundHalfEven(timestep) - 1);
  }
}
