// A fake Parasail on 127.0.0.1 speaking the OpenAI chat-completions protocol: Bearer auth,
// tool_calls with JSON-string arguments, json_object responses, vision content, OpenAI error bodies.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IntentTurn } from '@darkroom/core';
import type { WireCall, WireIntentPolicy } from '@darkroom/core/testing';

/** The messages between the system instruction and the last, as an intent model reads them (tool results are acknowledgements). */
function readHistory(messages: Array<{ role: string; content?: unknown; tool_calls?: Array<{ function: { name: string; arguments: string } }> }>): IntentTurn[] {
  const turns: IntentTurn[] = [];
  for (const message of messages) {
    const text = typeof message.content === 'string' ? message.content : '';
    if (message.role === 'user') turns.push({ role: 'user', text });
    else if (message.role === 'assistant') {
      const calls = (message.tool_calls ?? []).map((call) => ({ name: call.function.name, args: JSON.parse(call.function.arguments) as Record<string, unknown> }));
      turns.push({ role: 'assistant', text, ...(calls.length > 0 ? { calls } : {}) });
    }
  }
  return turns;
}

type Scripted = { status: number; body: unknown; headers?: Record<string, string> } | 'hang';

export interface FakeParasailOptions {
  /**
   * How the fake "model" answers a request with tools, from what it reads on the wire (e.g.
   * `answerIntentFromWire`); by default a crude keyword routing of the message's clauses.
   */
  intent?: WireIntentPolicy;
}

export interface FakeParasail {
  url: string;
  key: string;
  requests: Array<Record<string, any>>;
  script: Scripted[];
  close(): Promise<void>;
}

function route(message: string, tools: Array<{ function: { name: string } }>) {
  const names = new Set(tools.map((tool) => tool.function.name));
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  for (const clause of message.split(/,?\s*then\s+|\s+rồi\s+/i)) {
    if (/upscale|enlarge|phóng to/i.test(clause) && names.has('upscale')) calls.push({ name: 'upscale', args: { scale: /4x/.test(clause) ? 4 : 2 } });
    else if (/background|nền/i.test(clause) && names.has('remove-background')) calls.push({ name: 'remove-background', args: {} });
    else if (/\b(?:create|make|generate|draw)\b|tạo/i.test(clause) && names.has('generate')) calls.push({ name: 'generate', args: { prompt: clause.replace(/^.*?\b(?:create|make|generate|draw)\b\s*|^.*?tạo\s*(?:ảnh\s*)?/i, '').trim() } });
  }
  return calls;
}

/** Starts the fake on 127.0.0.1 (a free port); `url` is its base URL (…/v1), `key` the only key it accepts. */
export async function startFakeParasail(options: FakeParasailOptions = {}): Promise<FakeParasail> {
  const held: ServerResponse[] = [];
  const fake: FakeParasail = { url: '', key: 'test-parasail-key', requests: [], script: [], close: async () => undefined };
  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.headers.authorization !== `Bearer ${fake.key}`) return send(response, 401, { error: { message: 'Invalid API key', type: 'invalid_request_error', code: 'invalid_api_key' } });
    if (request.method === 'GET' && request.url === '/v1/models') return send(response, 200, { object: 'list', data: [{ id: 'parasail-llama-33-70b-fp8', object: 'model', owned_by: 'parasail' }] });
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return send(response, 404, { error: { message: 'Not found', type: 'invalid_request_error' } });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
    fake.requests.push(body);
    const scripted = fake.script.shift();
    if (scripted === 'hang') return void held.push(response);
    if (scripted) return send(response, scripted.status, scripted.body, scripted.headers);
    const user = body.messages.at(-1);
    const text = typeof user.content === 'string' ? user.content : user.content.filter((part: { type: string }) => part.type === 'text').map((part: { text: string }) => part.text).join(' ');
    let message: Record<string, unknown>;
    let finish = 'stop';
    if (body.tools) {
      const tools: Array<{ function: { name: string; description?: string; parameters?: Record<string, unknown> } }> = body.tools;
      const instruction = (body.messages as Array<{ role: string; content: unknown }>).filter((entry) => entry.role === 'system').map((entry) => String(entry.content)).join('\n');
      const calls: WireCall[] = options.intent ? await options.intent({ message: text, instruction, tools: tools.map((tool) => tool.function), history: readHistory(body.messages.slice(0, -1)) }) : route(text, body.tools);
      message = calls.length > 0
        ? { role: 'assistant', content: null, tool_calls: calls.map((call, index) => ({ id: `call_${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } })) }
        : { role: 'assistant', content: 'I can only edit or create photos.' };
      if (calls.length > 0) finish = 'tool_calls';
    } else if (body.response_format?.type === 'json_object') {
      const prompt = /Prompt: (.*)$/s.exec(text)?.[1] ?? text;
      message = { role: 'assistant', content: JSON.stringify({ refined: `${prompt}, soft window light, detailed`, negative: 'noise' }) };
    } else {
      const hasImage = Array.isArray(user.content) && user.content.some((part: { type: string; image_url?: { url: string } }) => part.type === 'image_url' && part.image_url?.url.startsWith('data:image/'));
      message = { role: 'assistant', content: hasImage ? 'A tabby cat looking at the camera.' : 'No image was given.' };
    }
    send(response, 200, {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model,
      choices: [{ index: 0, message, finish_reason: finish }], usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = async () => {
    for (const response of held) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return fake;
}
