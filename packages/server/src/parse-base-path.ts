import { errors } from '@darkroom/core';

const segment = /^[A-Za-z0-9._~-]+$/;
const urlLike = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const maxLength = 200;
/** What to say when no valid value can be suggested. */
const allowed = 'a base path is "/" followed by "/"-separated segments of letters, digits and . _ ~ - (or unset, for the root)';

/** The rule a base path breaks, with no advice; undefined when it is valid. */
function brokenRule(value: string): { rule: string; advise: boolean } | undefined {
  if (value === '' || value === '/') return undefined;
  if (value.trim() !== value) return { rule: 'must not start or end with whitespace', advise: true };
  if (urlLike.test(value)) return { rule: 'must be a path, not a URL', advise: true };
  if (/[?#]/.test(value)) return { rule: 'must be a path only, without a query or fragment', advise: true };
  if (!value.startsWith('/')) return { rule: 'must start with "/"', advise: true };
  if (value.endsWith('/')) return { rule: 'must not end with "/"', advise: true };
  const parts = value.slice(1).split('/');
  if (parts.some((part) => part === '')) return { rule: 'must not contain an empty segment ("//")', advise: true };
  if (parts.some((part) => part === '.' || part === '..')) return { rule: 'must not contain a "." or ".." segment', advise: true };
  const bad = parts.find((part) => !segment.test(part));
  if (bad !== undefined) return { rule: `has the segment ${JSON.stringify(bad)}: use letters, digits and . _ ~ - only (no spaces, %-escapes, route parameters or wildcards)`, advise: false };
  if (value.length > maxLength) return { rule: `must be at most ${maxLength} characters`, advise: false };
  return undefined;
}

/**
 * The value someone most likely meant (trimmed, a URL's path, without query, fragment, empty, `.`
 * or `..` segments), only when that value is itself valid.
 */
function suggestionFor(value: string): string | undefined {
  let path = value.trim();
  if (urlLike.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return undefined;
    }
  }
  const candidate = `/${path.split(/[?#]/)[0]!.split('/').filter((part) => part !== '' && part !== '.' && part !== '..').join('/')}`;
  return brokenRule(candidate) === undefined ? candidate : undefined;
}

/**
 * What is wrong with a base path, as a sentence that says what to write instead (a value suggested
 * is always valid itself; when none is, it says what is allowed); undefined when it is valid.
 * Valid: empty or `/` (the root), or `/`-separated segments of letters, digits and `.`, `_`, `~`, `-`
 * (no `.` or `..` segment), with a leading `/` and no trailing one, at most 200 characters:
 * `/studio`, `/apps/photo-studio`. Surrounding whitespace is refused here; a reader of text
 * settings (DARKROOM_BASE_PATH) trims it first.
 */
export function basePathProblem(value: string): string | undefined {
  const broken = brokenRule(value);
  if (!broken) return undefined;
  if (!broken.advise) return broken.rule;
  const suggestion = suggestionFor(value);
  const advice = suggestion === undefined ? allowed : suggestion === '/' ? 'leave it unset to serve at the root' : `write ${JSON.stringify(suggestion)}`;
  return `${broken.rule}: ${advice}`;
}

/**
 * A server's base path in its normal form: `''` for the root (absent, `''` or `/`), else the path as
 * given (`/studio`). An invalid one (surrounding whitespace included) is a `configuration`
 * DarkroomError that says what to change.
 *
 * @example
 * parseBasePath('/studio'); // '/studio'
 * parseBasePath('/');       // ''
 * parseBasePath('studio/'); // throws: basePath "studio/" must start with "/": write "/studio"
 */
export function parseBasePath(value: string | undefined, setting = 'basePath'): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw errors.configuration(`${setting} must be a string such as "/studio"`);
  const problem = basePathProblem(value);
  if (problem) throw errors.configuration(`${setting} ${JSON.stringify(value)} ${problem}`, { [setting]: value });
  return value === '/' ? '' : value;
}
