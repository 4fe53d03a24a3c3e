import type { StudioImage } from '@darkroom/plugin-api';

/**
 * Chat sessions and their messages: the conversation store. Domain types are camelCase with times in
 * epoch milliseconds; the HTTP server turns them into the seeds' snake_case wire format in one place.
 * Every implementation (SQL through kysely, MongoDB) must pass `describeConversationStoreContract`
 * from `@darkroom/core/testing`.
 */

export type MessageStatus = 'PROCESSING' | 'DONE' | 'FAILED';

/**
 * One chat session. Times are epoch ms; `updatedAt` is when the session was last active: created,
 * a message added, a new latest image, renamed or described.
 */
export interface Session {
  id: string;
  userId: string;
  /** At most `maxSessionTitleLength` (200) characters. */
  title: string | null;
  /** What the conversation is about, at most `maxSessionDescriptionLength` (2000) characters. */
  description: string | null;
  /** The newest image the session produced or received: what "it" refers to in the next message. */
  latestAssetId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A page request of a user's sessions: `limit` defaults to 20 (1..100). */
export interface SessionQuery {
  limit?: number;
  /** The `nextCursor` of the previous page (opaque): the page starts after the session it names. */
  cursor?: string;
}

/** Sessions most recently active first; `nextCursor` is null on the last page. */
export interface SessionPage {
  sessions: Session[];
  nextCursor: string | null;
}

/** What `updateSession` changes: each field given is set (null clears it), each left out is kept. */
export interface SessionChanges {
  title?: string | null;
  description?: string | null;
}

/** A stored image as results and messages refer to it: ids and URL, never bytes (the plugin API's `StudioImage`). */
export type ImageReference = StudioImage;

export interface MessageImage extends ImageReference {
  /** The feature that produced the image. */
  feature: string;
}

/** One step the router read from a message, as recorded on the assistant's answer. */
export interface DetectedIntentRecord {
  intent: string;
  feature: string;
  /** 0..1 */
  confidence: number;
  /**
   * The step's parameters as the feature's input schema names them (`{ scale: 4 }`, `{ num_images: 2 }`)
   * and, for a step that ran, the prompt it ran with; image references are left out.
   */
  parameters?: Record<string, unknown>;
}

/** What the assistant decided and produced, as in seed 000's conversation record. */
export interface MessageData {
  intents?: DetectedIntentRecord[];
  /** 0..1 */
  confidence?: number;
  /** Who decided: `rule-based`, or `provider:model` for a language model. */
  detector?: string;
  refinedPrompt?: string;
  negativePrompt?: string;
  images?: MessageImage[];
  /** The question the assistant asked instead of acting. */
  clarification?: string;
  error?: { code: string; message: string };
  imageUrl?: string;
}

/** One message of a session. Times are epoch ms; `updatedAt` is when the message was last written. */
export interface Message {
  id: string;
  sessionId: string;
  userId: string;
  role: 'user' | 'assistant';
  content: string;
  /** Set on assistant messages: `PROCESSING` while the turn runs, then `DONE` or `FAILED`. */
  status: MessageStatus | null;
  assetId: string | null;
  jobId: string | null;
  data: MessageData;
  createdAt: number;
  updatedAt: number;
}

/**
 * A message to insert. `createdAt` is its place in the conversation; the store sets `updatedAt` to
 * when it writes. Without `assetId`, `jobId` or `data` it is stored with none.
 */
export interface NewMessage extends Omit<Message, 'assetId' | 'jobId' | 'data' | 'updatedAt'> {
  assetId?: string | null;
  jobId?: string | null;
  data?: MessageData;
}

/** The most messages one page (or one read of changes) holds. */
export { maxMessagePage } from '@darkroom/plugin-api';

/** A page request: `order` defaults to `desc` (newest first), `limit` to 50 (1..200). */
export interface MessageQuery {
  limit?: number;
  order?: 'asc' | 'desc';
  /** The `nextCursor` of the previous page (a message id of the session): the page starts after it. */
  cursor?: string;
}

/** `nextCursor` is null on the last page. */
export interface MessagePage {
  messages: Message[];
  nextCursor: string | null;
}

/** A read of what changed: `since` is epoch ms; `after` is the last message of the previous read. */
export interface MessageChangesQuery {
  since: number;
  after?: Pick<Message, 'id' | 'updatedAt'>;
  /** 1..200, default 200. */
  limit?: number;
}

/**
 * Where sessions and messages live. Every read is scoped by user (and session): another user's
 * session or message is simply not found, never an error that tells it exists. Writes that a job
 * repeats after a crash (`createSession` with an id, `insertMessageOnce`, `completeMessage`) are safe
 * to repeat: the second call changes nothing or writes the same values. No message outlives its
 * session: once a session is deleted, a turn still running cannot write into it (inserts check the
 * session in the same atomic step; completing or setting an image changes nothing).
 */
export interface ConversationStore {
  /** Names the backend in logs and readiness reports (`sql`, `mongodb`). */
  readonly name: string;
  /** Resolves when the store answers; rejects with a typed `unavailable` error that says what to check. */
  ready(): Promise<void>;

