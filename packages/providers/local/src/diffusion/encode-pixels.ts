import type { ModelWorkerContext } from '../model-worker-context.js';

export interface EncodePixelsInput {
  /** 8-bit RGB, interleaved, `width × height × 3`. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** The VAE's latent channels (4 for SD): its encoder answers twice as many when it exports the distribution. */
  latentChannels: number;
}

/**
 * The VAE encoder's half of image-to-image and inpainting, in the encoder's worker thread (its source
 * is sent there as is, so it uses nothing but its arguments): 8-bit RGB in, unscaled latents out
 * (`[1, latentChannels, height / f, width / f]`; the caller multiplies by the scaling factor).
 * Pixels become `x / 127.5 − 1`, planar. Optimum's `vae_encoder/model.onnx` takes `sample` and answers
 * either `latent_parameters` (the distribution: mean then log-variance, 2 × latentChannels; the mean is
 * kept, so encoding is deterministic, as diffusers' `sample_mode="argmax"`) or, in older exports,
 * `latent_sample` (a sample drawn inside the graph).
 */
export async function encodePixels(input: EncodePixelsInput, context: ModelWorkerContext): Promise<{ latents: Float32Array; dims: number[] }> {
  const { session } = context;
  const { width, height, latentChannels } = input;
  const plane = width * height;
  const sample = new Float32Array(plane * 3);
  for (let pixel = 0; pixel < plane; pixel += 1) {
    for (let channel = 0; channel < 3; channel += 1) sample[channel * plane + pixel] = input.pixels[pixel * 3 + channel]! / 127.5 - 1;
  }
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const outputs = await session.run({ [inputName]: context.toTensor(inputName, { data: sample, dims: [1, 3, height, width] }) }, [outputName]);
  const output = outputs[outputName]!;
  const values = context.toFloat32(output);
  const [, channels = 0, latentHeight = 0, latentWidth = 0] = output.dims;
  if (channels !== latentChannels && channels !== 2 * latentChannels) {
    throw new Error(`the VAE encoder answered ${channels} channels; expected ${latentChannels} (a sample) or ${2 * latentChannels} (mean and log-variance)`);
  }
  const latents = values.slice(0, latentChannels * latentHeight * latentWidth);
  return { latents, dims: [1, latentChannels, latentHeight, latentWidth] };
}
