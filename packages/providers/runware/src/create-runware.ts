import { randomUUID } from 'node:crypto';
import {
  DarkroomError, defineProvider, inspectImage,
  type GenerationOptions, type ImageData, type ImageResultSpec, type ModelInfo, type OutputFormat, type Provider, type ProviderCallContext,
} from '@darkroom/core';
import { callProvider, findApiKey, loadApiKey, type ProviderIdentity } from '@darkroom/plugin-api/provider-utils';
import { createRunwareClient, type RunwareResult, type RunwareTask } from './create-runware-client.js';

export interface RunwareSettings {
  /** Defaults to RUNWARE_API_KEY, read when a call is made (never logged). */
  apiKey?: string;
  /** Defaults to RUNWARE_BASE_URL, else https://api.runware.ai/v1. */
  baseURL?: string;
  /** Model AIR ids per task. */
  models?: { imageInference?: string; upscale?: string; removeBackground?: string; caption?: string };
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

const runware: ProviderIdentity = { id: 'runware', name: 'Runware', environmentVariable: 'RUNWARE_API_KEY' };
const formats: Record<OutputFormat, string> = { png: 'PNG', jpeg: 'JPG', webp: 'WEBP' };
const dataUri = (image: ImageData) => `data:${image.mimeType};base64,${Buffer.from(image.bytes).toString('base64')}`;
/** Runware sizes are multiples of 64 from 128 to 2048. */
const size64 = (value: number) => Math.min(2048, Math.max(128, Math.round(value / 64) * 64));

/** A generative request's sampling options as imageInference fields (`guidance` is Runware's `CFGScale`); absent ones left out. */
function sampling(request: GenerationOptions): Record<string, unknown> {
  return {
    ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.steps !== undefined ? { steps: request.steps } : {}),
    ...(request.guidance !== undefined ? { CFGScale: request.guidance } : {}),
  };
}

/**
 * Runware's REST API with a small fetch client (synchronous delivery). Every task's UUID is saved
 * in the step checkpoint before it is sent; a re-run asks `getTaskDetails` for that task's answer
 * before paying for a new one.
 *
 * @example
 * const runware = createRunware({ models: { imageInference: 'runware:101@1' } });
 * const engine = await createEngine({ plugins, providers: [runware, createLocalProvider()], routing: { upscale: ['runware', 'local'] } });
 */
