import { DarkroomApiError } from '@darkroom/client';

/** What to show for a failed call: the server's message and code (they say what to change). */
export function describeError(error: unknown): string {
  if (DarkroomApiError.is(error)) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
