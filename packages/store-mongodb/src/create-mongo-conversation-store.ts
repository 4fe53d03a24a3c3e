import { errors, maxMessagePage, sessionDeletedError, parseSessionPageQuery, sessionPageCursor, storedMessageDataFields, toStoredMessageData, type ConversationStore } from '@darkroom/core';
import { MongoClient, ObjectId, type Document, type MongoClientOptions, type UpdateFilter } from 'mongodb';
import { databaseNameFromUrl } from './database-name-from-url.js';
import { isDuplicateKeyError, redactUrl, storeUnavailableError, toStoreError } from './mongo-store-errors.js';
import { readSessionMessage, readSessionMessages } from './read-session-messages.js';
import { toMessageDocument, toSession, type DeletedSessionDocument, type SessionDocument } from './session-document.js';
import { createSessionIndexes } from './session-indexes.js';

/** Where the store connects: a connection string (the store opens and closes its client) or a client you own. */
export type MongoConnection = { url: string; client?: never; clientOptions?: MongoClientOptions } | { client: MongoClient; url?: never; clientOptions?: never };

/**
 * Settings of `createMongoConversationStore`: a connection (`url` or `client`) and where in it the
 * sessions live.
 *
 * @example
 * const options: MongoConversationStoreOptions = { url: 'mongodb://127.0.0.1:27017/darkroom', readyTimeoutMs: 2_000 };
 */
export type MongoConversationStoreOptions = MongoConnection & {
  /** The database: this, else the one `url` names in its path, else `darkroom`. */
  databaseName?: string;
  /**
   * The collection of session documents. Default `sessions`. Deleted sessions' ids are kept in the
   * collection of this name with `_deleted` appended (`sessions_deleted`).
   */
  collectionName?: string;
  /** How long `ready()` waits for the ping and the indexes, in milliseconds. Default 5000. */
  readyTimeoutMs?: number;
};

// Undefined values are left out, as the SQL stores' JSON leaves them out, whatever the client's settings.
const writeOptions = { ignoreUndefined: true } as const;
const withoutMessages = { projection: { messages: 0 } } as const;

const pageSize = (limit: number | undefined, fallback: number): number => {
  const size = Math.trunc(limit ?? fallback);
  return Number.isNaN(size) ? fallback : Math.min(Math.max(size, 1), maxMessagePage);
};

