import { DarkroomError } from '@darkroom/core';
import { callProvider, providerHttpError, type ProviderIdentity } from '@darkroom/plugin-api/provider-utils';

export interface RunwareClientSettings {
  provider: ProviderIdentity;
  apiKey: () => string;
  baseURL: string;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

export type RunwareTask = Record<string, unknown> & { taskType: string; taskUUID: string };
export type RunwareResult = Record<string, unknown> & { taskType?: string; taskUUID?: string };

/** One entry of Runware's `{"errors":[...]}`. */
interface RunwareTaskError {
  code?: string;
  message?: string;
  parameter?: string;
  taskType?: string;
  taskUUID?: string;
}

/**
 * The HTTP plumbing: POST a JSON array of tasks with a Bearer key, answer the `data` entries of
 * one task. Timeouts, cancellation, connection failures, HTTP and task errors become typed errors.
 */
export function createRunwareClient(settings: RunwareClientSettings) {
  const { provider } = settings;
  return {
    run(task: RunwareTask, signal: AbortSignal): Promise<RunwareResult[]> {
      return callProvider({
        provider,
        signal,
        timeoutMs: settings.timeoutMs,
        run: async (callSignal) => {
          const response = await settings.fetch(settings.baseURL, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.apiKey()}`, ...settings.headers },
            body: JSON.stringify([task]),
            signal: callSignal,
          });
          const text = await response.text();
          if (!response.ok) throw providerHttpError({ provider, status: response.status, body: text, headers: response.headers });
          let body: { data?: RunwareResult[]; errors?: RunwareTaskError[] } | undefined;
          try {
            body = JSON.parse(text) as typeof body;
          } catch {
            body = undefined;
          }
          if (!body || typeof body !== 'object') {
            throw new DarkroomError({ code: 'provider_error', message: 'Runware answered with a body that is not JSON', retryable: true, details: { provider: provider.id, status: response.status } });
          }
          // A task Runware refused in a 200 answer is the request's own fault, as a 400 would be.
          const failed = body.errors?.find((error) => !error.taskUUID || error.taskUUID === task.taskUUID);
          if (failed) throw providerHttpError({ provider, status: 400, body: { errors: [failed] } });
          const data = (body.data ?? []).filter((entry) => !entry.taskUUID || entry.taskUUID === task.taskUUID);
          if (data.length === 0) {
            throw new DarkroomError({ code: 'provider_error', message: `Runware answered without a result for the ${task.taskType} task`, retryable: true, details: { provider: provider.id } });
          }
          return data;
        },
      });
    },
  };
}

export type RunwareClient = ReturnType<typeof createRunwareClient>;
