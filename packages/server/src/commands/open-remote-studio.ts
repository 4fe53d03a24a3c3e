import { DarkroomError } from '@darkroom/core';
import type { Studio } from './studio.js';

/** A Darkroom server as a `Studio`, through `@darkroom/client` (not there yet: refused). */
export async function openRemoteStudio(_options: { baseUrl: string; apiKey?: string }): Promise<Studio> {
  throw new DarkroomError({ code: 'unsupported', message: '--url needs @darkroom/client, which this build does not have yet: leave --url out to use the embedded engine' });
}
