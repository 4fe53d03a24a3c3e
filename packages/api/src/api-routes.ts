import { defineRoute, type StreamEvent } from '@darkroom/plugin-api';
import * as examples from './api-examples.js';
import { assetQuery, signedUrl, signRequest } from './schemas/asset-schemas.js';
import { history, historyQuery, message, newSession, sendMessage, sentMessage, session, sessionChanges, sessionPage, sessionQuery } from './schemas/chat-schemas.js';
import { jobEvents, sessionEvents } from './schemas/event-schemas.js';
import { featureList, featureResult } from './schemas/feature-schemas.js';
import { galleryItem, galleryPage, galleryQuery, newGalleryItemBody } from './schemas/gallery-schemas.js';
import { generateRequest, generateResponse } from './schemas/image-generation-schemas.js';
import { liveness, modelList, providerHealth, readiness } from './schemas/health-schemas.js';
import { acceptedJob, job, jobPage, jobQuery } from './schemas/job-schemas.js';
import { refinement, refineRequest, validateRequest, validation } from './schemas/prompt-schemas.js';

const jobId = examples.exampleJob.id;
const sessionId = examples.exampleSession.id;
const galleryId = examples.exampleGalleryItem.id;
const assetId = examples.exampleImage.asset_id;
const chat = '/api/v1/chat/sessions';

const generateDescription = 'Runs the generate feature. Give the size as `size: "512x512"` or as `width`/`height`; `style` is appended to the prompt. Answers the image at once, or 202 and a job with `Prefer: respond-async`.';
const generateResponses = {
  200: { description: 'The image', schema: generateResponse, example: examples.exampleGenerateResponse },
  202: { description: 'Accepted (Prefer: respond-async): poll status_url or stream events_url', schema: acceptedJob, example: examples.exampleAcceptedJob },
};
const refineDescription = 'Adds quality and style keywords, translates Vietnamese terms, writes a negative prompt and suggestions, and says which feature the chat flow would run for this text. Send `prompt` (or `original_prompt`).';
const validateDescription = 'Checks a prompt\'s length and content and lists what is missing (subject, style, lighting…) without running anything.';

/**
 * Every route of the Darkroom HTTP API, by operation id: the server mounts a handler for each (and
 * validates requests and answers with these schemas), the OpenAPI document describes them, and
 * `@darkroom/client` derives its paths and types from them. Paths use OpenAPI syntax (`{id}`).
 * `runFeature` is a template: the server mounts it once per registered feature.
 */
