import type OpenAI from 'openai';
import { DarkroomError, defineProvider, describeTool, parseRefinement, type Provider, type ProviderCallContext } from '@darkroom/core';
import { callProvider, findApiKey, lazyClient } from '@darkroom/plugin-api/provider-utils';
import { intentMessages } from './intent-messages.js';
import { loadOpenai, parasail, parasailApiError } from './parasail-errors.js';

export interface ParasailSettings {
  /** Defaults to PARASAIL_API_KEY, read when a call is made (never logged). */
  apiKey?: string;
  /** Defaults to PARASAIL_BASE_URL, else https://api.parasail.io/v1. */
  baseURL?: string;
  /** Chat model with tool calling, for intents and prompt refinement. */
  textModel?: string;
  /** Vision model for captions. */
  visionModel?: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

type Completion = OpenAI.Chat.Completions.ChatCompletion;

/**
 * Parasail's OpenAI-compatible API through the `openai` client: intent detection with tools,
 * prompt refinement and image captions. It generates no images, so it claims no image capability.
 *
 * @example
 * const parasail = createParasail({ textModel: 'parasail-llama-33-70b-fp8' });
 */
export function createParasail(settings: ParasailSettings = {}): Provider {
  const textModel = settings.textModel ?? 'parasail-llama-33-70b-fp8';
  const visionModel = settings.visionModel ?? 'parasail-qwen25-vl-72b-instruct';
  const timeoutMs = settings.timeoutMs ?? 60_000;
  const openai = lazyClient({
    apiKey: settings.apiKey,
    provider: parasail,
    // The time limit is callProvider's, over the whole call; the client keeps its own (10 min) as a backstop.
    // No key: the configuration error, and the client is not even loaded.
    create: async (apiKey) =>
      new (await loadOpenai()).default({
        apiKey,
        baseURL: settings.baseURL ?? process.env.PARASAIL_BASE_URL ?? 'https://api.parasail.io/v1',
        maxRetries: 0,
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        ...(settings.headers ? { defaultHeaders: settings.headers } : {}),
      }),
  });

  const complete = (body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, context: ProviderCallContext): Promise<Completion> =>
    callProvider({
      provider: parasail,
      signal: context.signal,
      timeoutMs,
      mapError: parasailApiError,
      run: async (signal) => {
        const completion = await (await openai()).chat.completions.create(body, { signal });
        if (!completion?.choices?.length) throw new DarkroomError({ code: 'provider_error', message: 'Parasail answered without a choice', retryable: true, details: { provider: parasail.id } });
        return completion;
      },
    });

  return defineProvider({
    id: parasail.id,
    displayName: 'Parasail',
    models: [
      { id: textModel, capabilities: ['intent', 'refine-prompt'], description: 'Parasail chat model with tool calling' },
      { id: visionModel, capabilities: ['caption'], description: 'Parasail vision model' },
    ],
    handlers: {
      intent: async (request, context) => {
        const completion = await complete(
          {
            model: textModel,
            messages: intentMessages(request),
            tools: request.tools.map((tool) => ({ type: 'function' as const, function: { name: tool.name, description: describeTool(tool), parameters: tool.parameters } })),
            tool_choice: 'auto',
          },
          context,
        );
        const message = completion.choices[0]!.message;
        const calls = (message.tool_calls ?? []).flatMap((call) => {
          if (call.type !== 'function') return [];
          try {
            return [{ name: call.function.name, args: JSON.parse(call.function.arguments || '{}') as Record<string, unknown> }];
          } catch {
            throw new DarkroomError({ code: 'provider_error', message: `Parasail called ${call.function.name} with arguments that are not JSON`, retryable: true, details: { provider: parasail.id } });
          }
        });
        return { calls, ...(message.content ? { text: message.content } : {}) };
      },
      'refine-prompt': async (request, context) => {
        const completion = await complete(
          {
            model: textModel,
            messages: [
              { role: 'system', content: 'You improve image-generation prompts. Answer only JSON: {"refined": string, "negative": string}.' },
              { role: 'user', content: `Improve this prompt${request.style ? ` for the style "${request.style}"` : ''}: add concrete detail about subject, lighting, composition and quality, keep its meaning and language, and list things to avoid.\nPrompt: ${request.prompt}` },
            ],
            response_format: { type: 'json_object' },
          },
          context,
        );
        return parseRefinement(completion.choices[0]!.message.content, 'parasail');
      },
      caption: async (request, context) => {
        const completion = await complete(
          {
            model: visionModel,
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'text', text: 'Describe this image in one sentence.' },
                  { type: 'image_url', image_url: { url: `data:${request.image.mimeType};base64,${Buffer.from(request.image.bytes).toString('base64')}` } },
                ],
              },
            ],
          },
          context,
        );
        return { text: (completion.choices[0]!.message.content ?? '').trim() };
      },
    },
    async health() {
      const configured = findApiKey({ apiKey: settings.apiKey, provider: parasail }) !== undefined;
      if (!configured) return { ok: false, message: `${parasail.environmentVariable} is not set`, details: { configured, reachable: false } };
      try {
        await callProvider({ provider: parasail, timeoutMs: 10_000, mapError: parasailApiError, run: async (signal) => (await openai()).models.list({ signal }) });
        return { ok: true, details: { configured, reachable: true, text_model: textModel, vision_model: visionModel } };
      } catch (error) {
        return { ok: false, message: (error as Error).message, details: { configured, reachable: false } };
      }
    },
  });
}
