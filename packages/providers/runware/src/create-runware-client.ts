import { DarkroomError } from '@darkroom/core';
import { runwareHttpError, type RunwareTaskError } from './runware-errors.js';

export interface RunwareClientSettings {
  apiKey: () => string;
  baseURL: string;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

export type RunwareTask = Record<string, unknown> & { taskType: string; taskUUID: string };
export type RunwareResult = Record<string, unknown> & { taskType?: string; taskUUID?: string };

/**
 * The HTTP plumbing: POST a JSON array of tasks with a Bearer key, answer the `data` entries of
 * one task. Timeouts, cancellation, connection failures, HTTP and task errors become typed errors.
 */
export function createRunwareClient(settings: RunwareClientSettings) {
  return {
    async run(task: RunwareTask, signal: AbortSignal): Promise<RunwareResult[]> {
      const apiKey = settings.apiKey();
      const timeout = AbortSignal.timeout(settings.timeoutMs);
      let response: Response;
      try {
        response = await settings.fetch(settings.baseURL, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...settings.headers },
          body: JSON.stringify([task]),
          signal: AbortSignal.any([signal, timeout]),
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason ?? error;
        if (timeout.aborted) throw new DarkroomError({ code: 'timeout', message: `Runware did not answer within ${settings.timeoutMs} ms`, retryable: true, details: { provider: 'runware' } });
        throw new DarkroomError({ code: 'provider_unavailable', message: `Runware could not be reached: ${(error as Error).message}`, retryable: true, details: { provider: 'runware' } });
      }
      let body: { data?: RunwareResult[]; errors?: RunwareTaskError[] } | undefined;
      try {
        body = (await response.json()) as typeof body;
      } catch {
        body = undefined;
      }
      if (!response.ok) throw runwareHttpError(response.status, body?.errors ?? [], response.headers.get('retry-after'));
      if (!body || typeof body !== 'object') {
        throw new DarkroomError({ code: 'provider_error', message: 'Runware answered with a body that is not JSON', retryable: true, details: { provider: 'runware', status: response.status } });
      }
      const failed = body.errors?.find((error) => !error.taskUUID || error.taskUUID === task.taskUUID);
      if (failed) throw runwareHttpError(400, [failed], null);
      const data = (body.data ?? []).filter((entry) => !entry.taskUUID || entry.taskUUID === task.taskUUID);
      if (data.length === 0) {
        throw new DarkroomError({ code: 'provider_error', message: `Runware answered without a result for the ${task.taskType} task`, retryable: true, details: { provider: 'runware' } });
      }
      return data;
    },
  };
}

export type RunwareClient = ReturnType<typeof createRunwareClient>;
