import { errors, type StudioMessageInput, type StudioPage, type UserStudio } from '@darkroom/plugin-api';
import type { ImageReference, Message } from '../store/conversation-store.js';
import type { GalleryItem } from '../store/gallery-store.js';
import type { Engine } from './engine.js';

export interface UserStudioOptions {
  /**
   * Aborting it stops the studio's waits (`sessions.sendAndWait`, `features.run` reject with
   * `cancelled`; the turn or job goes on and can be looked up) and refuses its calls from then on.
   * The server passes the request's signal.
   */
  signal?: AbortSignal;
  /** Writes each stored image's URL in what the studio answers (the server puts them under its base path); as stored by default. */
  imageUrl?: (url: string) => string;
}

/**
 * `engine.forUser(userId, options)`: the engine's sessions, messages, feature runs and gallery with
 * every call bound to one user (`UserStudio` of `@darkroom/plugin-api`, which it satisfies). Calls
 * go through the engine's own methods, so what wraps them (the server's per-key rate limit charges
 * `submit` and `chat.send`) applies here too.
 */
export function createUserStudio(engine: Engine, userId: string, options: UserStudioOptions = {}) {
  if (typeof userId !== 'string' || userId === '') throw errors.invalidInput('forUser needs the user id (a non-empty string) every call of the studio is bound to');
  const { signal } = options;
  const url = options.imageUrl ?? ((stored: string) => stored);
  const waitOptions = (timeoutMs?: number) => ({ ...(signal ? { signal } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  const key = (idempotencyKey?: string) => (idempotencyKey ? { idempotencyKey } : {});
  /** Refuses a call once the signal is aborted (the client went away): nothing more is done for it. */
  const stillWanted = () => {
    if (signal?.aborted) throw errors.cancelled('The request was aborted: nothing more was done for it');
  };
  const image = <Image extends ImageReference>(stored: Image): Image => ({ ...stored, url: url(stored.url) });
  const message = (stored: Message): Message => ({
    ...stored,
    data: { ...stored.data, ...(stored.data.images ? { images: stored.data.images.map(image) } : {}), ...(stored.data.imageUrl ? { imageUrl: url(stored.data.imageUrl) } : {}) },
  });
  const galleryItem = (stored: GalleryItem): GalleryItem => ({ ...stored, imageUrl: url(stored.imageUrl) });

  const sessions = {
    async create(input: { title?: string | null; description?: string | null; idempotencyKey?: string } = {}) {
      stillWanted();
      return engine.chat.createSession(userId, { title: input.title ?? null, description: input.description ?? null, ...key(input.idempotencyKey) });
    },
    async list(query: StudioPage = {}) {
      stillWanted();
      return engine.chat.listSessions(userId, { ...(query.limit !== undefined ? { limit: query.limit } : {}), ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) });
    },
    async get(id: string) {
      stillWanted();
      return engine.chat.getSession(userId, id);
    },
    async update(id: string, changes: { title?: string | null; description?: string | null }) {
      stillWanted();
      return engine.chat.updateSession(userId, id, { ...(changes.title !== undefined ? { title: changes.title } : {}), ...(changes.description !== undefined ? { description: changes.description } : {}) });
    },
    async delete(id: string) {
      stillWanted();
      await engine.chat.deleteSession(userId, id);
    },
    async messages(id: string, query: StudioPage & { order?: 'asc' | 'desc' } = {}) {
      stillWanted();
      const page = await engine.chat.history(userId, id, { ...(query.limit !== undefined ? { limit: query.limit } : {}), ...(query.order ? { order: query.order } : {}), ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) });
      return { messages: page.messages.map(message), nextCursor: page.nextCursor };
    },
    async send(id: string, input: StudioMessageInput) {
      stillWanted();
      return engine.chat.send({
        userId,
        sessionId: id,
        content: input.content,
        ...(input.image !== undefined ? { image: input.image } : {}),
        ...(input.mask !== undefined ? { mask: input.mask } : {}),
        ...key(input.idempotencyKey),
      });
    },
    async sendAndWait(id: string, input: StudioMessageInput & { timeoutMs?: number }) {
      const sent = await sessions.send(id, input);
      // The turn's messages are written before its job ends (a failed turn's too).
      await engine.jobs.wait(userId, sent.jobId, waitOptions(input.timeoutMs));
      const [userMessage, assistantMessage] = await Promise.all([engine.chat.message(userId, id, sent.userMessageId), engine.chat.message(userId, id, sent.messageId)]);
      return { userMessage: message(userMessage), assistantMessage: message(assistantMessage) };
    },
  };

  return {
    userId,
    sessions,
    features: {
      /** Queued as a job like `POST /v1/features/<route>` (and charged like it), then waited for. */
      async run(featureId: string, input: Record<string, unknown>, runOptions: { idempotencyKey?: string; timeoutMs?: number } = {}) {
        stillWanted();
        const job = await engine.submit(featureId, input, { userId, ...key(runOptions.idempotencyKey), ...(runOptions.timeoutMs !== undefined ? { timeoutMs: runOptions.timeoutMs } : {}) });
        const result = await engine.result(userId, job.id, waitOptions(runOptions.timeoutMs));
        return { ...result, images: result.images.map(image) };
      },
    },
    gallery: {
      async get(id: string) {
        stillWanted();
        return galleryItem(await engine.gallery.get(userId, id));
      },
      async list(query: StudioPage & { sessionId?: string; source?: 'chat' | 'direct'; intent?: string } = {}) {
        stillWanted();
        // Only the fields the studio takes: its list never shows deleted rows.
        const { limit, cursor, sessionId, source, intent } = query;
        const page = await engine.gallery.list(userId, {
          ...(limit !== undefined ? { limit } : {}),
          ...(cursor !== undefined ? { cursor } : {}),
          ...(sessionId !== undefined ? { sessionId } : {}),
          ...(source !== undefined ? { source } : {}),
          ...(intent !== undefined ? { intent } : {}),
        });
        return { items: page.items.map(galleryItem), nextCursor: page.nextCursor };
      },
      async delete(id: string) {
        stillWanted();
        await engine.gallery.delete(userId, id);
      },
    },
    // Checked where it is built: the engine's studio, in the engine's own types, fits the plugin API's interface.
  } satisfies UserStudio;
}

/** What `engine.forUser` answers: the studio of one user, in the engine's own types (it fits `UserStudio`). */
export type EngineUserStudio = ReturnType<typeof createUserStudio>;
