import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, EngineOptions } from '@darkroom/core';
import { ApiKeyVerifier, parseApiKeys } from '../auth/api-keys.js';
import { createDefaultEngine } from '../create-default-engine.js';
import { createServer, type DarkroomServer, type ServerOptions } from '../create-server.js';

export const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');
export const chelseaPng = readFileSync(join(fixtures, 'chelsea.png'));
export const chelseaDataUri = `data:image/png;base64,${chelseaPng.toString('base64')}`;

/** Two users and their keys. */
export const keys = { ann: 'ann-key-0123456789abcdef', bob: 'bob-key-0123456789abcdef' } as const;
export type TestUser = keyof typeof keys | 'nobody';

export interface TestServer {
  engine: Engine;
  server: DarkroomServer;
  /** A request as a user (`nobody` sends no key). */
  call(user: TestUser, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** An in-memory engine behind a server with API keys for ann and bob (for tests). */
export async function startTestServer(options: { engine?: EngineOptions; server?: Partial<ServerOptions> } = {}): Promise<TestServer> {
  const engine = await createDefaultEngine({ runner: { pollMs: 20 }, ...options.engine });
  const server = createServer({ engine, apiKeys: new ApiKeyVerifier(parseApiKeys(`ann:${keys.ann},bob:${keys.bob}`)), rateLimit: false, ...options.server });
  return {
    engine,
    server,
    call(user, method, path, body, headers = {}) {
      const auth: Record<string, string> = user === 'nobody' ? {} : { authorization: `Bearer ${keys[user]}` };
      const init: RequestInit = { method, headers: { ...auth, ...headers } };
      if (body !== undefined) {
        if (typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData) init.body = body as BodyInit;
        else {
          init.body = JSON.stringify(body);
          (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
        }
      }
      return Promise.resolve(server.app.request(path, init));
    },
    async close() {
      await server.close();
      await engine.close();
    },
  };
}

/** Polls a chat message until it is no longer PROCESSING. */
export async function waitForMessage(test: TestServer, user: TestUser, sessionId: string, messageId: string): Promise<Record<string, any>> {
  for (let tries = 0; tries < 600; tries += 1) {
    const message = await (await test.call(user, 'GET', `/api/v1/chat/sessions/${sessionId}/messages/${messageId}`)).json();
    if (message.status !== 'PROCESSING') return message;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('message still PROCESSING');
}
