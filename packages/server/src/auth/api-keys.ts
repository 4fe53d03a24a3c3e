import { createHash, timingSafeEqual } from 'node:crypto';

/** One configured key: the user it stands for and the key itself (hashed as soon as it is read). */
export interface ApiKeyEntry {
  userId: string;
  key: string;
}

const userIdPattern = /^[A-Za-z0-9._@-]{1,128}$/;

/**
 * Reads `user1:key1,user2:key2` (commas or new lines; `#` starts a comment line). A bad entry is an
 * error naming it by position, never by its key.
 */
export function parseApiKeys(text: string, source = 'DARKROOM_API_KEYS'): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  const parts = text.split(/[,\n]/).map((part) => part.trim()).filter((part) => part !== '' && !part.startsWith('#'));
  parts.forEach((part, index) => {
    const colon = part.indexOf(':');
    const userId = part.slice(0, colon).trim();
    const key = part.slice(colon + 1).trim();
    if (colon < 1 || !userIdPattern.test(userId)) throw new Error(`${source}: entry ${index + 1} must look like user:key with a user id of letters, digits, . _ @ -`);
    if (key.length < 16) throw new Error(`${source}: the key of user ${userId} is shorter than 16 characters; use a long random key (openssl rand -hex 24)`);
    entries.push({ userId, key });
  });
  return entries;
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/**
 * Checks presented API keys against configured ones. Only SHA-256 digests are kept; every check
 * compares against every digest in constant time, so neither timing nor order leaks which key matched.
 */
export class ApiKeyVerifier {
  private readonly digests: Array<{ userId: string; digest: Buffer }>;

  constructor(entries: ApiKeyEntry[]) {
    const seen = new Set<string>();
    this.digests = entries.map((entry) => {
      const hashed = digest(entry.key);
      const hex = hashed.toString('hex');
      if (seen.has(hex)) throw new Error(`Two users share one API key (user ${entry.userId}); give every user their own key`);
      seen.add(hex);
      return { userId: entry.userId, digest: hashed };
    });
  }

  get size(): number {
    return this.digests.length;
  }

  /** The user a key belongs to, or undefined. */
  verify(presented: string): string | undefined {
    const candidate = digest(presented);
    let found: string | undefined;
    for (const entry of this.digests) {
      if (timingSafeEqual(entry.digest, candidate)) found = entry.userId;
    }
    return found;
  }
}
