// A fake Gemini on 127.0.0.1 speaking the generateContent protocol the real SDK uses: path, x-goog-api-key,
// contents/parts, image output as inlineData, function calls, JSON mode, safety blocks, Google error bodies.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { IntentTurn } from '@darkroom/core';
import type { WireCall, WireIntentPolicy } from '@darkroom/core/testing';

type Scripted = { status: number; body: unknown } | 'hang';
interface Request {
  model: string;
  body: Record<string, any>;
}

export interface FakeGeminiOptions {
  /**
   * How the fake "model" answers a function-calling request, from what it reads on the wire (e.g.
   * `answerIntentFromWire`); by default a crude keyword routing of the message's clauses.
   */
  intent?: WireIntentPolicy;
}

export interface FakeGemini {
  url: string;
  key: string;
  requests: Request[];
  script: Scripted[];
  close(): Promise<void>;
}

/** A crude "model" for routing: each clause of the message chooses the first tool whose words it contains. */
function route(message: string, tools: Array<{ name: string }>): Array<{ name: string; args: Record<string, unknown> }> {
  const names = new Set(tools.map((tool) => tool.name));
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  for (const clause of message.split(/,?\s*then\s+|\s+rồi\s+/i)) {
    if (/upscale|enlarge|phóng to/i.test(clause) && names.has('upscale')) calls.push({ name: 'upscale', args: { scale: /4x/.test(clause) ? 4 : 2 } });
    else if (/background|nền/i.test(clause) && names.has('remove-background')) calls.push({ name: 'remove-background', args: {} });
    else if (/\b(?:create|make|generate|draw)\b|tạo/i.test(clause) && names.has('generate')) {
      calls.push({ name: 'generate', args: { prompt: clause.replace(/^.*?\b(?:create|make|generate|draw)\b\s*|^.*?tạo\s*(?:ảnh\s*)?/i, '').trim(), aspect_ratio: '16:9' } });
    }
  }
  return calls;
}

/** The turns before the last content, as an intent model reads them (function responses are the user side's acknowledgements). */
function readHistory(contents: Array<{ role?: string; parts?: Array<Record<string, any>> }>): IntentTurn[] {
  const turns: IntentTurn[] = [];
  for (const content of contents) {
    const parts = content.parts ?? [];
    const text = parts.filter((part) => typeof part.text === 'string').map((part) => part.text).join('\n');
    const calls = parts.filter((part) => part.functionCall).map((part) => ({ name: String(part.functionCall.name), args: (part.functionCall.args ?? {}) as Record<string, unknown> }));
    if (content.role === 'model') turns.push({ role: 'assistant', text, ...(calls.length > 0 ? { calls } : {}) });
    else if (text) turns.push({ role: 'user', text });
  }
  return turns;
}

async function answer(model: string, body: Record<string, any>, options: FakeGeminiOptions): Promise<unknown> {
  // The request's own words and images are its last content; the ones before are the conversation.
  const parts: Array<Record<string, any>> = body.contents?.at(-1)?.parts ?? [];
  const text = parts.filter((part) => typeof part.text === 'string').map((part) => part.text).join('\n');
  const usageMetadata = { promptTokenCount: 12, candidatesTokenCount: 34, totalTokenCount: 46 };
  const reply = (responseParts: unknown[], finishReason = 'STOP') => ({ candidates: [{ content: { role: 'model', parts: responseParts }, finishReason, index: 0 }], usageMetadata, modelVersion: model, responseId: `resp-${Math.random().toString(36).slice(2)}` });
  if (/blocked prompt/i.test(text)) return { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata };
  if (body.tools?.[0]?.functionDeclarations) {
    const declarations: Array<{ name: string; description?: string; parametersJsonSchema?: Record<string, unknown> }> = body.tools[0].functionDeclarations;
    const instruction = ((body.systemInstruction?.parts ?? []) as Array<{ text?: string }>).map((part) => part.text ?? '').join('\n');
    const calls: WireCall[] = options.intent
      ? await options.intent({ message: text, instruction, tools: declarations.map((declaration) => ({ name: declaration.name, ...(declaration.description ? { description: declaration.description } : {}), ...(declaration.parametersJsonSchema ? { parameters: declaration.parametersJsonSchema } : {}) })), history: readHistory(body.contents.slice(0, -1)) })
      : route(text, declarations);
    return reply(calls.length > 0 ? calls.map((call) => ({ functionCall: call })) : [{ text: 'I can only edit or create photos.' }]);
  }
  if (body.generationConfig?.responseMimeType === 'application/json') {
    const prompt = /Prompt: (.*)$/s.exec(text)?.[1] ?? text;
    return reply([{ text: JSON.stringify({ refined: `${prompt}, golden light, crisp detail`, negative: 'blur' }) }]);
  }
  if (body.generationConfig?.responseModalities?.includes('IMAGE')) {
    if (/unsafe image/i.test(text)) return reply([{ text: 'I cannot draw that.' }], 'IMAGE_SAFETY');
    const input = parts.find((part) => part.inlineData)?.inlineData;
    const [w, h] = String(body.generationConfig?.imageConfig?.aspectRatio ?? '1:1').split(':').map(Number) as [number, number];
    const png = input
      ? await sharp(Buffer.from(input.data, 'base64')).modulate({ hue: 120 }).png().toBuffer()
      : await sharp({ create: { width: Math.round((768 * w) / Math.max(w, h)), height: Math.round((768 * h) / Math.max(w, h)), channels: 3, background: { r: 200, g: 120, b: 40 } } }).png().toBuffer();
    return reply([{ text: 'Here is the image.' }, { inlineData: { mimeType: 'image/png', data: png.toString('base64') } }]);
  }
  return reply([{ text: 'ok' }]);
}

/** Starts the fake on 127.0.0.1 (a free port); `url` is its base URL, `key` the only key it accepts. */
export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const held: ServerResponse[] = [];
  const fake: FakeGemini = { url: '', key: 'test-gemini-key', requests: [], script: [], close: async () => undefined };
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method === 'GET' && (request.url ?? '').startsWith('/v1beta/models')) {
      if (request.headers['x-goog-api-key'] !== fake.key) return send(response, 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } });
      return send(response, 200, { models: [{ name: 'models/gemini-3.1-flash-image', displayName: 'Gemini image' }] });
    }
    const match = /^\/v1beta\/models\/([^:/]+):generateContent$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) return send(response, 404, { error: { code: 404, message: `Method not found: ${request.url}`, status: 'NOT_FOUND' } });
    if (request.headers['x-goog-api-key'] !== fake.key) {
      return send(response, 400, {
        error: {
          code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
        },
      });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
    fake.requests.push({ model: match[1]!, body });
    const scripted = fake.script.shift();
    if (scripted === 'hang') return void held.push(response);
    if (scripted) return send(response, scripted.status, scripted.body);
    send(response, 200, await answer(match[1]!, body, options));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const response of held) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return fake;
}
