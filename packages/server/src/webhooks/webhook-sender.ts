import type { Engine, EngineEvent } from '@darkroom/core';
import { DarkroomError } from '@darkroom/core';
import { fetchPublicUrl, type PublicFetchOptions } from '../safety/fetch-public-url.js';
import { signWebhook } from './sign-webhook.js';

export interface WebhookSenderOptions {
  secret: string;
  /** Delay before each retry; the number of entries is the number of retries. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** Address policy for receivers (public only by default, like image URLs). */
  isAllowedAddress?: PublicFetchOptions['isAllowedAddress'];
  log?: (entry: Record<string, unknown>) => void;
}

const terminal = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);

/** Checks a client's webhook URL when the job is submitted (the address is checked again at delivery). */
export function parseWebhookUrl(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 2048) throw new DarkroomError({ code: 'invalid_input', message: 'webhook_url must be an http(s) URL of at most 2048 characters' });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DarkroomError({ code: 'invalid_input', message: 'webhook_url is not a valid URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DarkroomError({ code: 'invalid_input', message: 'webhook_url must be http or https' });
  return url.toString();
}

/**
 * Tells a job's webhook when the job ends, signed with the Standard Webhooks scheme and retried with
 * backoff (1 s, 5 s, 30 s, 2 min, 10 min by default) until the receiver answers 2xx or 410 Gone.
 */
export class WebhookSender {
  private readonly targets = new Map<string, { url: string; userId: string }>();
  private readonly pending = new Set<Promise<void>>();
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private closed = false;
  private readonly off: () => void;
  private readonly log: (entry: Record<string, unknown>) => void;

  constructor(private readonly engine: Engine, private readonly options: WebhookSenderOptions) {
    this.log = options.log ?? (() => undefined);
    this.off = engine.on((event) => this.onEvent(event));
  }

  /** Registers a webhook for a job; if the job already ended, delivers at once. */
  async register(jobId: string, userId: string, url: string): Promise<void> {
    this.targets.set(jobId, { url, userId });
    const job = await this.engine.jobs.get(userId, jobId);
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) this.fire(jobId, `job.${job.state}`);
  }

  private onEvent(event: EngineEvent): void {
    if ('jobId' in event && terminal.has(event.type)) this.fire(event.jobId, event.type);
  }

  private fire(jobId: string, type: string): void {
    const target = this.targets.get(jobId);
    if (!target) return;
    this.targets.delete(jobId);
    const delivery = this.deliver(jobId, type, target).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  private async deliver(jobId: string, type: string, target: { url: string; userId: string }): Promise<void> {
    const job = await this.engine.jobs.get(target.userId, jobId);
    const id = `msg_${jobId}_${job.state}`;
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data: job });
    const delays = this.options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000];
    for (let attempt = 0; attempt <= delays.length; attempt += 1) {
      if (attempt > 0) await this.sleep(delays[attempt - 1]!);
      if (this.closed) return;
      const headers = { 'content-type': 'application/json', ...signWebhook(this.options.secret, id, Math.floor(Date.now() / 1000), body) };
      try {
        const answer = await fetchPublicUrl(target.url, {
          method: 'POST', body, headers, maxBytes: 64 * 1024, timeoutMs: this.options.timeoutMs ?? 10_000, maxRedirects: 0,
          ...(this.options.isAllowedAddress ? { isAllowedAddress: this.options.isAllowedAddress } : {}),
        });
        if ((answer.status >= 200 && answer.status < 300) || answer.status === 410) {
          this.log({ level: 'info', message: 'webhook delivered', job_id: jobId, status: answer.status, attempt: attempt + 1 });
          return;
        }
        this.log({ level: 'warn', message: 'webhook refused', job_id: jobId, status: answer.status, attempt: attempt + 1 });
      } catch (error) {
        this.log({ level: 'warn', message: 'webhook failed', job_id: jobId, reason: error instanceof Error ? error.message : String(error), attempt: attempt + 1 });
      }
    }
    this.log({ level: 'error', message: 'webhook given up', job_id: jobId });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, ms);
      this.waits.set(timer, resolve);
    });
  }

  /** Stops listening; deliveries in flight finish, retries not yet due are dropped. */
  async close(): Promise<void> {
    this.off();
    this.closed = true;
    for (const [timer, resolve] of this.waits) {
      clearTimeout(timer);
      resolve();
    }
    this.waits.clear();
    await Promise.allSettled([...this.pending]);
  }
}
