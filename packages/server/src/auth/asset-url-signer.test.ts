import { describe, expect, it } from 'vitest';
import { AssetUrlSigner } from './asset-url-signer.js';

describe('AssetUrlSigner', () => {
  it('accepts its own token for the named asset until it expires', () => {
    const signer = new AssetUrlSigner('s'.repeat(32));
    const token = signer.sign('ast_1', 'ann', 10_000);
    expect(signer.verify('ast_1', token, 9_999)).toBe('ann');
    expect(signer.verify('ast_1', token, 10_001)).toBeUndefined();
    expect(signer.verify('ast_2', token, 9_999)).toBeUndefined();
  });

  it('refuses tokens from another secret, tampered or malformed ones', () => {
    const signer = new AssetUrlSigner('s'.repeat(32));
    const token = signer.sign('ast_1', 'ann', 10_000);
    expect(new AssetUrlSigner('t'.repeat(32)).verify('ast_1', token, 0)).toBeUndefined();
    expect(new AssetUrlSigner().verify('ast_1', token, 0)).toBeUndefined();
    const [payload, signature] = token.split('.') as [string, string];
    const longer = Buffer.from(JSON.stringify({ a: 'ast_1', u: 'ann', e: 99_999_999 })).toString('base64url');
    expect(signer.verify('ast_1', `${longer}.${signature}`, 0)).toBeUndefined();
    for (const bad of ['', '.', 'x.y', `${payload}`, `${payload}.${signature}.z`, `${payload}.${signature.slice(0, -2)}`]) expect(signer.verify('ast_1', bad, 0)).toBeUndefined();
  });

  it('accepts only the exact token: no suffixes, padding or standard-base64 twin of the signature', () => {
    const signer = new AssetUrlSigner('s'.repeat(32));
    // Find a signature that uses base64url's own characters, so its standard-alphabet twin differs.
    let token = '';
    for (let id = 0; !/[-_]/.test(token.split('.')[1] ?? ''); id += 1) token = signer.sign(`ast_${id}`, 'ann', 10_000);
    const asset = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).a as string;
    expect(signer.verify(asset, token, 0)).toBe('ann');
    const [payload, signature] = token.split('.') as [string, string];
    const standard = signature.replace(/-/g, '+').replace(/_/g, '/');
    for (const variant of [`${token}!!`, `${token}===`, `${token}=`, `${token}  `, `${token}%20%20`, `${payload}.${standard}`, `${payload}.${standard}=`, ` ${token}`]) {
      expect(signer.verify(asset, variant, 0), variant).toBeUndefined();
    }
  });

  it('survives a restart when the secret is configured', () => {
    const token = new AssetUrlSigner('s'.repeat(32)).sign('ast_1', 'ann', 10_000);
    expect(new AssetUrlSigner('s'.repeat(32)).verify('ast_1', token, 0)).toBe('ann');
  });
});
