/**
 * `@darkroom/client`: a typed HTTP client of a Darkroom server, typed from `@darkroom/api`'s route
 * table (the one the server validates with). Node 20+ and browsers.
 */
export { createDarkroomClient, type DarkroomClient, type DarkroomClientOptions } from './create-darkroom-client.js';
export { DarkroomApiError } from './darkroom-api-error.js';
export { type ImageSource } from './image-source.js';
export type * from './client-types.js';
export type { JsonSchema } from '@darkroom/api';
