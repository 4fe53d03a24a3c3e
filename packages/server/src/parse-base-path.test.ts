import { DarkroomError } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { basePathProblem, parseBasePath } from './parse-base-path.js';

describe('parseBasePath', () => {
  it('answers the root as "" and a valid path as given', () => {
    expect(parseBasePath(undefined)).toBe('');
    expect(parseBasePath('')).toBe('');
    expect(parseBasePath('/')).toBe('');
    expect(parseBasePath('/studio')).toBe('/studio');
    expect(parseBasePath('/apps/photo-studio_2.v~1')).toBe('/apps/photo-studio_2.v~1');
  });

  it('refuses what cannot be a plain path prefix, with a configuration error that says what to write', () => {
    const cases: Array<[string, string]> = [
      ['studio', 'basePath "studio" must start with "/": write "/studio"'],
      ['/studio/', 'basePath "/studio/" must not end with "/": write "/studio"'],
      ['/a/../studio', 'basePath "/a/../studio" must not contain a "." or ".." segment: write "/a/studio"'],
      ['/./studio', 'must not contain a "." or ".." segment: write "/studio"'],
      ['/studio?tenant=1', 'must be a path only, without a query or fragment: write "/studio"'],
      ['/studio#docs', 'must be a path only, without a query or fragment: write "/studio"'],
      ['//studio', 'must not contain an empty segment ("//"): write "/studio"'],
      ['..', 'must start with "/": leave it unset to serve at the root'],
      ['/caf%C3%A9', 'has the segment "caf%C3%A9": use letters, digits and . _ ~ - only'],
      ['/:tenant/studio', 'has the segment ":tenant"'],
      ['/studio/*', 'has the segment "*"'],
      ['/"><script>', 'has the segment'],
      [`/${'a'.repeat(200)}`, 'must be at most 200 characters'],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        parseBasePath(value);
      } catch (thrown) {
        error = thrown;
      }
      expect(DarkroomError.isInstance(error), value).toBe(true);
      expect((error as DarkroomError).code, value).toBe('configuration');
      expect((error as DarkroomError).message, value).toContain(message);
    }
  });

  it('names the setting it reads, and answers the problem alone for config readers', () => {
    expect(() => parseBasePath('studio', 'DARKROOM_BASE_PATH')).toThrow('DARKROOM_BASE_PATH "studio" must start with "/"');
    expect(basePathProblem('/studio')).toBeUndefined();
    expect(basePathProblem('studio/')).toBe('must start with "/": write "/studio"');
  });
});
