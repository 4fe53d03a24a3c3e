import { createHash } from 'node:crypto';
import { DarkroomError, errors, type ImageInput } from '@darkroom/plugin-api';
import type { EventBus } from '../events/event-bus.js';
import type { IntentRouter } from '../intent/intent-router.js';
import { createId } from '../store/create-id.js';
import type { ConversationStore, Message, MessageChangesQuery, MessagePage, MessageQuery, Session, SessionChanges, SessionPage, SessionQuery } from '../store/conversation-store.js';
import { maxJobPage, terminalJobStates } from '../jobs/job-types.js';
import type { AssetService } from './asset-service.js';
import { checkSessionFields } from './check-session-fields.js';
import { checkWellFormedText } from '../json/check-well-formed-text.js';
import type { JobService } from './job-service.js';
import type { ChatJobInput } from './workflows/create-chat-workflow.js';
import { holdImageBytes } from './hold-image-bytes.js';
import { scopeIdempotencyKey } from './scope-idempotency-key.js';
import { runInUnitOfWork } from '../store/unit-of-work.js';
import { recordTurnMessages } from './record-turn-messages.js';
import { intentHistoryMessages, toIntentHistory } from './intent-history.js';

import { isBlankText, maxMessageLength, textLength } from '@darkroom/plugin-api';

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
   * Creates a session with an optional title (at most 200 characters) and description (at most
   * 2000), both null when left out, stored trimmed (see `checkSessionFields`: text that shows nothing
   * is refused; null is "none"). With an idempotency key the session id is derived from user and
   * key, so a repeat answers the same session; the same key with another title or description is an
   * `idempotency_mismatch`; once that session is deleted, a repeat is refused with `conflict` (409,
   * `details.reason: "deleted"`): it is not created again. A field of the wrong type or length is
   * `invalid_input`.
   */
  async createSession(userId: string, options: { title?: string | null; description?: string | null; idempotencyKey?: string } = {}): Promise<Session> {
    const checked = checkSessionFields(options);
    const fields = { title: checked.title ?? null, description: checked.description ?? null };
    if (!options.idempotencyKey) return this.conversations.createSession({ userId, ...fields });
    const id = `ses_${createHash('sha256').update(`${userId}\n${scopeIdempotencyKey(['chat.createSession'], options.idempotencyKey)}`).digest('hex').slice(0, 29)}`;
    const session = await this.conversations.createSession({ userId, ...fields, id });
    if (session.userId !== userId || session.title !== fields.title || session.description !== fields.description) {
      throw new DarkroomError({ code: 'idempotency_mismatch', message: 'This Idempotency-Key was used for a different request; use a new key for a new request' });
    }
    return session;
  }

  async getSession(userId: string, id: string): Promise<Session> {
    const session = await this.conversations.getSession(userId, id);
    if (!session) throw errors.notFound('Session', id);
    return session;
  }

  /**
   * One page of the user's sessions, most recently active first (see `ConversationStore.listSessions`):
   * `{ sessions, nextCursor }`; pass `nextCursor` as `cursor` for the next page (null on the last).
   */
  async listSessions(userId: string, query: SessionQuery = {}): Promise<SessionPage> {
    return this.conversations.listSessions(userId, query);
  }

  /**
   * Renames or describes a session: each field given is set (null clears it), the others kept; the
   * session moves to the front of the list. At least one of `title`, `description` must be given.
   */
  async updateSession(userId: string, id: string, changes: SessionChanges): Promise<Session> {
    if (typeof changes !== 'object' || changes === null) throw errors.invalidInput('changes must be an object with title and/or description');
    const unknown = Object.keys(changes).filter((name) => name !== 'title' && name !== 'description');
    if (unknown.length > 0) throw errors.invalidInput(`${unknown.map((name) => JSON.stringify(name.slice(0, 100))).join(', ')} cannot be changed; a session takes title and description`, { fields: unknown.slice(0, 10) });
    const checked = checkSessionFields(changes);
    if (Object.keys(checked).length === 0) throw errors.invalidInput('Nothing to change: give title or description (a string, or null to clear it)');
    const updated = await this.conversations.updateSession(userId, id, checked);
    if (!updated) throw errors.notFound('Session', id);
    return updated;
  }

  /**
   * Deletes a session and its messages. Its turns still queued or running are cancelled first (their
   * provider calls aborted); a turn that still writes afterwards writes nothing (see `ConversationStore`).
   * The images the session made stay in the gallery.
   */
  async deleteSession(userId: string, id: string): Promise<void> {
    await this.getSession(userId, id);
    await this.cancelTurns(userId, id);
    if (!(await this.conversations.deleteSession(userId, id))) throw errors.notFound('Session', id);
  }

  /**
   * Why a message cannot go to a session that is not there: `conflict` (409, `details.reason:
   * "deleted"`) when the user deleted it (a replayed send among others), else `not_found`.
   */
  private async missingSession(userId: string, sessionId: string): Promise<DarkroomError> {
    if (!(await this.conversations.wasDeleted(userId, sessionId))) return errors.notFound('Session', sessionId);
    return errors.deleted(`Session ${JSON.stringify(sessionId)} has been deleted: nothing can be sent to it, and a send repeated with its Idempotency-Key is not run again; create a new session and send there`, { session_id: sessionId });
  }

  /** Cancels the user's chat jobs for this session that are queued or running. */
  private async cancelTurns(userId: string, sessionId: string): Promise<void> {
    for (const state of ['queued', 'running'] as const) {
      for (let cursor: string | undefined; ; ) {
        const page = await this.jobs.list(userId, { kind: 'chat', state, limit: maxJobPage, ...(cursor ? { cursor } : {}) });
        const turns = page.jobs.filter((job) => (job.input as ChatJobInput).sessionId === sessionId);
        await Promise.all(turns.map((job) => this.jobs.cancel(userId, job.id)));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
    }
  }

  /**
   * Starts a turn and answers with the assistant message id (status PROCESSING). The steps are
   * detected first, so the turn's cost is known (and charged) before anything is written; the job
   * plans from that detection. The job and the messages commit together on a queue in the engine's
   * database; on one elsewhere (BullMQ) the job is written first and writes them if we crash between.
   * A session that is not there is `not_found`, or `conflict` (409, `details.reason: "deleted"`) once
   * the user deleted it: a replayed Idempotency-Key never brings back a turn of a deleted session.
   */
  async send(request: SendMessage): Promise<SentMessage> {
    if (typeof request.content !== 'string') throw errors.invalidInput('content must be a string');
    checkWellFormedText(request.content, 'content');
    const content = request.content.trim();
    if (isBlankText(content) && request.image === undefined) throw errors.invalidInput('content is empty (or only spaces or invisible characters): say what to do, or send an image', { field: 'content' });
    const length = textLength(content);
    if (length > maxMessageLength) throw errors.invalidInput(`content is ${length} characters (Unicode code points) long; the limit is ${maxMessageLength}: shorten it`, { field: 'content' });
    const session = await this.conversations.getSession(request.userId, request.sessionId);
    if (!session) throw await this.missingSession(request.userId, request.sessionId);
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
      const { job, created } = await this.jobs.submit({
        userId: request.userId,
        kind: 'chat',
        input,
        // Bytes count by their SHA-256, not as JSON text.
        request: holdImageBytes({ sessionId: request.sessionId, content, image: request.image ?? null, mask: request.mask ?? null }).digest(),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...this.jobDefaults,
      });
      const stored = job.input as ChatJobInput;
      // A replayed key whose turn has ended wrote its messages already, or lost them with its
      // session: a reply written now would stay PROCESSING, as no run of the turn is left to finish it.
      if (created || !terminalJobStates.includes(job.state)) await recordTurnMessages(this.conversations, job.id, request.userId, stored);
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
