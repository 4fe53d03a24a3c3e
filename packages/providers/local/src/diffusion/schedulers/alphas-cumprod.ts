import type { SchedulerConfig } from './read-scheduler-config.js';

const f32 = Math.fround;

/** The beta settings a diffusers class falls back on when the config leaves them out. */
export interface BetaDefaults {
  beta_start: number;
  beta_end: number;
  beta_schedule: 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';
}

/**
 * diffusers' `alphas_cumprod`: ᾱ_t = ∏_{s≤t} (1 − β_s) for each training timestep t (1000 for SD), float32 as
 * torch holds it: betas in float32, each 1 − β rounded to float32, the product accumulated in float64 (torch's
 * CPU cumprod) and each entry rounded to float32. The length is num_train_timesteps.
 *
 * Betas: `trained_betas` if given, else `linear` (torch.linspace(beta_start, beta_end, T)), `scaled_linear`
 * (linspace of the square roots, squared: SD's), or `squaredcos_cap_v2` (Nichol & Dhariwal's cosine schedule,
 * diffusers' betas_for_alpha_bar, capped at 0.999).
 *
 * @example
 * alphasCumprod({ beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 }, defaults)[999]; // ≈ 0.00466
 */
export function alphasCumprod(config: SchedulerConfig, defaults: BetaDefaults): Float32Array {
  const betas = trainingBetas(config, defaults);
  const products = new Float32Array(betas.length);
  let product = 1;
  for (let index = 0; index < betas.length; index++) {
    product *= f32(1 - betas[index]);
    products[index] = product;
  }
  return products;
}

/**
 * The training schedule's k-diffusion sigmas, σ_t = √((1 − ᾱ_t) / ᾱ_t), float32 op by op as diffusers computes
 * them; ascending with t.
 */
export function trainingSigmas(alphasCumprod: Float32Array): Float32Array {
  return alphasCumprod.map((alpha) => Math.sqrt(f32(f32(1 - alpha) / alpha)));
}

function trainingBetas(config: SchedulerConfig, defaults: BetaDefaults): Float32Array {
  if (config.trained_betas) return Float32Array.from(config.trained_betas);
  const count = config.num_train_timesteps ?? 1000;
  const start = config.beta_start ?? defaults.beta_start;
  const end = config.beta_end ?? defaults.beta_end;
  switch (config.beta_schedule ?? defaults.beta_schedule) {
    case 'linear':
      return float32Linspace(start, end, count);
    case 'scaled_linear':
      return float32Linspace(Math.sqrt(start), Math.sqrt(end), count).map((root) => root * root);
    case 'squaredcos_cap_v2':
      return cosineBetas(count);
  }
}

// torch.linspace(start, end, count, dtype=float32): a float32 step; the first half counted up from start, the
// second half down from end, each value rounded once.
function float32Linspace(start: number, end: number, count: number): Float32Array {
  const from = f32(start);
  const to = f32(end);
  if (count === 1) return Float32Array.of(from);
  const step = f32((to - from) / (count - 1));
  const half = Math.floor(count / 2);
  return Float32Array.from({ length: count }, (_, index) => (index < half ? from + step * index : to - step * (count - 1 - index)));
}

// diffusers' betas_for_alpha_bar with the cosine ᾱ(t) = cos²((t + 0.008) / 1.008 · π/2), in float64, then float32.
function cosineBetas(count: number): Float32Array {
  const alphaBar = (t: number) => {
    const cosine = Math.cos((((t + 0.008) / 1.008) * Math.PI) / 2);
    return cosine * cosine;
  };
  return Float32Array.from({ length: count }, (_, index) => Math.min(1 - alphaBar((index + 1) / count) / alphaBar(index / count), 0.999));
}
