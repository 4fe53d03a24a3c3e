// A fake Runware on 127.0.0.1 that speaks its REST protocol: same path, Bearer auth, task arrays,
// data/errors envelopes, old and new task names, getTaskDetails. Tests point the real client at it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

type Task = Record<string, unknown> & { taskType: string; taskUUID: string };
type Scripted = { status: number; body: string; headers?: Record<string, string> } | 'hang';

export interface FakeRunware {
  url: string;
  key: string;
  /** Every task received, in order. */
  tasks: Task[];
  /** Answers for the next requests, in order, instead of doing the work. */
  script: Scripted[];
  /** When true, the next request's work is done and remembered, but no answer is sent. */
  acceptThenHang: boolean;
  /** Use older task names in answers (imageUpscale, imageBackgroundRemoval, imageCaption). */
  oldNames: boolean;
  close(): Promise<void>;
}

const decode = (uri: unknown) => Buffer.from(String(uri).replace(/^data:[^,]*,/, ''), 'base64');

async function perform(task: Task, oldNames: boolean): Promise<Record<string, unknown>> {
  const base = { taskUUID: task.taskUUID, imageUUID: `img-${task.taskUUID}`, cost: 0.0025 };
  const png = async (pipeline: sharp.Sharp) => (await pipeline.png().toBuffer()).toString('base64');
  switch (task.taskType) {
    case 'imageInference': {
      const width = Number(task.width ?? 512);
      const height = Number(task.height ?? 512);
      const source = task.seedImage ? sharp(decode(task.seedImage)).resize(width, height).modulate({ hue: 90 }) : sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } });
      return { ...base, taskType: 'imageInference', seed: Number(task.seed ?? 1234), imageBase64Data: await png(source) };
    }
    case 'upscale': {
      const input = sharp(decode(task.inputImage));
      const { width = 1, height = 1 } = await input.metadata();
      const factor = Number(task.upscaleFactor ?? 2);
      return { ...base, taskType: oldNames ? 'imageUpscale' : 'upscale', imageBase64Data: await png(input.resize(width * factor, height * factor)) };
    }
    case 'removeBackground':
      return { ...base, taskType: oldNames ? 'imageBackgroundRemoval' : 'removeBackground', imageBase64Data: await png(sharp(decode(task.inputImage)).ensureAlpha(0.5)) };
    case 'caption':
      return { taskUUID: task.taskUUID, taskType: oldNames ? 'imageCaption' : 'caption', text: 'a photo used in a test', cost: 0.0001 };
    default:
      throw Object.assign(new Error(`unknown taskType ${task.taskType}`), { code: 'invalidTaskType' });
  }
}

export async function startFakeRunware(): Promise<FakeRunware> {
  const completed = new Map<string, { request: Task[]; data: Record<string, unknown>[] }>();
  const held: ServerResponse[] = [];
  const fake: FakeRunware = { url: '', key: 'test-runware-key', tasks: [], script: [], acceptThenHang: false, oldNames: false, close: async () => undefined };
  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1') return send(response, 404, { errors: [{ code: 'notFound', message: 'Not found' }] });
    if (request.headers.authorization !== `Bearer ${fake.key}`) return send(response, 401, { errors: [{ code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai' }] });
    let tasks: Task[];
    try {
      tasks = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Task[];
      if (!Array.isArray(tasks)) throw new Error('not an array');
    } catch {
      return send(response, 400, { errors: [{ code: 'invalidRequestBody', message: 'The body must be a JSON array of tasks' }] });
    }
    fake.tasks.push(...tasks);
    const scripted = fake.script.shift();
    if (scripted === 'hang') {
      held.push(response);
      return;
    }
    if (scripted) return send(response, scripted.status, scripted.body, scripted.headers);
    const data: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const task of tasks) {
      if (task.taskType === 'getTaskDetails') {
        const found = completed.get(task.taskUUID);
        if (found) data.push({ taskType: 'getTaskDetails', taskUUID: task.taskUUID, request: found.request, response: { data: found.data } });
        else errors.push({ code: 'taskNotFound', message: 'No task with this taskUUID', parameter: 'taskUUID', taskType: 'getTaskDetails', taskUUID: task.taskUUID });
        continue;
      }
      if (task.taskType === 'imageInference' && typeof task.positivePrompt === 'string' && task.positivePrompt.length < 2) {
        errors.push({ code: 'invalidPositivePrompt', message: 'Invalid value for positivePrompt parameter', parameter: 'positivePrompt', taskType: task.taskType, taskUUID: task.taskUUID });
        continue;
      }
      try {
        const result = await perform(task, fake.oldNames);
        completed.set(task.taskUUID, { request: [task], data: [result] });
        data.push(result);
      } catch (error) {
        errors.push({ code: (error as { code?: string }).code ?? 'unknown', message: (error as Error).message, taskType: task.taskType, taskUUID: task.taskUUID });
      }
    }
    if (fake.acceptThenHang) {
      fake.acceptThenHang = false;
      held.push(response);
      return;
    }
    if (errors.length > 0 && data.length === 0) return send(response, 400, { errors });
    send(response, 200, errors.length > 0 ? { data, errors } : { data });
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
