import { errors } from '@darkroom/core';

const segment = /^[A-Za-z0-9._~-]+$/;

/**
 * What is wrong with a base path, as a sentence that says what to write instead; undefined when it
 * is valid. Valid: empty or `/` (the root), or `/`-separated segments of letters, digits and `.`,
 * `_`, `~`, `-` (no `.` or `..` segment), with a leading `/` and no trailing one: `/studio`, `/apps/photo-studio`.
 */
export function basePathProblem(value: string): string | undefined {
  if (value === '' || value === '/') return undefined;
  const suggestion = `/${value.split(/[?#]/)[0]!.split('/').filter((part) => part !== '' && part !== '.' && part !== '..').join('/')}`;
  const instead = suggestion === '/' ? 'leave it unset to serve at the root' : `write ${JSON.stringify(suggestion)}`;
  if (/[?#]/.test(value)) return `must be a path only, without a query or fragment: ${instead}`;
  if (!value.startsWith('/')) return `must start with "/": ${instead}`;
  if (value.endsWith('/')) return `must not end with "/": ${instead}`;
  const parts = value.slice(1).split('/');
  if (parts.some((part) => part === '')) return `must not contain an empty segment ("//"): ${instead}`;
  if (parts.some((part) => part === '.' || part === '..')) return `must not contain a "." or ".." segment: ${instead}`;
  const bad = parts.find((part) => !segment.test(part));
  if (bad !== undefined) return `has the segment ${JSON.stringify(bad)}: use letters, digits and . _ ~ - only (no spaces, %-escapes, route parameters or wildcards)`;
  if (value.length > 200) return 'must be at most 200 characters';
  return undefined;
}

/**
 * A server's base path in its normal form: `''` for the root (absent, `''` or `/`), else the path as
 * given (`/studio`). An invalid one is a `configuration` DarkroomError that says what to change.
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
