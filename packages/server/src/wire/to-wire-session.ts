import type { session } from '@darkroom/api';
import type { z } from 'zod';
import type { Session } from '@darkroom/core';
import { isoTime } from './iso-time.js';

/** A chat session as the API writes it (`Session`): `session_id` repeats `id`, as seed 000 names it. */
export type WireSession = z.output<typeof session>;

/**
 * @example
 * toWireSession(await engine.chat.getSession(userId, id)).created_at; // '2026-11-30T09:14:53.000Z'
 */
export function toWireSession(session: Session): WireSession {
  return {
    session_id: session.id,
    id: session.id,
    user_id: session.userId,
    title: session.title,
    description: session.description,
    latest_asset_id: session.latestAssetId,
    created_at: isoTime(session.createdAt),
    updated_at: isoTime(session.updatedAt),
  };
}