  /**
   * Inserts a session; with a given id that already exists, changes nothing and answers the stored
   * session. A session id is never used twice: given the id of a session the user deleted, it creates
   * nothing and throws `sessionDeletedError` (409 `conflict`, `details.reason: "deleted"`), even when
   * the delete runs at the same moment.
   */
  createSession(input: { userId: string; title?: string | null; description?: string | null; id?: string }): Promise<Session>;
  getSession(userId: string, id: string): Promise<Session | undefined>;
  /** Whether the user deleted a session with this id (false for another user's, or one never created). */
  wasDeleted(userId: string, id: string): Promise<boolean>;
  /**
   * One page of the user's sessions, most recently active first (`updatedAt`, then `id`, both
   * descending), `limit` (1..100, default 20) at a time. `nextCursor` is set when more follow: pass it
   * as `cursor` for the next page. A session active while pages are read moves to the front, so a
   * walk may miss or repeat it. A cursor that is not a `nextCursor` of this list is an `invalid_input`
   * error (400).
   */
  listSessions(userId: string, query?: SessionQuery): Promise<SessionPage>;
  /** Sets the fields given and `updatedAt`; undefined when the session is not found (or is another user's). */
  updateSession(userId: string, id: string, changes: SessionChanges): Promise<Session | undefined>;
  /**
   * Deletes the session and all its messages (no message outlives its session), keeping only its id,
   * user and the time, so that `createSession` never creates that id again. False when not found.
   */
  deleteSession(userId: string, id: string): Promise<boolean>;
  /** Records the session's newest image and touches `updatedAt`; changes nothing when the session is gone. */
  setLatestAsset(sessionId: string, assetId: string): Promise<void>;

  /**
   * Inserts unless a message with this id exists, and touches the session's `updatedAt`: safe to
   * repeat after a crash. Only into the user's own session that exists: otherwise (deleted while the
   * turn ran, or another user's) nothing is written.
   */
  insertMessageOnce(message: NewMessage): Promise<void>;
  getMessage(userId: string, sessionId: string, id: string): Promise<Message | undefined>;
  /**
   * One page of a session's messages in conversation order (`createdAt`, then `id`), newest first by
   * default. `nextCursor` (the last message's id) is set when more messages follow in that order.
   * A cursor that is not a message of this session is an `invalid_input` error (400).
   */
  listMessages(userId: string, sessionId: string, query?: MessageQuery): Promise<MessagePage>;
  /**
   * Messages written (inserted or completed) at or after `since`, in the order written (`updatedAt`,
   * then `id`), at most `limit`, strictly after `after` when given. A full page means more may follow.
   */
  messageChanges(userId: string, sessionId: string, query: MessageChangesQuery): Promise<Message[]>;
  /**
   * Sets the final state of an assistant message and its `updatedAt`. Repeating it writes the same
   * values; a message that is gone (its session deleted) stays gone.
   */
  completeMessage(id: string, update: { status: MessageStatus; content: string; data: MessageData }): Promise<void>;
  /** Releases connections the store opened itself (not ones it was given). */
  close(): Promise<void>;
}
