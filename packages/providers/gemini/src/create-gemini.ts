import type { Content, FunctionCallingConfigMode, GenerateContentConfig, GenerateContentResponse, Part } from '@google/genai';
import { DarkroomError, defineProvider, describeTool, inspectImage, intentInstruction, parseRefinement, type ImageData, type ImageResultSpec, type Provider, type ProviderCallContext } from '@darkroom/core';
import { callProvider, findApiKey, lazyClient } from '@darkroom/plugin-api/provider-utils';
import { blockedFinishReasons, gemini, geminiApiError, loadGenai } from './gemini-errors.js';
import { intentContents } from './intent-contents.js';

export interface GeminiSettings {
  /** Defaults to GEMINI_API_KEY, read when a call is made (never logged). */
  apiKey?: string;
  /** Defaults to GEMINI_BASE_URL, else Google's endpoint. */
  baseURL?: string;
  /** Image generation and editing model (generateContent with image output). */
  imageModel?: string;
  /** Text model for intent detection (function calling) and prompt refinement. */
  textModel?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

const ratios = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
/** The supported aspect ratio nearest to width:height. */
function aspectRatio(width: number, height: number): string {
  const target = Math.log(width / height);
  return ratios.reduce((best, ratio) => {
    const [w, h] = ratio.split(':').map(Number) as [number, number];
    const [bw, bh] = best.split(':').map(Number) as [number, number];
    return Math.abs(Math.log(w / h) - target) < Math.abs(Math.log(bw / bh) - target) ? ratio : best;
  });
}
const inline = (image: ImageData): Part => ({ inlineData: { mimeType: image.mimeType, data: Buffer.from(image.bytes).toString('base64') } });
const directions: Record<string, string> = {
  left: 'the left', right: 'the right', top: 'above', bottom: 'below',
  'top-left': 'the upper left', 'top-right': 'the upper right', 'bottom-left': 'the lower left', 'bottom-right': 'the lower right',
};

/**
 * Google Gemini through `@google/genai`: text-to-image and image edits with `generateContent`
 * (image output), including edits described in words (`edit`: the image and the instruction),
 * intent detection by function calling (told the images at hand, the reply language and each
 * tool's examples), prompt refinement. Safety blocks are
 * `content_blocked` errors; 429 carries RetryInfo's delay.
 *
 * @example
 * const gemini = createGemini({ imageModel: 'gemini-3.1-flash-image', textModel: 'gemini-2.5-flash' });
 */
export function createGemini(settings: GeminiSettings = {}): Provider {
  const imageModel = settings.imageModel ?? 'gemini-3.1-flash-image';
  const textModel = settings.textModel ?? 'gemini-2.5-flash';
  const timeoutMs = settings.timeoutMs ?? 120_000;
  // No key: the configuration error, and the SDK is not even loaded.
  const ai = lazyClient({
    apiKey: settings.apiKey,
    provider: gemini,
    create: async (apiKey) => {
      const { GoogleGenAI } = await loadGenai();
      const baseUrl = settings.baseURL ?? process.env.GEMINI_BASE_URL;
      return new GoogleGenAI({ apiKey, httpOptions: { ...(baseUrl ? { baseUrl } : {}), ...(settings.headers ? { headers: settings.headers } : {}) } });
    },
  });

  // callProvider refuses a signal aborted beforehand: the SDK forwards aborts through a listener, which never fires for one.
  const generate = (model: string, contents: Content[], config: GenerateContentConfig, context: ProviderCallContext): Promise<GenerateContentResponse> =>
    callProvider({
      provider: gemini,
      signal: context.signal,
      timeoutMs,
      mapError: geminiApiError,
      run: async (signal) => {
        const response = await (await ai()).models.generateContent({ model, contents, config: { ...config, abortSignal: signal } });
        const blockReason = response.promptFeedback?.blockReason;
        if (blockReason) {
          throw new DarkroomError({ code: 'content_blocked', message: `Gemini blocked the request (${blockReason}): rephrase it`, details: { provider: gemini.id, block_reason: blockReason } });
        }
        return response;
      },
    });

  async function images(parts: Part[], context: ProviderCallContext, config: GenerateContentConfig = {}): Promise<ImageResultSpec> {
    const response = await generate(imageModel, [{ role: 'user', parts }], { responseModalities: ['TEXT', 'IMAGE'], ...config }, context);
    const candidate = response.candidates?.[0];
    const found = (candidate?.content?.parts ?? []).filter((part) => part.inlineData?.data && part.inlineData.mimeType?.startsWith('image/'));
    if (found.length === 0) {
      const reason = String(candidate?.finishReason ?? 'unknown');
      if (blockedFinishReasons.has(reason)) {
        throw new DarkroomError({ code: 'content_blocked', message: `Gemini withheld the image (${reason}): the content was blocked; change the request`, details: { provider: gemini.id, finish_reason: reason } });
      }
      throw new DarkroomError({ code: 'provider_error', message: `Gemini answered without an image (finishReason ${reason})`, details: { provider: gemini.id, finish_reason: reason } });
    }
    const decoded = await Promise.all(found.map((part) => inspectImage(new Uint8Array(Buffer.from(part.inlineData!.data!, 'base64')))));
    const usage = response.usageMetadata;
    return {
      images: decoded,
      metadata: {
        ...(response.responseId ? { response_id: response.responseId } : {}),
        ...(usage ? { usage: { prompt_tokens: usage.promptTokenCount, output_tokens: usage.candidatesTokenCount, total_tokens: usage.totalTokenCount } } : {}),
        ...(response.text ? { text: response.text } : {}),
      },
    };
  }

  const editImage = (image: ImageData, instruction: string, context: ProviderCallContext, extra: Part[] = []) =>
    images([inline(image), ...extra, { text: instruction }], context, { imageConfig: { aspectRatio: aspectRatio(image.width, image.height) } });

  return defineProvider({
    id: gemini.id,
    displayName: 'Google Gemini',
    models: [
      { id: imageModel, capabilities: ['text-to-image', 'image-to-image', 'inpaint', 'outpaint', 'relight', 'style-transfer', 'edit'], description: 'Gemini image generation and editing (also by instruction)' },
      { id: textModel, capabilities: ['intent', 'refine-prompt'], description: 'Gemini text: function-calling intent detection and prompt refinement' },
    ],
    handlers: {
      'text-to-image': (request, context) =>
        images([{ text: request.negativePrompt ? `${request.prompt}\nAvoid: ${request.negativePrompt}` : request.prompt }], context, { imageConfig: { aspectRatio: aspectRatio(request.width, request.height) } }),
      'image-to-image': (request, context) =>
        editImage(request.image, `Reimagine this image as a new variation${request.prompt ? `: ${request.prompt}` : ''}. Change about ${Math.round((request.strength ?? 0.6) * 100)}% of it; keep the subject recognisable.`, context),
      inpaint: (request, context) =>
        editImage(request.image, `The second image is a mask. Remove what the white area of the mask covers in the first image and fill it so it blends with its surroundings.${request.prompt ? ` Fill it with: ${request.prompt}.` : ''}`, context, [inline(request.mask)]),
      outpaint: (request, context) => {
        const width = request.image.width + request.left + request.right;
        const height = request.image.height + request.top + request.bottom;
        return images(
          [inline(request.image), { text: `Extend this image beyond its borders to ${width}×${height}: add ${request.left}px on the left, ${request.right}px on the right, ${request.top}px above and ${request.bottom}px below, continuing the scene naturally and leaving the original content unchanged.${request.prompt ? ` ${request.prompt}` : ''}` }],
          context,
          { imageConfig: { aspectRatio: aspectRatio(width, height) } },
        );
      },
      relight: (request, context) =>
        editImage(request.image, `Relight this photo with a ${(request.warmth ?? 0) > 0.2 ? 'warm' : (request.warmth ?? 0) < -0.2 ? 'cool' : 'neutral'} light coming from ${directions[request.direction] ?? request.direction}, at ${Math.round(request.intensity * 100)}% intensity. Keep everything else the same.`, context),
      edit: (request, context) => editImage(request.image, request.instruction, context),
      'style-transfer': (request, context) =>
        editImage(request.image, `Restyle this image in the style "${request.style.replace(/-/g, ' ')}" at ${Math.round((request.strength ?? 1) * 100)}% strength. Keep its composition and subject.`, context),
      intent: async (request, context) => {
        const response = await generate(
          textModel,
          intentContents(request),
          {
            systemInstruction: intentInstruction(request),
            tools: [{ functionDeclarations: request.tools.map((tool) => ({ name: tool.name, description: describeTool(tool), parametersJsonSchema: tool.parameters })) }],
            // FunctionCallingConfigMode.AUTO, without loading the SDK for its value.
            toolConfig: { functionCallingConfig: { mode: 'AUTO' as FunctionCallingConfigMode.AUTO } },
          },
          context,
        );
        const calls = (response.functionCalls ?? []).filter((call) => call.name).map((call) => ({ name: call.name!, args: (call.args ?? {}) as Record<string, unknown> }));
        // The text parts only: `response.text` warns on stderr when an answer also holds function calls.
        const text = (response.candidates?.[0]?.content?.parts ?? []).filter((part) => typeof part.text === 'string' && !part.thought).map((part) => part.text).join('');
        return { calls, ...(text ? { text } : {}) };
      },
      'refine-prompt': async (request, context) => {
        const response = await generate(
          textModel,
          [{ role: 'user', parts: [{ text: `Improve this image-generation prompt${request.style ? ` for the style "${request.style}"` : ''}: add concrete detail about subject, lighting, composition and quality, keep its meaning and language, and list things to avoid.\nPrompt: ${request.prompt}` }] }],
          { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { refined: { type: 'string' }, negative: { type: 'string' } }, required: ['refined'] } },
          context,
        );
        return parseRefinement(response.text, 'gemini');
      },
    },
    async health() {
      const configured = findApiKey({ apiKey: settings.apiKey, provider: gemini }) !== undefined;
      if (!configured) return { ok: false, message: `${gemini.environmentVariable} is not set`, details: { configured, reachable: false } };
      try {
        // Listing models is free and proves the key and the endpoint.
        await callProvider({ provider: gemini, timeoutMs: 10_000, mapError: geminiApiError, run: async (signal) => (await ai()).models.list({ config: { pageSize: 1, abortSignal: signal } }) });
        return { ok: true, details: { configured, reachable: true, image_model: imageModel, text_model: textModel } };
      } catch (error) {
        return { ok: false, message: (error as Error).message, details: { configured, reachable: false } };
      }
    },
  });
}
