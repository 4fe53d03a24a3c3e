import type { Engine, EngineEvent, JobWebhook } from '@darkroom/core';
import { DarkroomError } from '@darkroom/core';
import { checkPublicUrl, fetchPublicUrl, type PublicFetchOptions } from '../safety/fetch-public-url.js';
import { toWireJob } from '../wire/index.js';
import { signWebhook } from './sign-webhook.js';

export interface WebhookSenderOptions {
  secret: string;
  /** Delay before each retry; the number of entries is the number of retries. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** How often the outbox is read for due deliveries and retries (besides when a job ends here). */
  pollMs?: number;
  /** How often webhooks waiting for their job are checked (jobs ended by another process). */
  reconcileMs?: number;
  /** Address policy for receivers (public only by default, like image URLs). */
  isAllowedAddress?: PublicFetchOptions['isAllowedAddress'];
  /** DNS resolution (a test seam); Node's resolver by default. */
  resolve?: PublicFetchOptions['resolve'];
  log?: (entry: Record<string, unknown>) => void;
  /** The server's base path: image URLs in payloads are written under it (see toWireJob). */
  basePath?: string;
}

const terminal = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);

/**
 * Checks a client's webhook URL when the job is submitted, with the same address policy as delivery
 * (public addresses only, no credentials; the address is checked again at each delivery). A server
 * without a webhook secret (no sender) refuses them.
 *
 * @throws DarkroomError `invalid_input` (400), with `details.reason` such as `address_not_allowed` or `credentials_in_url`.
 */
export async function parseWebhookUrl(value: unknown, sender: WebhookSender | undefined): Promise<string | undefined> {
  if (value === undefined || value === null) return undefined;
  if (!sender) throw new DarkroomError({ code: 'invalid_input', message: 'Webhooks are not enabled on this server: the operator must set DARKROOM_WEBHOOK_SECRET' });
  if (typeof value !== 'string' || value.length > 2048) throw new DarkroomError({ code: 'invalid_input', message: 'webhook_url must be an http(s) URL of at most 2048 characters' });
  return sender.checkUrl(value);
}

/**
 * Delivers the engine's webhook outbox: when a job ends, its webhook URL is POSTed the job, signed
 * with the Standard Webhooks scheme, and retried with backoff (1 s, 5 s, 30 s, 2 min, 10 min by
 * default) until the receiver answers 2xx or 410 Gone. The outbox is in the database, so a restart
 * (or another server) picks up what was not delivered; receivers deduplicate by `webhook-id`.
 */
export class WebhookSender {
  private readonly off: () => void;
  private readonly log: (entry: Record<string, unknown>) => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private pumping: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly engine: Engine, private readonly options: WebhookSenderOptions) {
    this.log = options.log ?? (() => undefined);
    this.off = engine.on((event) => this.onEvent(event));
    this.timers.push(setInterval(() => this.wake(), options.pollMs ?? 1_000));
    this.timers.push(setInterval(() => void this.reconcile(), options.reconcileMs ?? 30_000));
    for (const timer of this.timers) timer.unref();
    void this.reconcile();
  }

  /** A receiver URL this sender would deliver to, normalised; see {@link checkPublicUrl} for what is refused. */
  async checkUrl(raw: string): Promise<string> {
    const url = await checkPublicUrl(raw, { ...(this.options.isAllowedAddress ? { isAllowedAddress: this.options.isAllowedAddress } : {}), ...(this.options.resolve ? { resolve: this.options.resolve } : {}) });
    return url.toString();
  }

  /** Registers a job's webhook (durably); if the job already ended, it is sent at once. */
  async register(jobId: string, userId: string, url: string): Promise<void> {
    await this.engine.webhooks.register(userId, jobId, url);
    this.wake();
  }

  private onEvent(event: EngineEvent): void {
    if ('jobId' in event && terminal.has(event.type)) {
      void this.engine.webhooks.jobEnded(event.jobId).then(() => this.wake(), () => undefined);
    }
  }

  /** Webhooks still waiting whose job has ended without this process hearing of it. */
  private async reconcile(): Promise<void> {
    try {
      for (const row of await this.engine.webhooks.waiting(200)) {
        const job = await this.engine.jobs.get(row.userId, row.jobId).catch(() => undefined);
        if (!job || ['succeeded', 'failed', 'cancelled'].includes(job.state)) await this.engine.webhooks.jobEnded(row.jobId);
      }
      this.wake();
    } catch (error) {
      this.log({ level: 'warn', message: 'webhook outbox could not be read', reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private wake(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    try {
      const due = await this.engine.webhooks.due(20);
      await Promise.all(due.map((row) => this.attempt(row)));
    } catch (error) {
      this.log({ level: 'warn', message: 'webhook outbox could not be read', reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private async attempt(row: JobWebhook): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    if (!(await this.engine.webhooks.claim(row.jobId, row.attempts, Date.now() + timeoutMs + 5_000))) return;
    const attempt = row.attempts + 1;
    const delays = this.options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000];
    let failure: string;
    try {
      const job = await this.engine.jobs.get(row.userId, row.jobId);
      const body = JSON.stringify({ type: `job.${job.state}`, timestamp: new Date().toISOString(), data: toWireJob(job, this.options.basePath ?? '') });
      const headers = { 'content-type': 'application/json', ...signWebhook(this.options.secret, `msg_${row.jobId}`, Math.floor(Date.now() / 1000), body) };
      const answer = await fetchPublicUrl(row.url, {
        method: 'POST', body, headers, maxBytes: 64 * 1024, timeoutMs, maxRedirects: 0,
        ...(this.options.isAllowedAddress ? { isAllowedAddress: this.options.isAllowedAddress } : {}),
        ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
      });
      if ((answer.status >= 200 && answer.status < 300) || answer.status === 410) {
        await this.engine.webhooks.delivered(row.jobId);
        this.log({ level: 'info', message: 'webhook delivered', job_id: row.jobId, status: answer.status, attempt });
        return;
      }
      failure = `the receiver answered HTTP ${answer.status}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const delay = delays[attempt - 1];
    await this.engine.webhooks.failed(row.jobId, failure, delay === undefined ? null : Date.now() + delay).catch(() => undefined);
    this.log({ level: delay === undefined ? 'error' : 'warn', message: delay === undefined ? 'webhook given up' : 'webhook failed, will retry', job_id: row.jobId, attempt, reason: failure });
  }

  /** Stops sending; what is not delivered stays in the outbox for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.off();
    for (const timer of this.timers) clearTimeout(timer);
    await this.pumping;
  }
}
