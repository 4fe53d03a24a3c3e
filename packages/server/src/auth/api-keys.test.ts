import { describe, expect, it } from 'vitest';
import { ApiKeyVerifier, parseApiKeys } from './api-keys.js';

describe('API keys', () => {
  it('reads user:key pairs separated by commas or lines, with comments', () => {
    const entries = parseApiKeys('alice:aaaaaaaaaaaaaaaa1, bob:bbbbbbbbbbbbbbbb2\n# carol is away\ncarol:cccccccccccccccc3');
    expect(entries.map((entry) => entry.userId)).toEqual(['alice', 'bob', 'carol']);
  });

  it('refuses malformed entries and short keys without printing the key', () => {
    expect(() => parseApiKeys('no-colon-here')).toThrow(/entry 1/);
    expect(() => parseApiKeys('alice:short')).toThrow(/shorter than 16/);
    try {
      parseApiKeys('alice:short');
    } catch (error) {
      expect(String(error)).not.toContain(':short');
    }
  });

  it('maps a key to its user and nothing else to anyone', () => {
    const verifier = new ApiKeyVerifier(parseApiKeys('alice:aaaaaaaaaaaaaaaa1,bob:bbbbbbbbbbbbbbbb2'));
    expect(verifier.verify('aaaaaaaaaaaaaaaa1')).toBe('alice');
    expect(verifier.verify('bbbbbbbbbbbbbbbb2')).toBe('bob');
    expect(verifier.verify('aaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(verifier.verify('')).toBeUndefined();
  });

  it('refuses one key for two users', () => {
    expect(() => new ApiKeyVerifier(parseApiKeys('a:kkkkkkkkkkkkkkkk,b:kkkkkkkkkkkkkkkk'))).toThrow(/share one API key/);
  });
});