export function createRunware(settings: RunwareSettings = {}): Provider {
  const client = createRunwareClient({
    provider: runware,
    apiKey: () => loadApiKey({ apiKey: settings.apiKey, provider: runware }),
    baseURL: settings.baseURL ?? process.env.RUNWARE_BASE_URL ?? 'https://api.runware.ai/v1',
    timeoutMs: settings.timeoutMs ?? 120_000,
    fetch: settings.fetch ?? globalThis.fetch,
    ...(settings.headers ? { headers: settings.headers } : {}),
  });
  const models = { imageInference: 'runware:101@1', ...settings.models };

  /** The answer of a task sent before a crash, if Runware finished it. */
  async function recover(taskUUID: string, signal: AbortSignal): Promise<RunwareResult[] | undefined> {
    try {
      const [details] = await client.run({ taskType: 'getTaskDetails', taskUUID }, signal);
      const response = details?.response as { data?: RunwareResult[] } | undefined;
      const data = response?.data?.filter((entry) => entry.taskUUID === taskUUID);
      return data && data.length > 0 ? data : undefined;
    } catch (error) {
      if (DarkroomError.isInstance(error) && error.code === 'invalid_input') return undefined;
      throw error;
    }
  }

  async function run(context: ProviderCallContext, build: (taskUUID: string) => RunwareTask): Promise<RunwareResult[]> {
    const previous = context.checkpoint.get<string>('taskUUID');
    if (previous) {
      const recovered = await recover(previous, context.signal);
      if (recovered) return recovered;
    }
    const taskUUID = randomUUID();
    await context.checkpoint.set('taskUUID', taskUUID);
    return client.run(build(taskUUID), context.signal);
  }

  async function toImage(result: RunwareResult, signal: AbortSignal): Promise<ImageData> {
    const inline = (result.imageBase64Data as string | undefined) ?? (result.imageDataURI as string | undefined)?.replace(/^data:[^,]*,/, '');
    if (inline) return inspectImage(new Uint8Array(Buffer.from(inline, 'base64')));
    if (typeof result.imageURL === 'string') {
      const imageURL = result.imageURL;
      const bytes = await callProvider({
        provider: runware,
        signal,
        timeoutMs: 60_000,
        run: async (callSignal) => {
          const response = await (settings.fetch ?? globalThis.fetch)(imageURL, { signal: callSignal });
          // A CDN's answer, not the API's: whatever its status, a later try may find the image.
          if (!response.ok) throw new DarkroomError({ code: 'provider_unavailable', message: `Runware's image URL answered ${response.status}`, retryable: true, details: { provider: runware.id, status: response.status } });
          return new Uint8Array(await response.arrayBuffer());
        },
      });
      return inspectImage(bytes);
    }
    throw new DarkroomError({ code: 'provider_error', message: 'Runware answered without an image', retryable: true, details: { provider: runware.id } });
  }

  async function toResult(data: RunwareResult[], context: ProviderCallContext, extra: Record<string, unknown> = {}): Promise<ImageResultSpec> {
    const images = await Promise.all(data.map((entry) => toImage(entry, context.signal)));
    const cost = data.reduce((sum, entry) => sum + (typeof entry.cost === 'number' ? entry.cost : 0), 0);
    const seed = typeof data[0]?.seed === 'number' ? data[0].seed : undefined;
    return {
      images,
      ...(seed !== undefined ? { seed } : {}),
      metadata: { task_uuid: data[0]?.taskUUID, ...(cost > 0 ? { cost, cost_currency: 'USD' } : {}), ...extra },
    };
  }

  const inference = (taskUUID: string, fields: Record<string, unknown>, format?: OutputFormat): RunwareTask => ({
    taskType: 'imageInference',
    taskUUID,
    model: models.imageInference,
    outputType: 'base64Data',
    outputFormat: formats[format ?? 'png'],
    includeCost: true,
    numberResults: 1,
    ...fields,
  });
  const utility = (taskType: string, taskUUID: string, image: ImageData, fields: Record<string, unknown> = {}): RunwareTask => ({
    taskType,
    taskUUID,
    inputImage: dataUri(image),
    outputType: 'base64Data',
    includeCost: true,
    ...fields,
  });

  const catalogue: ModelInfo[] = [
    { id: models.imageInference, capabilities: ['text-to-image', 'image-to-image', 'inpaint', 'outpaint'], description: 'Runware imageInference' },
    { id: models.upscale ?? 'runware-upscale', capabilities: ['upscale'], description: 'Runware upscale' },
    { id: models.removeBackground ?? 'runware-remove-background', capabilities: ['remove-background'], description: 'Runware removeBackground' },
    { id: models.caption ?? 'runware-caption', capabilities: ['caption'], description: 'Runware caption' },
  ];

  return defineProvider({
    id: 'runware',
    displayName: 'Runware',
    models: catalogue,
    handlers: {
      'text-to-image': async (request, context) => {
        const width = size64(request.width);
        const height = size64(request.height);
        const data = await run(context, (taskUUID) =>
          inference(taskUUID, {
            positivePrompt: request.prompt,
            width,
            height,
            numberResults: request.count ?? 1,
            ...sampling(request),
          }, request.format),
        );
        return toResult(data, context, width !== request.width || height !== request.height ? { note: `Runware sizes are multiples of 64: ${width}×${height}` } : {});
      },
      'image-to-image': async (request, context) =>
        toResult(await run(context, (taskUUID) => inference(taskUUID, {
          positivePrompt: request.prompt || 'a new variation of this image',
          seedImage: dataUri(request.image),
          strength: request.strength ?? 0.6,
          width: size64(request.image.width),
          height: size64(request.image.height),
          ...sampling(request),
        }, request.format)), context),
      inpaint: async (request, context) =>
        toResult(await run(context, (taskUUID) => inference(taskUUID, {
          positivePrompt: request.prompt || 'clean, seamless background',
          seedImage: dataUri(request.image),
          maskImage: dataUri(request.mask),
          width: size64(request.image.width),
          height: size64(request.image.height),
          ...sampling(request),
        }, request.format)), context),
      outpaint: async (request, context) => {
        const width = size64(request.image.width + request.left + request.right);
        const height = size64(request.image.height + request.top + request.bottom);
        return toResult(await run(context, (taskUUID) => inference(taskUUID, {
          positivePrompt: request.prompt || 'continue the scene naturally beyond its borders',
          seedImage: dataUri(request.image),
          width,
          height,
          outpaint: { top: request.top, right: width - request.image.width - request.left, bottom: height - request.image.height - request.top, left: request.left },
          ...sampling(request),
        }, request.format)), context);
      },
      upscale: async (request, context) =>
        toResult(await run(context, (taskUUID) => utility('upscale', taskUUID, request.image, {
          upscaleFactor: request.scale,
          outputFormat: formats[request.format ?? 'png'],
          ...(models.upscale ? { model: models.upscale } : {}),
        })), context),
      'remove-background': async (request, context) =>
        toResult(await run(context, (taskUUID) => utility('removeBackground', taskUUID, request.image, {
          outputFormat: formats[request.format === 'jpeg' ? 'png' : (request.format ?? 'png')],
          ...(models.removeBackground ? { model: models.removeBackground } : {}),
        })), context),
      caption: async (request, context) => {
        const [result] = await run(context, (taskUUID) => ({ taskType: 'caption', taskUUID, inputImage: dataUri(request.image), includeCost: true, ...(models.caption ? { model: models.caption } : {}) }));
        return { text: String(result?.text ?? '') };
      },
    },
    async health() {
      const configured = findApiKey({ apiKey: settings.apiKey, provider: runware }) !== undefined;
      // Runware has no free endpoint to probe: reachability shows in the circuit breaker instead.
      return configured ? { ok: true, details: { configured, reachable: 'not probed' } } : { ok: false, message: `${runware.environmentVariable} is not set`, details: { configured } };
    },
  });
}
