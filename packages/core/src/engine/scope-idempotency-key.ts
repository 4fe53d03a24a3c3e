/**
 * A client's Idempotency-Key scoped to the operation it was sent to, as one unambiguous string: the
 * same key sent to two operations (a feature call and a chat message, two features, two sessions)
 * names two independent records, and no choice of key text can forge another operation's scope.
 * Keys are already per user wherever they are stored.
 *
 * @param operation what the key was sent to, most general first, e.g. `['feature', 'upscale']`.
 * @returns JSON text such as `["feature","upscale","k9"]`.
 * @example
 * scopeIdempotencyKey(['chat.send', sessionId], key)
 */
export function scopeIdempotencyKey(operation: readonly string[], key: string): string {
  return JSON.stringify([...operation, key]);
}
