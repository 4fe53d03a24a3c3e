import { createDarkroomClient, DarkroomApiError, type DarkroomClient } from '@darkroom/client';

const storageKey = 'darkroom.apiKey';

/** Where the page was served from: the server's base path (the server writes it as the page's `<base href>`). */
export function serverBaseUrl(): string {
  return new URL('.', document.baseURI).href.replace(/\/$/, '');
}

/**
 * The page's connection to the server: one typed client, the API key kept for the tab
 * (sessionStorage), and `call()`, which asks for a key when the server answers 401 and then tries
 * again. In development mode (a server without keys) nothing is ever asked.
 */
export class ApiSession {
  client: DarkroomClient;
  private apiKey: string | undefined;
  private waiting: Array<() => void> = [];
  private listeners = new Set<(request: KeyRequest | undefined) => void>();
  private request: KeyRequest | undefined;

  constructor(private readonly baseUrl: string) {
    this.apiKey = sessionStorage.getItem(storageKey) ?? undefined;
    this.client = this.connect();
  }

  private connect(): DarkroomClient {
    return createDarkroomClient({ baseUrl: this.baseUrl, ...(this.apiKey ? { apiKey: this.apiKey } : {}) });
  }

  /** Runs `work` with the client; on a 401 asks for a key (once for every call waiting) and runs it again. */
  async call<T>(work: (client: DarkroomClient) => Promise<T>): Promise<T> {
    for (;;) {
      const client = this.client;
      try {
        return await work(client);
      } catch (error) {
        if (!DarkroomApiError.is(error) || error.status !== 401) throw error;
        // Another call may already have been given a new key.
        if (client === this.client) await this.askForKey(error.message);
      }
    }
  }

  /** Sends the API key for the tab (kept in sessionStorage) and retries the calls that waited for one. */
  useKey(key: string): void {
    this.apiKey = key.trim();
    sessionStorage.setItem(storageKey, this.apiKey);
    this.client = this.connect();
    this.setRequest(undefined);
    for (const retry of this.waiting.splice(0)) retry();
  }

  /** Hears when a key is asked for (`undefined`: no longer asked). */
  onKeyRequest(listener: (request: KeyRequest | undefined) => void): () => void {
    this.listeners.add(listener);
    listener(this.request);
    return () => this.listeners.delete(listener);
  }

  private askForKey(reason: string): Promise<void> {
    this.setRequest({ reason, hadKey: this.apiKey !== undefined });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private setRequest(request: KeyRequest | undefined): void {
    this.request = request;
    for (const listener of this.listeners) listener(request);
  }
}

/** Why a key is asked for: the server's message, and whether the key sent was refused. */
export interface KeyRequest {
  reason: string;
  hadKey: boolean;
}
