import { errors, maxSessionPage } from '@darkroom/plugin-api';
import type { Session, SessionQuery } from './conversation-store.js';

/** Where a page of a session list starts: strictly after this session in the list's order. */
export interface SessionListPosition {
  updatedAt: number;
  id: string;
}

/** A session list page request as a store runs it: a clamped limit and the decoded cursor. */
export interface SessionPageQuery {
  /** 1..`maxSessionPage`. */
  limit: number;
  after?: SessionListPosition;
}

/**
 * The `nextCursor` that continues a session list after `session`: base64url of its `updatedAt` and
 * `id`, opaque to callers.
 *
 * @example
 * sessionPageCursor({ updatedAt: 1767607200000, id: 'ses_1' }); // 'WzE3Njc2MDcyMDAwMDAsInNlc18xIl0'
 */
export function sessionPageCursor(session: Pick<Session, 'updatedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([session.updatedAt, session.id])).toString('base64url');
}

/**
 * A `SessionQuery` as every conversation store runs it: `limit` clamped to 1..100 (default 20) and
 * `cursor` decoded (see `sessionPageCursor`).
 *
 * @throws DarkroomError `invalid_input` (400) for a cursor that is not a `nextCursor` of a session list.
 * @example
 * const { limit, after } = parseSessionPageQuery({ limit: 10, cursor: page.nextCursor ?? undefined });
 */
export function parseSessionPageQuery(query: SessionQuery = {}): SessionPageQuery {
  const size = Math.trunc(query.limit ?? 20);
  const limit = Number.isNaN(size) ? 20 : Math.min(Math.max(size, 1), maxSessionPage);
  if (query.cursor === undefined) return { limit };
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (!Array.isArray(position) || position.length !== 2 || !Number.isSafeInteger(position[0]) || typeof position[1] !== 'string' || position[1].length === 0) {
    throw errors.invalidInput(`cursor ${JSON.stringify(query.cursor.slice(0, 100))} is not a next_cursor of a session list; pass the next_cursor of a previous page, or no cursor for the first page`, { cursor: query.cursor.slice(0, 100) });
  }
  return { limit, after: { updatedAt: position[0] as number, id: position[1] } };
}