/** Message elements (or sessions) after (`$gt`) or before (`$lt`) one in the order (`field`, then `idField`). */
const beyond = ([field, idField]: ['created_at' | 'updated_at', 'message_id' | 'session_id'], operator: '$gt' | '$lt', at: Date, id: string): Document => ({
  $or: [{ [field]: { [operator]: at } }, { [field]: at, [idField]: { [operator]: id } }],
});

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * The conversation store on MongoDB (official driver): one document per session in the `sessions`
 * collection, shaped like seed 000's conversation record (`session_id`, `user_id`, the `messages`
 * array, BSON dates), with its indexes created on first use. Answers camelCase domain objects with
 * times in epoch ms, like every `ConversationStore`.
 *
 * Writes a job repeats are safe to repeat without reading first: `createSession` with an id upserts
 * against a unique index, `insertMessageOnce` adds the message only where the session does not hold
 * its id, `completeMessage` sets the same fields again. Messages live in their session's document,
 * so deleting the session deletes them, and a turn still running finds no document to write into.
 * A deleted session's id is kept (with its user and the time, nothing else) in `sessions_deleted`,
 * marked before the document goes, so that `createSession` never creates that id again.
 * A session holds at most 16 MB (MongoDB's document limit) with its messages; a write past that is
 * a `conflict` that says to start a new session.
 *
 * Errors: a server that cannot be reached is a DarkroomError `unavailable` (503, retryable) that says
 * what to check; a connection string the driver cannot parse throws `configuration` here.
 *
 * @example
 * const conversations = createMongoConversationStore({ url: process.env.DARKROOM_MONGODB_URL! });
 * await conversations.ready();
 * const session = await conversations.createSession({ userId: 'u1', title: 'holiday' });
 * await conversations.close();
 */
export function createMongoConversationStore(options: MongoConversationStoreOptions): ConversationStore {
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  let client: MongoClient;
  if (options.client) client = options.client;
  else if (typeof options.url === 'string' && options.url.length > 0) {
    try {
      client = new MongoClient(options.url, { appName: 'darkroom', ...options.clientOptions });
    } catch (error) {
      throw errors.configuration(`The MongoDB connection string is not valid (${error instanceof Error ? error.message : String(error)}): expected mongodb://host:port/database or mongodb+srv://host/database (DARKROOM_MONGODB_URL)`);
    }
  } else throw errors.configuration('createMongoConversationStore needs a MongoDB connection string (url, as DARKROOM_MONGODB_URL) or a MongoClient (client)');
  const ownsClient = !options.client;

  const databaseName = options.databaseName ?? (options.url ? databaseNameFromUrl(options.url) : undefined) ?? 'darkroom';
  const where = options.url ? redactUrl(options.url) : client.options.hosts.map(String).join(',');
  const database = client.db(databaseName);
  const sessions = database.collection<SessionDocument>(options.collectionName ?? 'sessions');
  const deletedSessions = database.collection<DeletedSessionDocument>(`${sessions.collectionName}_deleted`);
  const wasDeleted = async (userId: string, id: string) => (await deletedSessions.findOne({ _id: id, user_id: userId })) !== null;

  let indexes: Promise<void> | undefined;
  const prepare = (): Promise<void> =>
    (indexes ??= createSessionIndexes(sessions).catch((error: unknown) => {
      indexes = undefined;
      throw error;
    }));
  /** Runs one operation once the indexes exist, its failures as DarkroomErrors. */
  const run = async <T>(work: () => Promise<T>, sessionId?: string): Promise<T> => {
    try {
      await prepare();
      return await work();
    } catch (error) {
      throw toStoreError(error, { where, databaseName, ...(sessionId !== undefined ? { sessionId } : {}) });
    }
  };

  return {
    name: 'mongodb',

    async ready() {
      try {
        await withTimeout(
          (async () => {
            await database.command({ ping: 1 });
            await prepare();
          })(),
          readyTimeoutMs,
        );
      } catch (error) {
        throw storeUnavailableError({ reason: error instanceof Error ? error.message : String(error), where, databaseName, cause: error });
      }
    },

    createSession: (input) =>
      run(async () => {
        const now = new Date();
        const fields = { user_id: input.userId, title: input.title ?? null, description: input.description ?? null, latest_asset_id: null, messages: [], created_at: now, updated_at: now };
        if (input.id === undefined) {
          const _id = new ObjectId();
          const document: SessionDocument = { _id, session_id: `ses_${_id.toHexString()}`, ...fields };
          await sessions.insertOne(document, writeOptions);
          return toSession(document);
        }
        let stored: SessionDocument | null = null;
        try {
          // An upsert on the unique session_id: of two callers with one id, one inserts and both answer the stored session.
          stored = await sessions.findOneAndUpdate({ session_id: input.id }, { $setOnInsert: fields }, { upsert: true, returnDocument: 'after', ...withoutMessages, ...writeOptions });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        stored ??= await sessions.findOne({ session_id: input.id }, withoutMessages);
        if (!stored) throw new Error(`session ${input.id} was neither inserted nor found`);
        // Read after the upsert: a delete that marked the id meanwhile is seen here, and what the upsert
        // inserted (or the delete has yet to remove) goes.
        if (await wasDeleted(input.userId, input.id)) {
          await sessions.deleteOne({ session_id: input.id, user_id: input.userId });
          throw sessionDeletedError(input.id);
        }
        return toSession(stored);
      }),

    getSession: (userId, id) =>
      run(async () => {
        const stored = await sessions.findOne({ session_id: id, user_id: userId }, withoutMessages);
        return stored ? toSession(stored) : undefined;
      }),

    listSessions: (userId, query) =>
      run(async () => {
        const { limit, after } = parseSessionPageQuery(query);
        const filter: Document = { user_id: userId, ...(after ? beyond(['updated_at', 'session_id'], '$lt', new Date(after.updatedAt), after.id) : {}) };
        const found = await sessions.find(filter, withoutMessages).sort({ updated_at: -1, session_id: -1 }).limit(limit + 1).toArray();
        const page = found.slice(0, limit).map(toSession);
        return { sessions: page, nextCursor: found.length > limit ? sessionPageCursor(page[page.length - 1]!) : null };
      }),

    updateSession: (userId, id, changes) =>
      run(async () => {
        const set: Document = {
          ...(changes.title !== undefined ? { title: changes.title } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          updated_at: new Date(),
        };
        const stored = await sessions.findOneAndUpdate({ session_id: id, user_id: userId }, { $set: set }, { returnDocument: 'after', ...withoutMessages, ...writeOptions });
        return stored ? toSession(stored) : undefined;
      }, id),

    wasDeleted: (userId, id) => run(() => wasDeleted(userId, id), id),

    deleteSession: (userId, id) =>
      run(async () => {
        if (!(await sessions.findOne({ session_id: id, user_id: userId }, { projection: { _id: 1 } }))) return false;
        // The id is marked first: a createSession of it from then on refuses (and removes what it inserted).
        await deletedSessions.updateOne({ _id: id }, { $setOnInsert: { user_id: userId, deleted_at: new Date() } }, { upsert: true });
        await sessions.deleteOne({ session_id: id, user_id: userId });
        return true;
      }, id),

    setLatestAsset: (sessionId, assetId) =>
      run(async () => {
        await sessions.updateOne({ session_id: sessionId }, { $set: { latest_asset_id: assetId, updated_at: new Date() } });
      }, sessionId),

    insertMessageOnce: (message) =>
      run(async () => {
        // Added only to the user's session and only where the session does not hold this id yet: the
        // filter and the write are one atomic step on the document. `$addToSet` rather than `$push`
        // because the test server has no `$push`; with the filter it adds the element exactly once.
        // A session that does not exist (deleted mid-turn, or another user's) takes no message. The
        // session was active: its updated_at moves with the insert.
        const now = new Date();
        await sessions.updateOne(
          { session_id: message.sessionId, user_id: message.userId, 'messages.message_id': { $ne: message.id } },
          { $addToSet: { messages: toMessageDocument(message, now) }, $set: { updated_at: now } },
          writeOptions,
        );
      }, message.sessionId),

    getMessage: (userId, sessionId, id) => run(() => readSessionMessage(sessions, { userId, sessionId }, id)),

    listMessages: (userId, sessionId, query = {}) =>
      run(async () => {
        const limit = pageSize(query.limit, 50);
        const order = query.order ?? 'desc';
        const direction = order === 'desc' ? -1 : 1;
        const stages: Document[] = [];
        if (query.cursor !== undefined) {
          const at = await readSessionMessage(sessions, { userId, sessionId }, query.cursor);
          if (!at) throw errors.invalidInput(`cursor ${JSON.stringify(query.cursor)} is not a message of this session; pass the nextCursor of the previous page`, { cursor: query.cursor });
          stages.push({ $match: beyond(['created_at', 'message_id'], order === 'desc' ? '$lt' : '$gt', new Date(at.createdAt), at.id) });
        }
        stages.push({ $sort: { created_at: direction, message_id: direction } }, { $limit: limit + 1 });
        const found = await readSessionMessages(sessions, { userId, sessionId }, stages);
        const messages = found.slice(0, limit);
        return { messages, nextCursor: found.length > limit ? messages[messages.length - 1]!.id : null };
      }),

    messageChanges: (userId, sessionId, query) =>
      run(async () => {
        if (!Number.isFinite(query.since)) throw errors.invalidInput(`since must be a time in epoch milliseconds, not ${String(query.since)}`);
        const stages: Document[] = [{ $match: { updated_at: { $gte: new Date(query.since) } } }];
        if (query.after) stages.push({ $match: beyond(['updated_at', 'message_id'], '$gt', new Date(query.after.updatedAt), query.after.id) });
        stages.push({ $sort: { updated_at: 1, message_id: 1 } }, { $limit: pageSize(query.limit, maxMessagePage) });
        return readSessionMessages(sessions, { userId, sessionId }, stages);
      }),

    completeMessage: (id, update) =>
      run(async () => {
        // `$[message]` with an array filter: the test server has no positional `$`.
        const element = (field: string) => `messages.$[message].${field}`;
        const data = toStoredMessageData(update.data);
        const set: Document = { [element('status')]: update.status, [element('content')]: update.content, [element('updated_at')]: new Date() };
        for (const [field, value] of Object.entries(data)) set[element(field)] = value;
        const unset: Document = {};
        for (const field of storedMessageDataFields) if (!(field in data)) unset[element(field)] = '';
        await sessions.updateOne({ 'messages.message_id': id }, { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) } as UpdateFilter<SessionDocument>, { arrayFilters: [{ 'message.message_id': id }], ...writeOptions });
      }),

    async close() {
      if (ownsClient) await client.close();
    },
  };
}
