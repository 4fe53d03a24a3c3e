import { createHash } from 'node:crypto';
import { DarkroomError } from '../errors/darkroom-error.js';
import { errors } from '../errors/errors.js';
import type { IntentRouter } from '../intent/intent-router.js';
import type { ImageInput } from '../plugin/image-input.js';
import { createId } from '../store/create-id.js';
import type { Message, MessageChangesQuery, MessagePage, MessageQuery, MessageStore } from '../store/message-store.js';
import type { Session, SessionStore } from '../store/session-store.js';
import type { AssetService } from './asset-service.js';
import type { JobService } from './job-service.js';
import type { ChatJobInput } from './workflows/create-chat-workflow.js';
import { scopeIdempotencyKey } from './scope-idempotency-key.js';

export const maxMessageLength = 4000;

export interface SendMessage {
  userId: string;
  sessionId: string;
  content: string;
  /** An image sent with the message; it becomes the session's latest image. */
  image?: ImageInput;
  /** A mask for features that take one (object removal): white where to act. */
  mask?: ImageInput;
  idempotencyKey?: string;
  /**
   * Called with the turn's cost in work units (its step count, see `IntentRouter.cost`) after the
   * message is understood and before anything is stored or run; throw to refuse the turn (the
   * server's rate limit does, with 429).
   */
  charge?: (units: number) => void | Promise<void>;
}

export interface SentMessage {
  message_id: string;
  user_message_id: string;
  job_id: string;
  status: 'PROCESSING';
}

/** The chat flow: sessions, messages and turns. A turn is a job; the reply is its last step. */
export class ChatService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly messages: MessageStore,
    private readonly assets: AssetService,
    private readonly jobs: JobService,
    private readonly router: IntentRouter,
    private readonly jobDefaults: { maxAttempts: number; timeoutMs: number },
  ) {}

  /**
   * Creates a session. With an idempotency key the session id is derived from user and key, so a
   * repeat answers the same session; the same key with another title is an `idempotency_mismatch`.
   */
  async createSession(userId: string, options: { title?: string | null; idempotencyKey?: string } = {}): Promise<Session> {
    if (options.title !== undefined && options.title !== null && (typeof options.title !== 'string' || options.title.length > 200)) {
      throw errors.invalidInput('title must be a string of at most 200 characters');
    }
    const title = options.title ?? null;
    if (!options.idempotencyKey) return this.sessions.create({ userId, title });
    const id = `ses_${createHash('sha256').update(`${userId}\n${scopeIdempotencyKey(['chat.createSession'], options.idempotencyKey)}`).digest('hex').slice(0, 29)}`;
    const session = await this.sessions.create({ userId, title, id });
    if (session.user_id !== userId || session.title !== title) {
      throw new DarkroomError({ code: 'idempotency_mismatch', message: 'This Idempotency-Key was used for a different request; use a new key for a new request' });
    }
    return session;
  }

  async getSession(userId: string, id: string): Promise<Session> {
    const session = await this.sessions.get(userId, id);
    if (!session) throw errors.notFound('Session', id);
    return session;
  }

  async deleteSession(userId: string, id: string): Promise<void> {
    if (!(await this.sessions.delete(userId, id))) throw errors.notFound('Session', id);
  }

  /**
   * Starts a turn and answers with the assistant message id (status PROCESSING). The steps are
   * detected first, so the turn's cost is known (and charged) before anything is written; the job
   * plans from that detection. The job is written before the messages; it writes them again if we
   * crash between.
   */
  async send(request: SendMessage): Promise<SentMessage> {
    if (typeof request.content !== 'string') throw errors.invalidInput('content must be a string');
    const content = request.content.trim();
    if (!content && request.image === undefined) throw errors.invalidInput('content must not be empty');
    if (content.length > maxMessageLength) throw errors.invalidInput(`content is ${content.length} characters; the limit is ${maxMessageLength}`);
    const session = await this.getSession(request.userId, request.sessionId);
    const detection = await this.router.detect(content, {
      images: { image: request.image !== undefined ? 'attached' : session.latest_asset_id ? 'session' : 'none', mask: request.mask !== undefined },
    });
    await request.charge?.(this.router.cost(detection));
    const idempotencyKey = request.idempotencyKey ? scopeIdempotencyKey(['chat.send', request.sessionId], request.idempotencyKey) : undefined;
    const images = await this.assets.externalize(
      request.userId,
      { image: request.image, mask: request.mask },
      idempotencyKey ? { effectKey: `idempotency:${request.userId}:${idempotencyKey}` } : {},
    );
    const assetId = (value: unknown) => (value as { asset_id?: string } | undefined)?.asset_id;
    const input: ChatJobInput = {
      sessionId: request.sessionId,
      userMessageId: createId('msg'),
      assistantMessageId: createId('msg'),
      content,
      ...(assetId(images.image) ? { imageAssetId: assetId(images.image)! } : {}),
      ...(assetId(images.mask) ? { maskAssetId: assetId(images.mask)! } : {}),
      sentAt: Date.now(),
      detection,
    };
    const { job } = await this.jobs.submit({
      userId: request.userId,
      kind: 'chat',
      input,
      request: { sessionId: request.sessionId, content, image: request.image ?? null, mask: request.mask ?? null },
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...this.jobDefaults,
    });
    const stored = job.input as ChatJobInput;
    await this.messages.insertOnce({ id: stored.userMessageId, sessionId: stored.sessionId, userId: request.userId, role: 'user', content: stored.content, status: null, assetId: stored.imageAssetId ?? null, createdAt: stored.sentAt });
    await this.messages.insertOnce({ id: stored.assistantMessageId, sessionId: stored.sessionId, userId: request.userId, role: 'assistant', content: '', status: 'PROCESSING', jobId: job.id, createdAt: stored.sentAt + 1 });
    return { message_id: stored.assistantMessageId, user_message_id: stored.userMessageId, job_id: job.id, status: 'PROCESSING' };
  }

  /**
   * One page of a session's messages, newest first unless `order: 'asc'`: `{ messages, next_cursor }`;
   * pass `next_cursor` as `cursor` for the next page (null on the last).
   */
  async history(userId: string, sessionId: string, query: MessageQuery = {}): Promise<MessagePage> {
    await this.getSession(userId, sessionId);
    return this.messages.list(userId, sessionId, query);
  }

  /**
   * Messages written (sent, or finished by the assistant) at or after `since` (epoch ms), oldest write
   * first, at most `limit` (default 200): a full answer means more may follow after its last message.
   */
  async changes(userId: string, sessionId: string, query: MessageChangesQuery): Promise<Message[]> {
    await this.getSession(userId, sessionId);
    return this.messages.changes(userId, sessionId, query);
  }

  async message(userId: string, sessionId: string, id: string): Promise<Message> {
    const message = await this.messages.get(userId, sessionId, id);
    if (!message) throw errors.notFound('Message', id);
    return message;
  }
}
