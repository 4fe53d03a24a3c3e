import { DarkroomError } from '@darkroom/core';
import type { OnnxModel } from '../create-onnx-sessions.js';
import { encodePrompt } from './encode-prompt.js';
import type { LoadedDiffusionPipeline } from './load-diffusion-pipeline.js';
import { createNoisePredictor } from './predict-noise.js';
import { createNoise, createScheduler, readSchedulerConfig, strengthStart, type SchedulerKind } from './schedulers/index.js';

/** One diffusion run: what to make, at which size, from which seeds. */
export interface DiffusionJob {
  prompt: string;
  negativePrompt?: string | undefined;
  /** Size in pixels: multiples of the model's VAE scale factor (the caller aligns them; see `alignment`). */
  width: number;
  height: number;
  /** One image per seed, in order (seed, seed + 1, … for `n` images). */
  seeds: number[];
  /** Denoising steps of the schedule (image-to-image runs the last `strength` share of them). */
  steps: number;
  /** Classifier-free guidance scale; at most 1 runs without a negative batch entry. */
  guidance: number;
  /** The sampler, instead of the one the model's scheduler_config.json names. */
  scheduler?: SchedulerKind | undefined;
  /** The source image for image-to-image and inpainting: 8-bit RGB, interleaved, `width × height × 3`. */
  image?: Uint8Array | undefined;
  /** Image-to-image: the share of the schedule run from the noised image, 0..1 (0 answers the image through the VAE, 1 ignores it). Default 1. */
  strength?: number | undefined;
  /** Inpainting: `width × height`, non-zero where to paint (the engine's convention: white = act here). Needs `image`. */
  mask?: Uint8Array | undefined;
  signal: AbortSignal;
  /** Hears each finished unit of work: denoising steps of every image plus one VAE decode per image. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * Runs a diffusion model on the local provider's ONNX workers: the prompt is encoded once, then for
 * each seed the latents are drawn from the seeded noise and denoised step by step by the model's
 * scheduler (the UNet runs in its worker; the scheduler's arithmetic on the latents, a few hundred
 * kilobytes, runs here between steps), then decoded by the VAE in its worker. Answers one 8-bit RGB
 * image (`width × height × 3`, interleaved) per seed.
 *
 * - Text-to-image: latents = noise × the scheduler's initial sigma.
 * - Image-to-image: the image's latents, noised to the step `strengthStart(steps, strength)` with
 *   `addNoise`, run from there (diffusers' img2img; at strength 1 the image still shows through the
 *   first step's noise, as there).
 * - Inpainting with a 9-channel UNet: the mask (at latent size, a cell masked when any of its pixels
 *   is) and the masked image's latents (masked pixels grey, i.e. 0 in −1..1) go in beside the latents.
 *   With a plain 4-channel UNet: after each step the unmasked latents are replaced by the image's,
 *   noised to the next step (diffusers' legacy inpainting), so only the masked area is generated.
 *   A 9-channel UNet also serves text-to-image and image-to-image, with the whole image masked.
 *
 * Cancellation: the signal is checked between steps; a UNet run under way finishes in its worker
 * (never terminated inside native code) and its result is dropped.
 *
 * @throws DarkroomError `configuration` for a model folder this pipeline cannot run (no VAE encoder
 *   for an image input), `invalid_input` for a size that is not a multiple of the VAE scale factor;
 *   the signal's reason when aborted.
 */
export async function runDiffusion(pipeline: LoadedDiffusionPipeline, job: DiffusionJob): Promise<Uint8Array[]> {
  const { folder, unet, vaeDecoder } = pipeline;
  const { signal, width, height } = job;
  const factor = folder.vaeScaleFactor;
  if (width % factor !== 0 || height % factor !== 0) {
    throw new DarkroomError({ code: 'invalid_input', message: `A diffusion run's size must be a multiple of ${factor} pixels, not ${width}×${height}` });
  }
  if (job.mask && !job.image) throw new DarkroomError({ code: 'invalid_input', message: 'Inpainting needs the image beside its mask' });
  const channels = folder.latentChannels;
  const latentWidth = width / factor;
  const latentHeight = height / factor;
  const plane = latentWidth * latentHeight;
  const size = channels * plane;
  const sampleChannels = folder.inpainting ? 2 * channels + 1 : channels;

  const guided = job.guidance > 1 && !unet.inputNames.includes('timestep_cond');
  const conditioning = await encodePrompt(pipeline, { prompt: job.prompt, negativePrompt: job.negativePrompt, guided }, signal);
  const predictor = createNoisePredictor(unet, { conditioning, guidance: job.guidance, width, height, latentWidth, latentHeight });

  // The image's latents (and an inpainting UNet's mask and masked-image latents), once for every seed.
  let encoder: OnnxModel | undefined;
  const encode = async (pixels: Uint8Array): Promise<Float32Array> => {
    if (!pipeline.vaeEncoder) {
      throw new DarkroomError({
        code: 'configuration',
        message: `The diffusion model ${folder.id} has no VAE encoder (${folder.path}/vae_encoder/model.onnx), so it cannot start from an image; export the model with its VAE encoder`,
      });
    }
    encoder ??= await pipeline.vaeEncoder(signal);
    const { latents } = await encoder.process('encodePixels', { pixels: pixels.slice(), width, height, latentChannels: channels }, signal);
    if (latents.length !== size) throw new DarkroomError({ code: 'configuration', message: `The VAE encoder of ${folder.id} answered ${latents.length} latent values for ${width}×${height}; expected ${size}` });
    return latents.map((value) => value * folder.scalingFactor);
  };
  const imageLatents = job.image ? await encode(job.image) : undefined;
  const latentMask = job.mask ? latentMaskOf(job.mask, width, height, factor) : undefined;
  let inpaintingChannels: Float32Array | undefined;
  if (folder.inpainting) {
    const mask = job.mask ?? new Uint8Array(width * height).fill(255);
    const maskedImage = maskedPixels(job.image ?? new Uint8Array(width * height * 3).fill(128), mask);
    inpaintingChannels = new Float32Array(plane + size);
    inpaintingChannels.set(latentMask ?? new Float32Array(plane).fill(1));
    inpaintingChannels.set(await encode(maskedImage), plane);
  }
  const blend = !folder.inpainting && latentMask && imageLatents ? { mask: latentMask, image: imageLatents } : undefined;

  const strength = imageLatents && !job.mask ? Math.min(1, Math.max(0, job.strength ?? 1)) : 1;
  const schedulerConfig = readSchedulerConfig(folder.schedulerConfig);
  const schedules = job.seeds.map(() => createScheduler(schedulerConfig, { steps: job.steps, ...(job.scheduler ? { kind: job.scheduler } : {}) }));
  const starts = schedules.map(() => (strength < 1 ? strengthStart(job.steps, strength) : 0));
  const total = schedules.reduce((sum, scheduler, index) => sum + Math.max(0, scheduler.timesteps.length - starts[index]!) + 1, 0);
  let done = 0;
  const report = () => job.onProgress?.((done += 1), total);

  const images: Uint8Array[] = [];
  for (const [index, seed] of job.seeds.entries()) {
    const scheduler = schedules[index]!;
    const start = starts[index]!;
    const steps = scheduler.timesteps.length;
    const noise = createNoise(seed);
    const initialNoise = Float32Array.from({ length: size }, () => noise());
    let latents: Float32Array;
    if (start >= steps && imageLatents) latents = imageLatents.slice();
    // Image-to-image noises the image to its first step (at strength 1 too, as diffusers does); inpainting
    // at full strength starts from noise alone (diffusers' `is_strength_max`).
    else if (imageLatents && !job.mask) latents = scheduler.addNoise(imageLatents, initialNoise, start);
    else latents = initialNoise.map((value) => value * scheduler.initNoiseSigma);
    for (let step = start; step < steps; step += 1) {
      signal.throwIfAborted();
      let modelInput = scheduler.scaleModelInput(latents, step);
      if (inpaintingChannels) {
        const joined = new Float32Array(sampleChannels * plane);
        joined.set(modelInput);
        joined.set(inpaintingChannels, size);
        modelInput = joined;
      }
      const prediction = await predictor.predict(modelInput, sampleChannels, scheduler.timesteps[step]!, signal);
      latents = scheduler.step(prediction, step, latents, noise).prevSample;
      if (blend) {
        const known = step < steps - 1 ? scheduler.addNoise(blend.image, initialNoise, step + 1) : blend.image;
        for (let value = 0; value < size; value += 1) {
          const masked = blend.mask[value % plane]!;
          latents[value] = masked * latents[value]! + (1 - masked) * known[value]!;
        }
      }
      report();
    }
    signal.throwIfAborted();
    const decoded = await vaeDecoder.process('decodeLatents', { latents: latents.map((value) => value / folder.scalingFactor), dims: [1, channels, latentHeight, latentWidth] }, signal);
    if (decoded.width !== width || decoded.height !== height) {
      throw new DarkroomError({ code: 'configuration', message: `The VAE decoder of ${folder.id} answered ${decoded.width}×${decoded.height} for ${width}×${height}; its scale factor is not ${factor}` });
    }
    images.push(decoded.pixels);
    report();
  }
  return images;
}

/** The mask at latent size: a cell is 1 when any of its `factor × factor` pixels is marked, else 0. */
export function latentMaskOf(mask: Uint8Array, width: number, height: number, factor: number): Float32Array {
  const latentWidth = width / factor;
  const cells = new Float32Array(latentWidth * (height / factor));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) if (mask[y * width + x]) cells[Math.floor(y / factor) * latentWidth + Math.floor(x / factor)] = 1;
  }
  return cells;
}

/** The image with its masked pixels grey (128, i.e. 0 in −1..1), as an inpainting UNet's masked image. */
function maskedPixels(pixels: Uint8Array, mask: Uint8Array): Uint8Array {
  const result = pixels.slice();
  for (let pixel = 0; pixel < mask.length; pixel += 1) if (mask[pixel]) result.fill(128, pixel * 3, pixel * 3 + 3);
  return result;
}
