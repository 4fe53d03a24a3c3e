import { alphasCumprod, trainingSigmas } from './alphas-cumprod.js';
import { checkStepIndex } from './check-step-index.js';
import type { DiffusionScheduler } from './diffusion-scheduler.js';
import { arange, interpolate, linspace, roundHalfEven } from './numpy.js';
import { requireSetting, type SchedulerConfig } from './read-scheduler-config.js';

const f32 = Math.fround;

/**
 * diffusers' DPMSolverMultistepScheduler as DPM++ 2M (Lu et al. 2022, "DPM-Solver++", the multistep second-order
 * data-prediction solver; k-diffusion's `sample_dpmpp_2m`), set for `steps` steps. Class defaults: linear betas
 * 0.0001–0.02, `linspace` spacing, epsilon prediction (v_prediction and sample too).
 *
 * The first step (and the first after any index that does not follow the previous call's) is first order, each
 * later step second order from the previous step's x0 prediction, the last step first order (diffusers'
 * `final_sigmas_type: zero`, which makes `lower_order_final` and `euler_at_final` change nothing at order 2).
 * Timesteps are integers; sigmas are the training sigmas at them, or with `use_karras_sigmas` Karras et al.'s
 * ρ = 7 ramp between the smallest and largest training sigma (timesteps then found by interpolating log σ),
 * followed by 0. Deterministic: `noise` is never called.
 *
 * Settings diffusers also offers and this refuses (a `configuration` error): algorithm_type other than
 * dpmsolver++ (deis, which diffusers runs as dpmsolver++, is accepted), solver_order 1 or 3, solver_type heun,
 * final_sigmas_type sigma_min, thresholding, rescale_betas_zero_snr, variance_type, and exponential, beta,
 * Lu-lambda or flow sigmas.
 *
 * @example
 * const scheduler = createDpmSolverMultistepScheduler(readSchedulerConfig({ ...sd15Config, use_karras_sigmas: true }), 25);
 */
