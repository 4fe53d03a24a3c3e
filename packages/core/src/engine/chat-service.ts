import { createHash } from 'node:crypto';
import { DarkroomError, errors, type ImageInput } from '@darkroom/plugin-api';
import type { EventBus } from '../events/event-bus.js';
import type { IntentRouter } from '../intent/intent-router.js';
import { createId } from '../store/create-id.js';
import type { ConversationStore, Message, MessageChangesQuery, MessagePage, MessageQuery, Session } from '../store/conversation-store.js';
import type { AssetService } from './asset-service.js';
import type { JobService } from './job-service.js';
import type { ChatJobInput } from './workflows/create-chat-workflow.js';
import { holdImageBytes } from './hold-image-bytes.js';
import { scopeIdempotencyKey } from './scope-idempotency-key.js';
import { runInUnitOfWork } from '../store/unit-of-work.js';
import { recordTurnMessages } from './record-turn-messages.js';
import { intentHistoryMessages, toIntentHistory } from './intent-history.js';

import { maxMessageLength } from '@darkroom/plugin-api';

export { maxMessageLength };

export interface SendMessage {
  userId: string;
  sessionId: string;
  content: string;
  /**
   * An image sent with the message (any image input, raw bytes too: stored as they are once the
   * session, the message and the idempotency key have been checked); it becomes the session's latest image.
   */
  image?: ImageInput | Uint8Array;
  /** A mask for features that take one (object removal): white where to act. */
  mask?: ImageInput | Uint8Array;
  idempotencyKey?: string;
  /**
   * Called with the turn's cost in work units (its step count, see `IntentRouter.cost`) after the
   * message is understood and before anything is stored or run; throw to refuse the turn (the
   * server's rate limit does, with 429).
   */
  charge?: (units: number) => void | Promise<void>;
}

/** A turn that started: the assistant message to poll (PROCESSING until the job ends), the user's message and the job. */
export interface SentMessage {
  messageId: string;
  userMessageId: string;
  jobId: string;
  status: 'PROCESSING';
}

/** The chat flow: sessions, messages and turns. A turn is a job; the reply is its last step. */
export class ChatService {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly assets: AssetService,
    private readonly jobs: JobService,
    private readonly router: IntentRouter,
    private readonly jobDefaults: { maxAttempts: number; timeoutMs: number },
    private readonly events: EventBus,
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
    if (!options.idempotencyKey) return this.conversations.createSession({ userId, title });
    const id = `ses_${createHash('sha256').update(`${userId}\n${scopeIdempotencyKey(['chat.createSession'], options.idempotencyKey)}`).digest('hex').slice(0, 29)}`;
    const session = await this.conversations.createSession({ userId, title, id });
    if (session.userId !== userId || session.title !== title) {
      throw new DarkroomError({ code: 'idempotency_mismatch', message: 'This Idempotency-Key was used for a different request; use a new key for a new request' });
    }
    return session;
  }

  async getSession(userId: string, id: string): Promise<Session> {
    const session = await this.conversations.getSession(userId, id);
    if (!session) throw errors.notFound('Session', id);
    return session;
  }

  async deleteSession(userId: string, id: string): Promise<void> {
    if (!(await this.conversations.deleteSession(userId, id))) throw errors.notFound('Session', id);
  }

  /**
   * Starts a turn and answers with the assistant message id (status PROCESSING). The steps are
   * detected first, so the turn's cost is known (and charged) before anything is written; the job
   * plans from that detection. The job and the messages commit together on a queue in the engine's
   * database; on one elsewhere (BullMQ) the job is written first and writes them if we crash between.
   */
  async send(request: SendMessage): Promise<SentMessage> {
    if (typeof request.content !== 'string') throw errors.invalidInput('content must be a string');
    const content = request.content.trim();
    if (!content && request.image === undefined) throw errors.invalidInput('content must not be empty');
    if (content.length > maxMessageLength) throw errors.invalidInput(`content is ${content.length} characters; the limit is ${maxMessageLength}`);
    const session = await this.getSession(request.userId, request.sessionId);
    // The session's last messages, when detection reads them (a language model, or a feature that revises its last run).
    const history = this.router.readsHistory() ? toIntentHistory((await this.conversations.listMessages(request.userId, request.sessionId, { limit: intentHistoryMessages })).messages) : [];
    const detection = await this.router.detect(content, {
      images: { image: request.image !== undefined ? 'attached' : session.latestAssetId ? 'session' : 'none', mask: request.mask !== undefined },
      ...(history.length > 0 ? { history } : {}),
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
    // The job and its messages commit together (one unit of work) when the queue is in the same database.
    const { job, stored } = await runInUnitOfWork(async () => {
      const { job } = await this.jobs.submit({
        userId: request.userId,
        kind: 'chat',
        input,
        // Bytes count by their SHA-256, not as JSON text.
        request: holdImageBytes({ sessionId: request.sessionId, content, image: request.image ?? null, mask: request.mask ?? null }).digest(),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...this.jobDefaults,
      });
      const stored = job.input as ChatJobInput;
      await recordTurnMessages(this.conversations, job.id, request.userId, stored);
      return { job, stored };
    });
    // Told here, in the process that took the message, so that its session streams follow the turn's
    // job from its first event even when a worker elsewhere runs it.
    this.events.emit({ type: 'message.updated', userId: request.userId, sessionId: stored.sessionId, messageId: stored.assistantMessageId, jobId: job.id, status: 'PROCESSING' });
    return { messageId: stored.assistantMessageId, userMessageId: stored.userMessageId, jobId: job.id, status: 'PROCESSING' };
  }

  /**
   * One page of a session's messages, newest first unless `order: 'asc'`: `{ messages, nextCursor }`;
   * pass `nextCursor` as `cursor` for the next page (null on the last).
   */
  async history(userId: string, sessionId: string, query: MessageQuery = {}): Promise<MessagePage> {
    await this.getSession(userId, sessionId);
    return this.conversations.listMessages(userId, sessionId, query);
  }

  /**
   * Messages written (sent, or finished by the assistant) at or after `since` (epoch ms), oldest write
   * first, at most `limit` (default 200): a full answer means more may follow after its last message.
   */
  async changes(userId: string, sessionId: string, query: MessageChangesQuery): Promise<Message[]> {
    await this.getSession(userId, sessionId);
    return this.conversations.messageChanges(userId, sessionId, query);
  }

  async message(userId: string, sessionId: string, id: string): Promise<Message> {
    const message = await this.conversations.getMessage(userId, sessionId, id);
    if (!message) throw errors.notFound('Message', id);
    return message;
  }
}
