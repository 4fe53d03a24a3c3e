const f32 = Math.fround;

/** What the UNet predicts (diffusers' `prediction_type`). */
export type PredictionType = 'epsilon' | 'v_prediction' | 'sample';

/** The model output and the sample at a training timestep with cumulative alpha product ᾱ. */
export interface PredictionAt {
  prediction: PredictionType;
  modelOutput: Float32Array;
  sample: Float32Array;
  /** ᾱ_t, float32. */
  alpha: number;
}

/**
 * The clean sample x0 a prediction implies at ᾱ (DDIM's and LCM's `pred_original_sample`), clamped to ±clipRange
 * when given: ε → (x − √(1 − ᾱ) · ε) / √ᾱ; v → √ᾱ · x − √(1 − ᾱ) · v; sample → itself. Float32 op by op.
 *
 * @example
 * predictX0({ prediction: 'v_prediction', modelOutput, sample, alpha: alphas[timestep] }, 1);
 */
export function predictX0({ prediction, modelOutput, sample, alpha }: PredictionAt, clipRange?: number): Float32Array {
  const { signal, noise } = scales(alpha);
  const x0 =
    prediction === 'sample'
      ? Float32Array.from(modelOutput)
      : prediction === 'v_prediction'
        ? sample.map((x, index) => f32(signal * x) - f32(noise * modelOutput[index]))
        : sample.map((x, index) => f32(x - f32(noise * modelOutput[index])) / signal);
  return clipRange === undefined ? x0 : x0.map((value) => Math.min(Math.max(value, -clipRange), clipRange));
}

/**
 * The noise ε a prediction implies at ᾱ (DDIM's `pred_epsilon`, from the unclamped x0): ε → itself;
 * v → √ᾱ · v + √(1 − ᾱ) · x; sample → (x − √ᾱ · x0) / √(1 − ᾱ).
 */
export function predictEpsilon({ prediction, modelOutput, sample, alpha }: PredictionAt): Float32Array {
  const { signal, noise } = scales(alpha);
  if (prediction === 'epsilon') return Float32Array.from(modelOutput);
  if (prediction === 'v_prediction') return modelOutput.map((v, index) => f32(signal * v) + f32(noise * sample[index]));
  return sample.map((x, index) => f32(x - f32(signal * modelOutput[index])) / noise);
}

function scales(alpha: number): { signal: number; noise: number } {
  return { signal: f32(Math.sqrt(alpha)), noise: f32(Math.sqrt(f32(1 - alpha))) };
}
