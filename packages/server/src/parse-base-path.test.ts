import { DarkroomError } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { basePathProblem, parseBasePath } from './parse-base-path.js';

/** What parseBasePath throws for `value` (undefined when it accepts it). */
function refusal(value: string): unknown {
  try {
    parseBasePath(value);
    return undefined;
  } catch (error) {
    return error;
  }
}

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
      const error = refusal(value);
      expect(DarkroomError.isInstance(error), value).toBe(true);
      expect((error as DarkroomError).code, value).toBe('configuration');
      expect((error as DarkroomError).message, value).toContain(message);
    }
  });

  it('suggests only a value that is itself valid, and otherwise says what is allowed', () => {
    const cases: Array<[string, string]> = [
      [' /studio', 'basePath " /studio" must not start or end with whitespace: write "/studio"'],
      ['/studio\n', 'must not start or end with whitespace: write "/studio"'],
      ['\t/studio/ ', 'must not start or end with whitespace: write "/studio"'],
      [' ', 'must not start or end with whitespace: leave it unset to serve at the root'],
      [' /my studio', 'must not start or end with whitespace: a base path is'],
      ['https://x/studio', 'must be a path, not a URL: write "/studio"'],
      ['http://example.com/apps/studio?x=1', 'must be a path, not a URL: write "/apps/studio"'],
      ['https://x', 'must be a path, not a URL: leave it unset to serve at the root'],
      ['https://x/a b', 'must be a path, not a URL: a base path is'],
      ['\\studio', 'must start with "/": a base path is'],
      ['studio\\x', 'must start with "/": a base path is'],
      ['/a b/', 'must not end with "/": a base path is'],
      ['/st:udio?x', 'without a query or fragment: a base path is'],
      [`/${'a'.repeat(200)}/`, 'must not end with "/": a base path is'],
    ];
    for (const [value, message] of cases) {
      const error = refusal(value);
      expect(DarkroomError.isInstance(error), value).toBe(true);
      expect((error as DarkroomError).message, value).toContain(message);
    }
    // Whatever any refusal suggests is accepted as it is.
    const tried = [' /studio', '\\studio', 'https://x/studio', 'https://x/a b', 'studio/', '/a/../b', '/x?y', '//a//b', '..', ' ', 'a\\b/c', `/${'a'.repeat(250)}/`, '/a/b c/d/', 'https://u:p@host:8080/a/./b/#f', ' https://x/studio '];
    for (const value of tried) {
      const problem = basePathProblem(value);
      expect(problem, value).toBeDefined();
      const suggested = /write ("[^"]*")/.exec(problem!)?.[1];
      if (suggested !== undefined) expect(parseBasePath(JSON.parse(suggested) as string), value).toBe(JSON.parse(suggested));
      else expect(problem, value).toMatch(/leave it unset|a base path is|letters, digits|at most 200/);
    }
  });

  it('names the setting it reads, and answers the problem alone for config readers', () => {
    expect(() => parseBasePath('studio', 'DARKROOM_BASE_PATH')).toThrow('DARKROOM_BASE_PATH "studio" must start with "/"');
    expect(basePathProblem('/studio')).toBeUndefined();
    expect(basePathProblem('studio/')).toBe('must start with "/": write "/studio"');
  });
});
