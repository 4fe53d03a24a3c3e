import { DarkroomError } from '@darkroom/core';
import type { OnnxModel, TensorData } from '../create-onnx-sessions.js';
import type { PromptConditioning } from './encode-prompt.js';
import { guidanceScaleEmbedding } from './guidance-scale-embedding.js';

/** The UNet inputs this pipeline feeds (Optimum's names for SD 1.x/2.x, SDXL and LCM exports). */
const knownInputs = new Set(['sample', 'timestep', 'encoder_hidden_states', 'text_embeds', 'time_ids', 'timestep_cond']);

/** How a UNet is called for one image: its conditioning, fixed for the whole run. */
export interface NoisePredictor {
  /** The UNet takes the guidance as an input (LCM): no negative batch entry is run. */
  readonly embedsGuidance: boolean;
  /**
   * The guided noise prediction (or whatever the UNet predicts: ε, v, x₀) for `modelInput`
   * (`[1, channels, h, w]`, the scheduler's scaled latents, with an inpainting UNet's mask and
   * masked-image latents appended as channels) at `timestep`: `[1, latentChannels, h, w]`.
   */
  predict(modelInput: Float32Array, channels: number, timestep: number, signal: AbortSignal): Promise<Float32Array>;
}

/** A copy of a tensor: feeds are moved to the worker, so a tensor used at every step is copied each time. */
const copy = (tensor: { data: Float32Array; dims: number[] }): TensorData => ({ data: tensor.data.slice(), dims: [...tensor.dims] });

/**
 * Prepares UNet calls with classifier-free guidance (the batch is `[negative, positive]` and the
 * prediction `negative + guidance × (positive − negative)`) or, for a UNet with `timestep_cond`
 * (LCM), the guidance embedding of `guidance − 1` and a batch of one. SDXL's added conditioning
 * goes in as `text_embeds` and `time_ids` (`[height, width, 0, 0, height, width]`: original size,
 * crop top-left, target size). The timestep is fed in the shape the UNet declares (a scalar, `[1]`
 * or one per batch entry) and converted to its element type in the worker.
 *
 * @throws DarkroomError `configuration` when the UNet takes an input this pipeline does not know.
 */
export function createNoisePredictor(
  unet: OnnxModel,
  options: {
    conditioning: PromptConditioning;
    guidance: number;
    /** The image's size in pixels (SDXL's `time_ids`). */
    width: number;
    height: number;
    /** The latents' size: the pixel size over the VAE's scale factor. */
    latentWidth: number;
    latentHeight: number;
  },
): NoisePredictor {
  const unknown = unet.inputNames.filter((name) => !knownInputs.has(name));
  if (unknown.length > 0) {
    throw new DarkroomError({
      code: 'configuration',
      message: `The UNet takes inputs this pipeline does not feed (${unknown.join(', ')}); it runs Optimum exports of SD 1.x/2.x, SDXL and LCM UNets (inputs ${[...knownInputs].join(', ')})`,
    });
  }
  const { conditioning, guidance } = options;
  const batch = conditioning.batch;
  const timestepShape = unet.inputs.find((input) => input.name === 'timestep')?.shape ?? [batch];
  const embedsGuidance = unet.inputNames.includes('timestep_cond');
  const condShape = unet.inputs.find((input) => input.name === 'timestep_cond')?.shape;
  const condSize = typeof condShape?.[1] === 'number' ? condShape[1] : 256;
  const timestepCond = embedsGuidance ? guidanceScaleEmbedding(guidance - 1, condSize) : undefined;
  const timeIds = Float32Array.from({ length: 6 * batch }, (_, index) => [options.height, options.width, 0, 0, options.height, options.width][index % 6]!);
  const output = unet.outputNames.includes('out_sample') ? 'out_sample' : unet.outputNames[0]!;

  return {
    embedsGuidance,
    async predict(modelInput, channels, timestep, signal) {
      const sample = new Float32Array(modelInput.length * batch);
      for (let entry = 0; entry < batch; entry += 1) sample.set(modelInput, entry * modelInput.length);
      const feeds: Record<string, TensorData> = {
        sample: { data: sample, dims: [batch, channels, options.latentHeight, options.latentWidth] },
        timestep:
          timestepShape.length === 0
            ? { data: Float32Array.of(timestep), dims: [] }
            : timestepShape[0] === 1
              ? { data: Float32Array.of(timestep), dims: [1] }
              : { data: new Float32Array(batch).fill(timestep), dims: [batch] },
        encoder_hidden_states: copy(conditioning.hiddenStates),
      };
      if (unet.inputNames.includes('text_embeds')) {
        if (!conditioning.textEmbeds) throw new DarkroomError({ code: 'configuration', message: 'The UNet takes SDXL text_embeds, but the model folder has no second text encoder' });
        feeds.text_embeds = copy(conditioning.textEmbeds);
      }
      if (unet.inputNames.includes('time_ids')) feeds.time_ids = { data: timeIds.slice(), dims: [batch, 6] };
      if (timestepCond) feeds.timestep_cond = { data: new Float32Array(batch * condSize).map((_, index) => timestepCond[index % condSize]!), dims: [batch, condSize] };
      const prediction = (await unet.run(feeds, [output], signal))[output]!.data;
      if (batch === 1) return prediction;
      const size = prediction.length / 2;
      const guided = new Float32Array(size);
      for (let index = 0; index < size; index += 1) {
        const negative = prediction[index]!;
        guided[index] = negative + guidance * (prediction[size + index]! - negative);
      }
      return guided;
    },
  };
}
