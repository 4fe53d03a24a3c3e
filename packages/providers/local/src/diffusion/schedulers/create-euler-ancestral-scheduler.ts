import { alphasCumprod, trainingSigmas } from './alphas-cumprod.js';
import { checkStepIndex } from './check-step-index.js';
import type { DiffusionScheduler } from './diffusion-scheduler.js';
import { arange, interpolate, linspace, roundHalfEven } from './numpy.js';
import { requireSetting, type SchedulerConfig } from './read-scheduler-config.js';

const f32 = Math.fround;

/**
 * diffusers' EulerAncestralDiscreteScheduler (Karras et al.'s Euler step in σ, with ancestral noise; k-diffusion's
 * `sample_euler_ancestral`), set for `steps` steps. Class defaults: linear betas 0.0001–0.02, `linspace` spacing,
 * epsilon prediction (v_prediction too; diffusers implements no `sample` prediction here).
 *
 * Timesteps are float32 and fractional with `linspace` spacing (999, 946.42…, …): a UNet whose ONNX timestep input
 * is int64 gets them truncated, as diffusers' OnnxStableDiffusionPipeline passes them (np.array([t], int64)).
 * Sigmas are the training sigmas interpolated at the timesteps, then 0. Every step draws one noise number per latent (scaled by σ_up, which is 0 at
 * the last step), as diffusers does.
 *
 * @example
 * const scheduler = createEulerAncestralScheduler(readSchedulerConfig(sdxlTurboConfig), 1); // timesteps [999]
 */
export function createEulerAncestralScheduler(config: SchedulerConfig, steps: number): DiffusionScheduler {
  const kind = 'euler-ancestral';
  requireSetting(config, 'prediction_type', ['epsilon', 'v_prediction'], kind);
  requireSetting(config, 'rescale_betas_zero_snr', [false], kind);
  const training = trainingSigmas(alphasCumprod(config, { beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' }));
  const spacing = config.timestep_spacing ?? 'linspace';
  const timesteps = eulerTimesteps(spacing, training.length, steps, config.steps_offset ?? 0);
  const sigmas = [...timesteps.map((timestep) => f32(interpolate(timestep, training))), 0];
  const largest = Math.max(...sigmas);
  const velocity = config.prediction_type === 'v_prediction';

  return {
    timesteps,
    sigmas,
    initNoiseSigma: spacing === 'leading' ? f32(Math.sqrt(f32(f32(largest * largest) + 1))) : largest,
    order: 1,
    scaleModelInput(sample, stepIndex) {
      checkStepIndex(stepIndex, timesteps);
      const sigma = sigmas[stepIndex];
      const divisor = f32(Math.sqrt(f32(f32(sigma * sigma) + 1)));
      return sample.map((value) => value / divisor);
    },
    step(modelOutput, stepIndex, sample, noise) {
      checkStepIndex(stepIndex, timesteps, modelOutput, sample);
      const sigma = sigmas[stepIndex];
      const next = sigmas[stepIndex + 1];
      const sigmaSquared = f32(sigma * sigma);
      const nextSquared = f32(next * next);
      const sigmaUp = f32(Math.sqrt(f32(f32(nextSquared * f32(sigmaSquared - nextSquared)) / sigmaSquared)));
      const sigmaDown = f32(Math.sqrt(f32(nextSquared - f32(sigmaUp * sigmaUp))));
      const dt = f32(sigmaDown - sigma);
      // v-prediction: x0 = c_out · v + x / (σ² + 1), c_out = −σ / √(σ² + 1)
      const outputScale = f32(-sigma / f32(Math.sqrt(f32(sigmaSquared + 1))));
      const sampleScale = f32(sigmaSquared + 1);
      const denoised = new Float32Array(sample.length);
      const prevSample = new Float32Array(sample.length);
      for (let index = 0; index < sample.length; index++) {
        const x = sample[index];
        const x0 = velocity ? f32(f32(modelOutput[index] * outputScale) + f32(x / sampleScale)) : f32(x - f32(sigma * modelOutput[index]));
        const derivative = f32(f32(x - x0) / sigma);
        denoised[index] = x0;
        prevSample[index] = f32(x + f32(derivative * dt)) + f32(f32(noise()) * sigmaUp);
      }
      return { prevSample, denoised };
    },
    addNoise(original, noise, stepIndex) {
      checkStepIndex(stepIndex, timesteps, original, noise);
      const sigma = sigmas[stepIndex];
      return original.map((value, index) => value + f32(noise[index] * sigma));
    },
  };
}

// set_timesteps: `linspace` from 0 to T − 1 (float32, not rounded), `leading` multiples of T // steps plus
// steps_offset, `trailing` counted down from T by T / steps, rounded, minus 1; all in run order (descending).
function eulerTimesteps(spacing: 'leading' | 'trailing' | 'linspace', count: number, steps: number, offset: number): number[] {
  switch (spacing) {
    case 'linspace':
      return linspace(0, count - 1, steps).map(f32).reverse();
    case 'leading': {
      const ratio = Math.floor(count / steps);
      return Array.from({ length: steps }, (_, index) => f32(roundHalfEven(index * ratio) + offset)).reverse();
    }
    case 'trailing':
      return arange(count, 0, -count / steps).map((timestep) => f32(roundHalfEven(timestep) - 1));
  }
}