export function createDpmSolverMultistepScheduler(config: SchedulerConfig, steps: number): DiffusionScheduler {
  const kind = 'dpm-solver-multistep';
  requireSetting(config, 'algorithm_type', ['dpmsolver++', 'deis'], kind);
  requireSetting(config, 'solver_order', [2], kind);
  // diffusers maps UniPC's and DEIS's solver types to midpoint.
  requireSetting(config, 'solver_type', ['midpoint', 'logrho', 'bh1', 'bh2'], kind);
  requireSetting(config, 'final_sigmas_type', ['zero'], kind);
  requireSetting(config, 'variance_type', [null], kind);
  for (const key of ['thresholding', 'rescale_betas_zero_snr', 'use_exponential_sigmas', 'use_beta_sigmas', 'use_lu_lambdas', 'use_flow_sigmas'] as const) {
    requireSetting(config, key, [false], kind);
  }
  const training = trainingSigmas(alphasCumprod(config, { beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' }));
  const schedule = config.use_karras_sigmas
    ? karrasSchedule(training, steps, config.beta_schedule !== 'squaredcos_cap_v2')
    : spacedSchedule(training, steps, config.timestep_spacing ?? 'linspace', config.steps_offset ?? 0);
  const { timesteps } = schedule;
  const sigmas = [...schedule.sigmas, 0];
  const prediction = config.prediction_type ?? 'epsilon';
  let previous: { stepIndex: number; denoised: Float32Array } | undefined;

  // The x0 prediction from the model output (diffusers' convert_model_output for dpmsolver++).
  const predictX0 = (modelOutput: Float32Array, sample: Float32Array, sigma: number): Float32Array => {
    const { alpha, sigmaT } = alphaSigma(sigma);
    if (prediction === 'sample') return Float32Array.from(modelOutput);
    if (prediction === 'v_prediction') return sample.map((x, index) => f32(alpha * x) - f32(sigmaT * modelOutput[index]));
    return sample.map((x, index) => f32(x - f32(sigmaT * modelOutput[index])) / alpha);
  };

  return {
    timesteps,
    sigmas,
    initNoiseSigma: 1,
    order: 1,
    scaleModelInput: (sample, stepIndex) => {
      checkStepIndex(stepIndex, timesteps);
      return Float32Array.from(sample);
    },
    step(modelOutput, stepIndex, sample) {
      checkStepIndex(stepIndex, timesteps, modelOutput, sample);
      const denoised = predictX0(modelOutput, sample, sigmas[stepIndex]);
      const last = stepIndex === timesteps.length - 1;
      const target = alphaSigma(sigmas[stepIndex + 1]);
      const current = alphaSigma(sigmas[stepIndex]);
      const h = f32(lambda(target) - lambda(current));
      const sampleScale = f32(target.sigmaT / current.sigmaT);
      const x0Scale = f32(target.alpha * f32(f32(Math.exp(-h)) - 1));
      let prevSample: Float32Array;
      if (last || previous?.stepIndex !== stepIndex - 1) {
        // first order (DDIM in λ): x_t = (σ_t / σ_s) · x − α_t (e^−h − 1) · x0
        prevSample = sample.map((x, index) => f32(sampleScale * x) - f32(x0Scale * denoised[index]));
      } else {
        // second order (midpoint): D1 = (x0 − x0_prev) / r0, x_t = first order − ½ α_t (e^−h − 1) · D1
        const older = previous.denoised;
        const h0 = f32(lambda(current) - lambda(alphaSigma(sigmas[stepIndex - 1])));
        const differenceScale = f32(1 / f32(h0 / h));
        const halfScale = f32(0.5 * x0Scale);
        prevSample = sample.map((x, index) => {
          const d1 = f32(differenceScale * f32(denoised[index] - older[index]));
          return f32(f32(sampleScale * x) - f32(x0Scale * denoised[index])) - f32(halfScale * d1);
        });
      }
      previous = { stepIndex, denoised };
      return { prevSample, denoised };
    },
    addNoise(original, noise, stepIndex) {
      checkStepIndex(stepIndex, timesteps, original, noise);
      const { alpha, sigmaT } = alphaSigma(sigmas[stepIndex]);
      return original.map((value, index) => f32(alpha * value) + f32(sigmaT * noise[index]));
    },
  };
}

// A k-diffusion σ as the variance-preserving α_t = 1 / √(σ² + 1) and σ_t = σ · α_t.
function alphaSigma(sigma: number): { alpha: number; sigmaT: number } {
  const alpha = f32(1 / f32(Math.sqrt(f32(f32(sigma * sigma) + 1))));
  return { alpha, sigmaT: f32(sigma * alpha) };
}

// λ = log α_t − log σ_t (+∞ at σ = 0).
function lambda({ alpha, sigmaT }: { alpha: number; sigmaT: number }): number {
  return f32(f32(Math.log(alpha)) - f32(Math.log(sigmaT)));
}

// set_timesteps without Karras sigmas: `linspace` and `leading` split the schedule into steps + 1 and drop the
// last point (0); `trailing` counts down from T by T / steps, minus 1. Sigmas: the training sigmas at them.
function spacedSchedule(
  training: Float32Array,
  steps: number,
  spacing: 'leading' | 'trailing' | 'linspace',
  offset: number,
): { timesteps: number[]; sigmas: number[] } {
  const count = training.length;
  let timesteps: number[];
  if (spacing === 'linspace') {
    timesteps = linspace(0, count - 1, steps + 1).map(roundHalfEven).reverse().slice(0, steps);
  } else if (spacing === 'leading') {
    const ratio = Math.floor(count / (steps + 1));
    timesteps = Array.from({ length: steps + 1 }, (_, index) => index * ratio).reverse().slice(0, steps).map((timestep) => timestep + offset);
  } else {
    timesteps = arange(count, 0, -count / steps).map((timestep) => roundHalfEven(timestep) - 1);
  }
  return { timesteps, sigmas: timesteps.map((timestep) => f32(interpolate(timestep, training))) };
}

// Karras et al. 2022 (eq. 5): σ_i = (σ_max^(1/ρ) + i/(n−1) · (σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ with ρ = 7, σ_min and
// σ_max the training schedule's; each timestep the fractional index where log σ falls among the training log
// sigmas (rounded, unless the betas are cosine), truncated to an integer.
function karrasSchedule(training: Float32Array, steps: number, round: boolean): { timesteps: number[]; sigmas: number[] } {
  const rho = 7;
  const minimumRoot = training[0] ** (1 / rho);
  const maximumRoot = training[training.length - 1] ** (1 / rho);
  const sigmas = linspace(0, 1, steps).map((ramp) => (maximumRoot + ramp * (minimumRoot - maximumRoot)) ** rho);
  const logSigmas = training.map(Math.log);
  const timesteps = sigmas.map((sigma) => {
    const timestep = sigmaToTimestep(sigma, logSigmas);
    return Math.trunc(round ? roundHalfEven(timestep) : timestep);
  });
  return { timesteps, sigmas: sigmas.map(f32) };
}

// diffusers' _sigma_to_t as NumPy 1.x runs it: the last training index whose log σ is ≤ log σ (capped one short of
// the end) and the weight between it and the next, in float32 (NumPy 1.x's value-based casting brings the float64
// log σ down to the float32 table's precision; NumPy 2 keeps float64, and where t lands a hair under an integer,
// as cosine betas' first Karras timestep does, truncation then gives one less: 998 for 999).
function sigmaToTimestep(sigma: number, logSigmas: Float32Array): number {
  const logSigma = f32(Math.log(Math.max(sigma, 1e-10)));
  let count = 0;
  let most = 0;
  let low = 0;
  for (let index = 0; index < logSigmas.length; index++) {
    if (logSigma >= logSigmas[index]) count++;
    if (count > most) {
      most = count;
      low = index;
    }
  }
  low = Math.min(low, logSigmas.length - 2);
  const weight = Math.min(Math.max(f32(f32(logSigmas[low] - logSigma) / f32(logSigmas[low] - logSigmas[low + 1])), 0), 1);
  return f32(1 - weight) * low + weight * (low + 1);
}
