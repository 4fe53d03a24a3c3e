import type { ModelWorkerContext } from '../model-worker-context.js';

export interface DecodeLatentsInput {
  /** Latents of one image, `[1, channels, height, width]` row-major, already divided by the VAE's scaling factor. */
  latents: Float32Array;
  /** `[1, channels, latentHeight, latentWidth]`. */
  dims: number[];
}

/**
 * The VAE decoder's half of a diffusion run, in the decoder's worker thread (its source is sent there
 * as is, so it uses nothing but its arguments): latents in, 8-bit RGB out. The decoder (Optimum's
 * `vae_decoder/model.onnx`: `latent_sample` → `sample`, `[1, 3, H, W]` in −1..1) is run, and its
 * output mapped to bytes as diffusers does: `round((x / 2 + 0.5) × 255)`, clamped, interleaved.
 */
export async function decodeLatents(input: DecodeLatentsInput, context: ModelWorkerContext): Promise<{ pixels: Uint8Array; width: number; height: number }> {
  const { session } = context;
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const outputs = await session.run({ [inputName]: context.toTensor(inputName, { data: input.latents, dims: input.dims }) }, [outputName]);
  const output = outputs[outputName]!;
  const values = context.toFloat32(output);
  const [, channels = 3, height = 0, width = 0] = output.dims;
  if (channels !== 3) throw new Error(`the VAE decoder answered ${channels} channels; an RGB decoder answers 3`);
  const plane = width * height;
  const pixels = new Uint8Array(plane * 3);
  for (let pixel = 0; pixel < plane; pixel += 1) {
    for (let channel = 0; channel < 3; channel += 1) {
      const value = (values[channel * plane + pixel]! / 2 + 0.5) * 255;
      pixels[pixel * 3 + channel] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
  }
  return { pixels, width, height };
}
