// A fake Cloudinary on 127.0.0.1: signed multipart uploads to /v1_1/{cloud}/image/upload (the
// signature checked as Cloudinary does), delivery of the uploaded bytes, signed destroy.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCloudinary {
  url: string;
  cloud: string;
  key: string;
  secret: string;
  cloudinaryUrl: string;
  files: Map<string, Buffer>;
  uploads: Array<Record<string, string>>;
  destroyed: string[];
  close(): Promise<void>;
}

/** sha1 of the sorted k=v pairs (without file, cloud_name, resource_type, api_key) followed by the secret. */
export function cloudinarySignature(params: Record<string, string>, secret: string): string {
  const signed = Object.keys(params)
    .filter((key) => !['file', 'cloud_name', 'resource_type', 'api_key', 'signature'].includes(key) && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  return createHash('sha1').update(signed + secret).digest('hex');
}

export async function startFakeCloudinary(): Promise<FakeCloudinary> {
  const fake = { cloud: 'demo-cloud', key: '123456789', secret: 'fake-secret', files: new Map<string, Buffer>(), uploads: [], destroyed: [] } as unknown as FakeCloudinary;
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', fake.url);
    const delivery = new RegExp(`^/${fake.cloud}/image/upload/v\\d+/(.+)\\.png$`).exec(url.pathname);
    if (request.method === 'GET' && delivery) {
      const file = fake.files.get(decodeURIComponent(delivery[1]!));
      if (!file) return send(response, 404, { error: { message: 'Resource not found' } });
      response.writeHead(200, { 'content-type': 'image/png' });
      return response.end(file);
    }
    const api = new RegExp(`^/v1_1/${fake.cloud}/image/(upload|destroy)$`).exec(url.pathname);
    if (request.method !== 'POST' || !api) return send(response, 404, { error: { message: 'Not found' } });
    const form = await new Request(fake.url, { method: 'POST', headers: { 'content-type': String(request.headers['content-type']) }, body }).formData();
    const params: Record<string, string> = {};
    let file: Buffer | undefined;
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') params[name] = value;
      else file = Buffer.from(await value.arrayBuffer());
    }
    if (params.api_key !== fake.key || params.signature !== cloudinarySignature(params, fake.secret)) {
      return send(response, 401, { error: { message: 'Invalid Signature. String to sign - …' } });
    }
    if (api[1] === 'destroy') {
      fake.destroyed.push(params.public_id!);
      return send(response, 200, { result: fake.files.delete(params.public_id!) ? 'ok' : 'not found' });
    }
    if (!file) return send(response, 400, { error: { message: 'Missing required parameter - file' } });
    fake.uploads.push(params);
    const publicId = params.public_id!;
    if (!fake.files.has(publicId) || params.overwrite === '1' || params.overwrite === 'true') fake.files.set(publicId, file);
    const version = 1_700_000_000;
    send(response, 200, {
      asset_id: createHash('md5').update(publicId).digest('hex'), public_id: publicId, version, signature: 'x', width: 1, height: 1, format: 'png', resource_type: 'image',
      bytes: fake.files.get(publicId)!.length, type: 'upload', url: `${fake.url}/${fake.cloud}/image/upload/v${version}/${publicId}.png`, secure_url: `${fake.url}/${fake.cloud}/image/upload/v${version}/${publicId}.png`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.cloudinaryUrl = `cloudinary://${fake.key}:${fake.secret}@${fake.cloud}?upload_prefix=${fake.url}`;
  fake.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return fake;
}