export const apiRoutes = {
  health: defineRoute({
    method: 'get', path: '/health', operationId: 'health', tag: 'Operations', public: true,
    summary: 'Liveness: the process answers',
    description: 'Answers 200 as long as the process runs; it checks nothing else (see /ready).',
    responses: { 200: { description: 'Alive', schema: liveness, example: { status: 'ok' } } },
  }),
  ready: defineRoute({
    method: 'get', path: '/ready', operationId: 'ready', tag: 'Operations', public: true,
    summary: 'Readiness: stores, asset storage, job queue and event transport reachable, workers running',
    description: 'Answers 200 when the database, asset storage, job queue and event transport answer and the workers run (unless the server is API-only); 503 with the same body, saying what failed, otherwise or while shutting down.',
    responses: {
      200: { description: 'Ready', schema: readiness, example: examples.exampleReadiness },
      503: { description: 'Not ready (or shutting down)', schema: readiness, example: { ...examples.exampleReadiness, ok: false, queue: { ok: false, message: 'Redis at 127.0.0.1:6379 does not answer' } } },
    },
  }),
  metrics: defineRoute({
    method: 'get', path: '/metrics', operationId: 'metrics', tag: 'Operations', public: true,
    summary: 'Prometheus metrics: requests, latencies, jobs by state, provider calls',
    description: 'The Prometheus text exposition format; present unless the server was started with metrics off.',
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain', example: '# TYPE darkroom_jobs gauge\ndarkroom_jobs{state="queued"} 0\n' } },
  }),
  openApiDocument: defineRoute({
    method: 'get', path: '/openapi.json', operationId: 'openApiDocument', tag: 'Operations', public: true,
    summary: 'This document (OpenAPI 3.1)',
    description: 'The OpenAPI 3.1 description of every route, generated from the schemas the server validates with; feature routes are listed once per registered feature.',
    responses: { 200: { description: 'The OpenAPI document', contentType: 'application/json', example: { openapi: '3.1.0', info: { title: 'Darkroom', version: '0.1.0' }, paths: {} } } },
  }),
  apiReference: defineRoute({
    method: 'get', path: '/docs', operationId: 'apiReference', tag: 'Operations', public: true,
    summary: 'Swagger UI for this API',
    description: 'An HTML page that loads /openapi.json; its files are served by this server (no CDN).',
    responses: { 200: { description: 'An HTML page', contentType: 'text/html', example: '<!doctype html><html lang="en">…</html>' } },
  }),
  playground: defineRoute({
    method: 'get', path: '/', operationId: 'playground', tag: 'Operations', public: true,
    summary: 'The web playground: chat, feature forms and gallery (an HTML page)',
    description: 'A static page built from `@darkroom/web`; it calls this API with the key it asks for when the server answers 401. Answers 404 with a page saying to run `npm run build` when the playground is not built.',
    responses: {
      200: { description: 'An HTML page', contentType: 'text/html', example: '<!doctype html><html lang="en">…</html>' },
      404: { description: 'The playground is not built (an HTML page saying how to build it)', contentType: 'text/html', example: '<!doctype html><h1>The web playground is not built</h1>…' },
    },
  }),

  listFeatures: defineRoute({
    method: 'get', path: '/v1/features', operationId: 'listFeatures', tag: 'Features',
    summary: 'Every registered feature (plugins included), with the JSON Schema of its input',
    description: 'For user interfaces and tools: each feature\'s route, title, description, provider capability, the JSON Schema (draft 2020-12) of the body its route takes and which fields are images.',
    responses: { 200: { description: 'The features', schema: featureList, example: examples.exampleFeatureList } },
  }),
  runFeature: defineRoute({
    method: 'post', path: '/v1/features/{route}', operationId: 'runFeature', tag: 'Features', perFeature: true,
    validateBody: false, multipart: true, async: true,
    summary: 'Runs a feature',
    description: 'Runs a feature on its input (image fields take a file in multipart/form-data, an http(s) URL, a data URI, {base64, mime_type} or {asset_id}). Answers the result, or 202 and a job with `Prefer: respond-async`; `webhook_url` is called when the job ends. With an Idempotency-Key, a repeat answers the same job; once images of its result were deleted from the gallery, a repeat is a 409 with details.reason "deleted" (use a new key to run it anew).',
    example: { params: { route: 'upscale' }, body: { image: { asset_id: assetId }, scale: 2 } },
    responses: {
      200: { description: 'The finished result', schema: featureResult, example: examples.exampleFeatureResult },
      202: { description: 'Accepted (Prefer: respond-async): poll status_url or stream events_url', schema: acceptedJob, example: examples.exampleAcceptedJob },
    },
  }),

  listSessions: defineRoute({
    method: 'get', path: chat, operationId: 'listSessions', tag: 'Chat', query: sessionQuery,
    summary: 'The caller\'s chat sessions, most recently active first, with cursor pagination',
    description: 'Ordered by last activity (created, a message sent, an image made, renamed or described), then by id. Follow `next_cursor` for the next page; a cursor that is not a `next_cursor` of this list is refused with 400. A session active while you page moves to the front.',
    example: { query: { limit: 20 } },
    responses: { 200: { description: 'A page of sessions', schema: sessionPage, example: examples.exampleSessionPage } },
  }),
  createSession: defineRoute({
    method: 'post', path: chat, operationId: 'createSession', tag: 'Chat', body: newSession,
    summary: 'Creates a chat session',
    description: 'A conversation with the assistant, with an optional title (at most 200 characters) and description (at most 2000); its images feed the gallery. With an Idempotency-Key, a repeat answers the same session (a different title or description with the same key is a 422; once the session is deleted, a repeat is a 409 with details.reason "deleted": it is not created again).',
    example: { body: { title: 'Product shots', description: 'Rings and necklaces on a white background' } },
    responses: { 201: { description: 'The session', schema: session, example: examples.exampleSession } },
  }),
  getSession: defineRoute({
    method: 'get', path: `${chat}/{id}`, operationId: 'getSession', tag: 'Chat',
    summary: 'A chat session',
    description: 'The session\'s title, description, times and the latest image it made (the one the next message works on when it names none).',
    example: { params: { id: sessionId } },
    responses: { 200: { description: 'The session', schema: session, example: examples.exampleSession } },
  }),
  updateSession: defineRoute({
    method: 'patch', path: `${chat}/{id}`, operationId: 'updateSession', tag: 'Chat', body: sessionChanges,
    summary: 'Renames or describes a chat session',
    description: 'Sets the fields sent (`title` at most 200 characters, `description` at most 2000; null clears one) and keeps the others; at least one is required, and no other field is taken. The session moves to the front of the session list.',
    example: { params: { id: sessionId }, body: { title: 'Spring catalogue' } },
    responses: { 200: { description: 'The session as updated', schema: session, example: examples.exampleUpdatedSession } },
  }),
  deleteSession: defineRoute({
    method: 'delete', path: `${chat}/{id}`, operationId: 'deleteSession', tag: 'Chat',
    summary: 'Deletes a chat session and its messages',
    description: 'The session and its messages go, and its turns still queued or running are cancelled; the images it made stay in the gallery.',
    example: { params: { id: sessionId } },
    responses: { 204: { description: 'Deleted' } },
  }),
  sendMessage: defineRoute({
    method: 'post', path: `${chat}/{id}/messages`, operationId: 'sendMessage', tag: 'Chat', body: sendMessage, multipart: true,
    summary: 'Sends a message; the assistant works on it in the background',
    description: 'Answers 202 at once with the assistant\'s message (PROCESSING) and its job: poll the message, wait for the job or stream the session\'s events. `image` and `mask` take a file in multipart/form-data, an http(s) URL, a data URI, {base64, mime_type} or {asset_id}; without `image` the session\'s latest image is used. A session that was deleted answers 409 with details.reason "deleted" (a replayed Idempotency-Key too: its turn is not run again).',
    example: { params: { id: sessionId }, body: { content: 'Upscale this photo 2x', image: { asset_id: assetId } } },
    responses: { 202: { description: 'Accepted: the assistant message is PROCESSING', schema: sentMessage, example: examples.exampleSentMessage } },
  }),
  listMessages: defineRoute({
    method: 'get', path: `${chat}/{id}/messages`, operationId: 'listMessages', tag: 'Chat', query: historyQuery,
    summary: 'The conversation, a page at a time: newest first by default, with cursor pagination',
    description: 'The first page holds the newest messages; follow `next_cursor` to walk back in time. With `order=asc` the pages run from the oldest message; a message id as `cursor` with `order=asc` answers what came after it.',
    example: { params: { id: sessionId }, query: { limit: 20 } },
    responses: { 200: { description: 'A page of messages', schema: history, example: examples.exampleMessagePage } },
  }),
  getMessage: defineRoute({
    method: 'get', path: `${chat}/{id}/messages/{messageId}`, operationId: 'getMessage', tag: 'Chat',
    summary: 'One message: poll its status (PROCESSING, DONE, FAILED) and image_url',
    description: 'An assistant message is PROCESSING until its job ends, then DONE (with its images, or a clarifying question) or FAILED (with an error).',
    example: { params: { id: sessionId, messageId: examples.exampleMessage.id } },
    responses: { 200: { description: 'The message', schema: message, example: examples.exampleMessage } },
  }),
  streamSessionEvents: defineRoute({
    method: 'get', path: `${chat}/{id}/events`, operationId: 'streamSessionEvents', tag: 'Chat',
    summary: 'Server-Sent Events of a session: message changes and the progress of their jobs; resumable with Last-Event-ID',
    description: 'Events: `snapshot` ({session_id, messages, next_cursor}: the newest 20 messages, newest first, as the first page of the message list), `message.updated` ({session_id, message_id, job_id, status}), and the turn jobs\' `job.*` / `step.*` events. The stream stays open while the session exists, with a heartbeat comment every 15 s; it ends once the session is deleted (within 2 s, or 30 s with a cross-process event transport; a reconnect is then answered 404). Reconnect with `Last-Event-ID` to receive only what was missed.',
    example: { params: { id: sessionId } },
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream', events: sessionEvents, example: { id: '1', event: 'message.updated', data: { session_id: sessionId, message_id: examples.exampleMessage.id, job_id: jobId, status: 'DONE' } } satisfies StreamEvent<typeof sessionEvents> } },
  }),

  listJobs: defineRoute({
    method: 'get', path: '/v1/jobs', operationId: 'listJobs', tag: 'Jobs', query: jobQuery,
    summary: 'The caller\'s jobs, newest first, with cursor pagination and filters',
    description: 'Feature and chat jobs of the calling user only, newest first. Filter by `state` and `kind`; follow `next_cursor` for older jobs. Steps are left out: get a job for them.',
    example: { query: { state: 'succeeded', limit: 20 } },
    responses: { 200: { description: 'A page of jobs', schema: jobPage, example: examples.exampleJobPage } },
  }),
  getJob: defineRoute({
    method: 'get', path: '/v1/jobs/{id}', operationId: 'getJob', tag: 'Jobs',
    summary: 'A job: state, progress, steps, result or error',
    description: 'Poll it until `state` is succeeded, failed or cancelled, or stream its events instead.',
    example: { params: { id: jobId } },
    responses: { 200: { description: 'The job', schema: job, example: examples.exampleJob } },
  }),
  cancelJob: defineRoute({
    method: 'delete', path: '/v1/jobs/{id}', operationId: 'cancelJob', tag: 'Jobs',
    summary: 'Cancels a job (a running provider call is aborted)',
    description: 'A queued job is cancelled at once; a running one is flagged and its worker aborts it within about a second. A job that already ended is answered as it is.',
    example: { params: { id: jobId } },
    responses: { 200: { description: 'The job after the cancellation request', schema: job, example: { ...examples.exampleJob, state: 'cancelled', progress: 40, result: null, error: { code: 'cancelled', message: 'The job was cancelled' } } } },
  }),
  streamJobEvents: defineRoute({
    method: 'get', path: '/v1/jobs/{id}/events', operationId: 'streamJobEvents', tag: 'Jobs',
    summary: 'Server-Sent Events of a job: snapshot, progress, steps, final result; resumable with Last-Event-ID',
    description: 'Events: `snapshot` (the job now), `job.started`, `job.progress` ({progress}), `step.started`, `step.succeeded`, `step.failed`, `job.retrying`, and a final `job.succeeded` / `job.failed` / `job.cancelled`, after which the stream ends; it also ends, without one, once the job can no longer be read. Reconnect with `Last-Event-ID` to receive only what was missed.',
    example: { params: { id: jobId } },
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream', events: jobEvents, example: { id: '3', event: 'job.progress', data: { job_id: jobId, progress: 40 } } satisfies StreamEvent<typeof jobEvents> } },
  }),

  listGallery: defineRoute({
    method: 'get', path: '/v1/gallery', operationId: 'listGallery', tag: 'Gallery', query: galleryQuery,
    summary: 'The caller\'s images, newest first, with cursor pagination and filters',
    description: 'Images made by features and the chat, and those kept with POST /v1/gallery. Filter by source, intent, session and creation time; follow `next_cursor` for older images.',
    example: { query: { source: 'chat', limit: 20 } },
    responses: { 200: { description: 'A page', schema: galleryPage, example: examples.exampleGalleryPage } },
  }),
  createGalleryItem: defineRoute({
    method: 'post', path: '/v1/gallery', operationId: 'createGalleryItem', tag: 'Gallery', body: newGalleryItemBody, multipart: true,
    summary: 'Keeps an image in the gallery',
    description: 'Stores an image (a file in multipart/form-data, an http(s) URL, a data URI, {base64, mime_type} or {asset_id}) as a gallery record with source `direct`. With an Idempotency-Key, a repeat answers the same record; once that record is in the deleted list, a repeat is a 409 with details.reason "deleted" (restore it, or use a new key); after a permanent delete the key is forgotten with the record.',
    example: { body: { image: { asset_id: assetId }, intent: 'upscale', metadata: { album: 'spring' } } },
    responses: { 201: { description: 'The record', schema: galleryItem, example: examples.exampleGalleryItem } },
  }),
  listDeletedGallery: defineRoute({
    method: 'get', path: '/v1/gallery/deleted', operationId: 'listDeletedGallery', tag: 'Gallery', query: galleryQuery,
    summary: 'Soft-deleted images',
    description: 'The trash: images deleted with DELETE /v1/gallery/{id}, restorable with POST /v1/gallery/{id}/restore.',
    example: { query: { limit: 20 } },
    responses: { 200: { description: 'A page', schema: galleryPage, example: { items: [{ ...examples.exampleGalleryItem, deleted_at: '2026-01-06T08:30:00.000Z' }], next_cursor: null } } },
  }),
  getGalleryItem: defineRoute({
    method: 'get', path: '/v1/gallery/{id}', operationId: 'getGalleryItem', tag: 'Gallery',
    summary: 'One image record',
    description: 'Its image URL, the prompt, intent, feature, provider, model and seed that made it, and its metadata.',
    example: { params: { id: galleryId } },
    responses: { 200: { description: 'The record', schema: galleryItem, example: examples.exampleGalleryItem } },
  }),
  deleteGalleryItem: defineRoute({
    method: 'delete', path: '/v1/gallery/{id}', operationId: 'deleteGalleryItem', tag: 'Gallery',
    summary: 'Soft-deletes an image (restorable)',
    description: 'Moves the record to the trash (GET /v1/gallery/deleted); signed links to the image stop working.',
    example: { params: { id: galleryId } },
    responses: { 204: { description: 'Deleted' } },
  }),
  restoreGalleryItem: defineRoute({
    method: 'post', path: '/v1/gallery/{id}/restore', operationId: 'restoreGalleryItem', tag: 'Gallery',
    summary: 'Restores a soft-deleted image',
    description: 'Takes a record out of the trash; restoring one that is not deleted answers it as it is.',
    example: { params: { id: galleryId } },
    responses: { 200: { description: 'The restored record', schema: galleryItem, example: examples.exampleGalleryItem } },
  }),
  deleteGalleryItemPermanently: defineRoute({
    method: 'delete', path: '/v1/gallery/{id}/permanent', operationId: 'deleteGalleryItemPermanently', tag: 'Gallery',
    summary: 'Deletes an image for good, with its stored file when nothing else uses it',
    description: 'Cannot be undone. The stored file goes too unless another record or message still uses it.',
    example: { params: { id: galleryId } },
    responses: { 204: { description: 'Deleted' } },
  }),

  getAsset: defineRoute({
    method: 'get', path: '/v1/assets/{id}', operationId: 'getAsset', tag: 'Images', query: assetQuery,
    summary: 'The bytes of a stored image',
    description: 'Served to its owner (ids are unguessable; another user gets 404), with ETag / If-None-Match. With a signed URL\'s `token` no API key is needed.',
    example: { params: { id: assetId } },
    responses: { 200: { description: 'The image', contentType: 'image/*' }, 304: { description: 'Not modified' } },
  }),
  signAssetUrl: defineRoute({
    method: 'post', path: '/v1/assets/{id}/signed-url', operationId: 'signAssetUrl', tag: 'Images', body: signRequest,
    summary: 'A signed, expiring URL of a stored image, usable without an API key (e.g. in an <img> tag)',
    description: 'The URL is written under the server\'s base path and stops working when it expires or when every gallery record of the image is deleted.',
    example: { params: { id: assetId }, body: { expires_in: 3600 } },
    responses: { 201: { description: 'The URL', schema: signedUrl, example: examples.exampleSignedUrl } },
  }),
  generateImage: defineRoute({
    method: 'post', path: '/v1/image/generate', operationId: 'generateImage', tag: 'Images', body: generateRequest, async: true,
    summary: 'Generates an image from a prompt',
    description: generateDescription,
    example: { body: examples.exampleGenerateRequest },
    responses: generateResponses,
  }),

  refinePrompt: defineRoute({
    method: 'post', path: '/v1/prompt/refine', operationId: 'refinePrompt', tag: 'Prompt', body: refineRequest,
    summary: 'Improves a prompt: quality and style keywords, translation, negative prompt, suggestions',
    description: refineDescription,
    example: { body: { prompt: 'a red bicycle by the sea' } },
    responses: { 200: { description: 'The refinement', schema: refinement, example: examples.exampleRefinement } },
  }),
  validatePrompt: defineRoute({
    method: 'post', path: '/v1/prompt/validate', operationId: 'validatePrompt', tag: 'Prompt', body: validateRequest,
    summary: 'Checks a prompt: length, content, what is missing',
    description: validateDescription,
    example: { body: { prompt: 'a red bicycle by the sea' } },
    responses: { 200: { description: 'The verdict', schema: validation, example: examples.exampleValidation } },
  }),

  refinePromptCompat: defineRoute({
    method: 'post', path: '/api/v1/prompt-refinement/refine', operationId: 'refinePromptCompat', tag: 'Compatibility', body: refineRequest,
    summary: 'Improves a prompt (the same as POST /v1/prompt/refine)',
    description: `Kept for clients of the prompt-refinement service; takes \`original_prompt\`. ${refineDescription}`,
    example: { body: { original_prompt: 'a red bicycle by the sea', context: { style: 'watercolor' } } },
    responses: { 200: { description: 'The refinement', schema: refinement, example: examples.exampleRefinement } },
  }),
  validatePromptCompat: defineRoute({
    method: 'post', path: '/api/v1/prompt-refinement/validate', operationId: 'validatePromptCompat', tag: 'Compatibility', body: validateRequest,
    summary: 'Checks a prompt (the same as POST /v1/prompt/validate)',
    description: `Kept for clients of the prompt-refinement service. ${validateDescription}`,
    example: { body: { prompt: 'a red bicycle by the sea' } },
    responses: { 200: { description: 'The verdict', schema: validation, example: examples.exampleValidation } },
  }),
  generateImageCompat: defineRoute({
    method: 'post', path: '/api/v1/image-generation/generate', operationId: 'generateImageCompat', tag: 'Compatibility', body: generateRequest, async: true,
    summary: 'Generates an image from a prompt (the same as POST /v1/image/generate)',
    description: `Kept for clients of the image-generation service. ${generateDescription}`,
    example: { body: examples.exampleGenerateRequest },
    responses: generateResponses,
  }),
  generateImageLegacy: defineRoute({
    method: 'post', path: '/api/images/generate', operationId: 'generateImageLegacy', tag: 'Compatibility', body: generateRequest, async: true,
    summary: 'Generates an image from a prompt (the same as POST /v1/image/generate; answers `image_path` too)',
    description: `Kept for clients of the images service. ${generateDescription}`,
    example: { body: { prompt: 'a lighthouse at dusk', width: 768, height: 512, image_type: 'photo' } },
    responses: generateResponses,
  }),
  imageModels: defineRoute({
    method: 'get', path: '/api/images/models', operationId: 'imageModels', tag: 'Compatibility',
    summary: 'Every model of every configured provider and what it can do',
    description: 'Kept for clients of the images service: one entry per provider model, with the capabilities it serves.',
    responses: { 200: { description: 'Models', schema: modelList, example: examples.exampleModels } },
  }),
  imageServicesHealth: defineRoute({
    method: 'get', path: '/api/health/images', operationId: 'imageServicesHealth', tag: 'Compatibility',
    summary: 'Database, storage and every provider probed, with circuit state',
    description: 'Kept for clients of the images service: 200 when everything answers, 503 (same body) when something does not.',
    responses: {
      200: { description: 'Healthy', schema: providerHealth, example: examples.exampleProviderHealth },
      503: { description: 'Unhealthy', schema: providerHealth, example: { ...examples.exampleProviderHealth, ok: false } },
    },
  }),
} as const;

/** The operation ids of the API. */
export type OperationId = keyof typeof apiRoutes;

/** The route table's type, for code that works over every route. */
export type ApiRouteTable = typeof apiRoutes;

// Keeps the table's operationIds equal to its keys (the client and server look routes up by key).
const _keysMatch: { [Key in OperationId]: (typeof apiRoutes)[Key]['operationId'] extends Key ? true : never } = Object.fromEntries(Object.keys(apiRoutes).map((key) => [key, true])) as never;
void _keysMatch;
