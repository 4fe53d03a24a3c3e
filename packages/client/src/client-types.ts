import type { ApiRoute, apiRoutes, jobEvents, PathParams, RequestBody, RequestQuery, ResponseBody, sessionEvents, StreamEvent } from '@darkroom/api';
import type { ImageSource } from './image-source.js';

type Routes = typeof apiRoutes;

/** `GET /health`. */
export type Liveness = ResponseBody<Routes['health'], 200>;
/** `GET /ready` (the same shape when not ready). */
export type Readiness = ResponseBody<Routes['ready'], 200>;
/** A registered feature, with the JSON Schema of its input (`GET /v1/features`). */
export type FeatureInfo = ResponseBody<Routes['listFeatures'], 200>['features'][number];
/** A feature's finished result: its images (`url` under the server's base path), provider, model, attempts. */
export type FeatureResult = ResponseBody<Routes['runFeature'], 200>;
/** A job accepted with `Prefer: respond-async`: its id and where to poll or stream it. */
export type AcceptedJob = ResponseBody<Routes['runFeature'], 202>;
/** A job: state, progress (percent, 0..100), steps, result or error. */
export type Job = ResponseBody<Routes['getJob'], 200>;
/** A page of `GET /v1/jobs` (newest first; jobs without steps). */
export type JobPage = ResponseBody<Routes['listJobs'], 200>;
export type JobQuery = RequestQuery<Routes['listJobs']>;
/** A chat session: title, description, times (ISO 8601; `updated_at` is its last activity) and its latest image. */
export type Session = ResponseBody<Routes['createSession'], 201>;
/** A session to create: `title` (at most 200 characters) and `description` (at most 2000), both optional. */
export type NewSession = RequestBody<Routes['createSession']>;
/** What `sessions.update` changes: `title` and/or `description` (null clears one). */
export type SessionChanges = RequestBody<Routes['updateSession']>;
/** A page of `GET /api/v1/chat/sessions` (most recently active first). */
export type SessionPage = ResponseBody<Routes['listSessions'], 200>;
export type SessionQuery = RequestQuery<Routes['listSessions']>;
/** A chat message (user or assistant). */
export type Message = ResponseBody<Routes['getMessage'], 200>;
/** A page of a conversation. */
export type MessagePage = ResponseBody<Routes['listMessages'], 200>;
export type MessageQuery = RequestQuery<Routes['listMessages']>;
/** The answer to a sent message: the assistant's message id (PROCESSING) and its job. */
export type SentMessage = ResponseBody<Routes['sendMessage'], 202>;
/** A gallery record. */
export type GalleryItem = ResponseBody<Routes['getGalleryItem'], 200>;
export type GalleryPage = ResponseBody<Routes['listGallery'], 200>;
export type GalleryQuery = RequestQuery<Routes['listGallery']>;
/** A signed, expiring image URL (made absolute by the client). */
export type SignedUrl = ResponseBody<Routes['signAssetUrl'], 201>;
/** An event of a job's stream (`snapshot`, `job.progress`, `step.started`, …, a final `job.succeeded`/`job.failed`/`job.cancelled`). */
export type JobEvent = StreamEvent<typeof jobEvents>;
/** An event of a session's stream (`snapshot` of messages, `message.updated`, and its jobs' events). */
export type SessionEvent = StreamEvent<typeof sessionEvents>;

/** A feature's input: its own fields, each image field (its `image_fields`) an ImageSource, a list field an array of them. */
export type FeatureInput = Record<string, ImageSource | ImageSource[] | unknown>;

/** A chat message to send: the text, and optionally an image to work on and a mask (white where objects go). */
export interface ChatInput {
  text: string;
  image?: ImageSource;
  mask?: ImageSource;
  /** Called when the turn's job ends (Standard Webhooks signature). */
  webhookUrl?: string;
}

/** A gallery record to create: an image (any ImageSource) and notes. */
export type NewGalleryItem = Omit<RequestBody<Routes['createGalleryItem']>, 'image'> & { image: ImageSource };

/** Options of a single request. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`: a retry with the same key and body answers the first result. */
  idempotencyKey?: string;
}

/** Options of a wait: `onProgress` gets the job each time its progress or state changes. */
export interface WaitOptions {
  onProgress?: (job: Job) => void;
  signal?: AbortSignal;
  /** Polling interval when the event stream is unavailable, in milliseconds (default 500). */
  pollMs?: number;
}

/**
 * What `client.call(route, request)` sends for a route: `params` when its path has parameters,
 * `body` when it declares one, `query` when it takes one (each as the route's schemas take them).
 */
export type RouteRequest<Route extends ApiRoute> = ([keyof PathParams<Route>] extends [never] ? { params?: undefined } : { params: PathParams<Route> }) &
  ([RequestBody<Route>] extends [never] ? { body?: undefined } : { body: RequestBody<Route> }) &
  ([RequestQuery<Route>] extends [never] ? { query?: undefined } : { query?: RequestQuery<Route> });

/** The statuses of a success. */
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;

/** What `client.call(route, …)` resolves with: the body of one of the route's documented successes (undefined for one without a body). */
export type RouteAnswer<Route extends ApiRoute> = { [Status in keyof Route['responses'] & SuccessStatus]: ResponseBody<Route, Status> }[keyof Route['responses'] & SuccessStatus];
