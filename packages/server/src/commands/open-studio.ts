import type { Studio } from './studio.js';

/** Where a command runs: a Darkroom server (`url`, with `apiKey` when it needs one), else the embedded engine. */
export interface ConnectionOptions {
  /** A server's base URL (`--url`, `DARKROOM_URL`), e.g. http://127.0.0.1:9999 or https://host/studio. */
  url?: string;
  /** The server's API key (`--api-key`, `DARKROOM_API_KEY`). */
  apiKey?: string;
  /** Settings file for the embedded engine (`--config`), as `darkroom serve --config`. */
  config?: string;
}

/**
 * Opens the `Studio` a command drives, loading only that mode's code: the server's client with
 * `url`, else the embedded engine (`runsJobs`: whether its runner starts; commands that only read
 * leave queued jobs to a server).
 */
export async function openStudio(connection: ConnectionOptions, options: { runsJobs: boolean }): Promise<Studio> {
  if (connection.url) {
    const { openRemoteStudio } = await import('./open-remote-studio.js');
    return openRemoteStudio({ baseUrl: connection.url, ...(connection.apiKey ? { apiKey: connection.apiKey } : {}) });
  }
  const { openEmbeddedStudio } = await import('./open-embedded-studio.js');
  return openEmbeddedStudio({ runsJobs: options.runsJobs, ...(connection.config ? { configFile: connection.config } : {}) });
}

/** Runs `work` on an opened `Studio` and closes it after, whatever happens. */
export async function withStudio<T>(connection: ConnectionOptions, options: { runsJobs: boolean }, work: (studio: Studio) => Promise<T>): Promise<T> {
  const studio = await openStudio(connection, options);
  try {
    return await work(studio);
  } finally {
    await studio.close();
  }
}
