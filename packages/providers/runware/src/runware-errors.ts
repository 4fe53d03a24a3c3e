import { DarkroomError } from '@darkroom/core';

/** One entry of Runware's `{"errors":[...]}`. */
export interface RunwareTaskError {
  code?: string;
  message?: string;
  parameter?: string;
  taskType?: string;
  taskUUID?: string;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Maps an HTTP failure of Runware to a typed error; never includes the key or the request. */
export function runwareHttpError(status: number, errors: RunwareTaskError[], retryAfter: string | null): DarkroomError {
  const detail = errors[0]?.message ? `: ${errors[0].message}` : '';
  if (status === 401 || status === 403) {
    return new DarkroomError({ code: 'provider_error', message: `Runware rejected the API key (${status}); check RUNWARE_API_KEY`, details: { provider: 'runware', status } });
  }
  if (status === 402) {
    return new DarkroomError({ code: 'provider_error', message: 'The Runware account has no balance left (402); top it up', details: { provider: 'runware', status } });
  }
  if (status === 429) {
    const delay = retryAfterMs(retryAfter);
    return new DarkroomError({ code: 'rate_limited', message: `Runware is rate-limiting requests (429)${detail}`, retryable: true, details: { provider: 'runware', status, ...(delay !== undefined ? { retryAfterMs: delay } : {}) } });
  }
  if (status >= 500) {
    return new DarkroomError({ code: 'provider_unavailable', message: `Runware is unavailable (${status})${detail}`, retryable: true, details: { provider: 'runware', status } });
  }
  return runwareTaskError(errors[0] ?? { message: `HTTP ${status}` }, status);
}

/** A task Runware refused: the request's own fault (4xx), not retryable. */
export function runwareTaskError(error: RunwareTaskError, status?: number): DarkroomError {
  const parameter = error.parameter ? ` (parameter ${error.parameter})` : '';
  return new DarkroomError({
    code: 'invalid_input',
    message: `Runware refused the ${error.taskType ?? 'task'}: ${error.message ?? error.code ?? 'unknown error'}${parameter}`,
    details: { provider: 'runware', ...(error.code ? { provider_code: error.code } : {}), ...(status ? { status } : {}) },
  });
}
