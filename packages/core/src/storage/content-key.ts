import { createHash } from 'node:crypto';

/** The content address of bytes: lowercase hex SHA-256. */
export function contentKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
