import { DarkroomApiError } from './darkroom-adapter.js';

/** What to show for a failed call: the server's code and message (they say what to change). */
export function describeError(error: unknown): string {
  if (error instanceof DarkroomApiError) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
