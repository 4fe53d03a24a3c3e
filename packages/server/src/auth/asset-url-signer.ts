import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring URLs for stored images, for places that cannot send an API key (an `<img>` tag):
 * `/v1/assets/<id>?token=<payload>.<HMAC-SHA256>`, the payload naming asset, owner and expiry.
 * Without a configured secret a random one is made per process (URLs then end with the process).
 */
export class AssetUrlSigner {
  private readonly key: Buffer;

  constructor(secret?: string) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }

  sign(assetId: string, userId: string, expiresAt: number): string {
    const payload = Buffer.from(JSON.stringify({ a: assetId, u: userId, e: expiresAt })).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /**
   * The owner a valid, unexpired token for this asset names; undefined otherwise. Only the exact token
   * `sign` wrote verifies: the signature must be the canonical unpadded base64url text (no padding,
   * standard-alphabet twin or trailing characters), compared in constant time.
   */
  verify(assetId: string, token: string, now = Date.now()): string | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined || payload.length > 2000) return undefined;
    const expected = Buffer.from(this.mac(payload).toString('base64url'), 'ascii');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { a?: unknown; u?: unknown; e?: unknown };
      if (claims.a !== assetId || typeof claims.u !== 'string' || typeof claims.e !== 'number' || claims.e < now) return undefined;
      return claims.u;
    } catch {
      return undefined;
    }
  }
}
