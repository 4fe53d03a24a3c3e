import { randomBytes } from 'node:crypto';

let lastTime = 0;
let sequence = 0;

/**
 * A sortable, unguessable id: `prefix_` + 9 base-36 time chars + 4 sequence chars + 16 random chars (80 bits).
 * Ids made later in the same process sort after earlier ones.
 */
export function createId(prefix: string): string {
  const now = Date.now();
  if (now === lastTime) sequence += 1;
  else {
    lastTime = now;
    sequence = 0;
  }
  const random = BigInt(`0x${randomBytes(10).toString('hex')}`).toString(36).padStart(16, '0');
  return `${prefix}_${now.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${random}`;
}
