import type { ImageInput } from '../plugin/image-input.js';

// What a plugin's route sees of the engine: the studio of the user who called it. Each type is the
// subset of the engine's own (`@darkroom/core`) that a route needs, declared here structurally, so a
// plugin builds against this package alone and core's values fit it as they are. Times are epoch ms.

/** A stored image: its asset, its gallery row and the URL it is served at (under the server's base path). */
export interface StudioImage {
  assetId: string;
  galleryId: string;
  url: string;
  /** Pixels. */
  width: number;
  height: number;
  mimeType: string;
}

/** A chat session (a conversation) of the user. */
export interface StudioSession {
  id: string;
  title: string | null;
  description: string | null;
  /** The newest image of the session: what "it" means in the next message. */
  latestAssetId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One message of a session; an assistant message is `PROCESSING` until its turn ends `DONE` or `FAILED`. */
export interface StudioMessage {
  id: string;
  sessionId: string;
  role: 'user' | 'assistant';
  content: string;
  status: 'PROCESSING' | 'DONE' | 'FAILED' | null;
  /** The image sent with a user message. */
  assetId: string | null;
  jobId: string | null;
  /** What the assistant made (images, each with the feature that made it), asked (`clarification`) or met (`error`). */
  data: {
    images?: (StudioImage & { feature: string })[];
    refinedPrompt?: string;
    clarification?: string;
    error?: { code: string; message: string };
  };
  createdAt: number;
  updatedAt: number;
}

/** A message to send: text and, optionally, an image to work on and a mask (white where to act). */
export interface StudioMessageInput {
  content: string;
  /** Any image form (`{ asset_id }`, a data URI, `{ base64, mime_type }`) or raw bytes (stored as they are). */
  image?: ImageInput | Uint8Array;
  mask?: ImageInput | Uint8Array;
  /** The same key and message again answers the first turn (pass the request's `idempotencyKey`). */
  idempotencyKey?: string;
}

/** A turn that started: the assistant message to wait for, the user's message and the turn's job. */
export interface StudioSentMessage {
  messageId: string;
  userMessageId: string;
  jobId: string;
}

/** A finished turn: the user's message and the assistant's answer (`DONE` with images or a question, or `FAILED` with `data.error`). */
export interface StudioTurn {
  userMessage: StudioMessage;
  assistantMessage: StudioMessage;
}

/** A finished feature run: its stored images (each in the gallery), who made them and what the feature reported. */
export interface StudioFeatureResult {
  jobId: string;
  feature: string;
  images: StudioImage[];
  provider: string;
  model: string;
  seed?: number;
  metadata: Record<string, unknown>;
}

/** One image of the user's gallery; `origin` says whether a direct call or a chat turn made it. */
export interface StudioGalleryItem {
  id: string;
  assetId: string;
  imageUrl: string;
  refinedPrompt: string | null;
  feature: string | null;
  provider: string | null;
  model: string | null;
  seed: number | null;
  origin: { source: 'direct' } | { source: 'chat'; sessionId: string; messageId: string };
  metadata: Record<string, unknown>;
  createdAt: number;
  deletedAt: number | null;
}

/** A page: pass `nextCursor` as `cursor` for the next one (null on the last). */
export interface StudioPage {
  limit?: number;
  cursor?: string;
}

/**
 * The studio as one user sees it: sessions and their messages, feature runs and the gallery, every
 * call bound to that user (there is no user id to pass, so no way to act for another user; another
 * user's ids are `not_found`). A plugin's route handler gets the caller's; a host app gets one from
 * `engine.forUser(userId, { signal })`. Failures are `DarkroomError`s (`not_found`, `invalid_input`,
 * `rate_limited`…), which the server answers with their HTTP status.
 *
 * @example
 * const session = await studio.sessions.create({ title: 'Rings', idempotencyKey });
 * const { assistantMessage } = await studio.sessions.sendAndWait(session.id, { content: 'a gold ring with a ruby' });
 * const images = assistantMessage.data.images ?? [];
 */
export interface UserStudio {
  readonly userId: string;
  readonly sessions: {
    /** With `idempotencyKey`, the same key answers the same session (another title or description: `idempotency_mismatch`). */
    create(input?: { title?: string | null; description?: string | null; idempotencyKey?: string }): Promise<StudioSession>;
    /** The user's sessions, most recently active first, a page at a time. */
    list(query?: StudioPage): Promise<{ sessions: StudioSession[]; nextCursor: string | null }>;
    get(id: string): Promise<StudioSession>;
    /** Changes the fields given (`null` clears one) and answers the session. */
    update(id: string, changes: { title?: string | null; description?: string | null }): Promise<StudioSession>;
    /** Deletes the session and its messages; its images stay in the gallery. */
    delete(id: string): Promise<void>;
    /** A page of the conversation, newest first unless `order: 'asc'`. */
    messages(id: string, query?: StudioPage & { order?: 'asc' | 'desc' }): Promise<{ messages: StudioMessage[]; nextCursor: string | null }>;
    /** Starts a turn and answers at once; the assistant message is `PROCESSING` until the turn's job ends. */
    send(id: string, message: StudioMessageInput): Promise<StudioSentMessage>;
    /**
     * Sends a message and waits for the turn to end (at most `timeoutMs`; then `timeout`, and the turn
     * goes on): answers both messages, a failed turn included (read `assistantMessage.status`).
     */
    sendAndWait(id: string, message: StudioMessageInput & { timeoutMs?: number }): Promise<StudioTurn>;
  };
  readonly features: {
    /**
     * Runs a feature (`generate`, `upscale`, a plugin's) and waits for its result; its images are
     * stored and recorded in the gallery (`source: "direct"`). Image fields take any image form or bytes.
     */
    run(featureId: string, input: Record<string, unknown>, options?: { idempotencyKey?: string; timeoutMs?: number }): Promise<StudioFeatureResult>;
  };
  readonly gallery: {
    get(id: string): Promise<StudioGalleryItem>;
    /** Live images, newest first, filtered by session, source (`chat`, `direct`) or intent. */
    list(query?: StudioPage & { sessionId?: string; source?: 'chat' | 'direct'; intent?: string }): Promise<{ items: StudioGalleryItem[]; nextCursor: string | null }>;
    /** Soft delete: the image leaves the gallery and its shared links stop working (restorable over HTTP). */
    delete(id: string): Promise<void>;
  };
}
