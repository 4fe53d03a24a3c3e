import type { JsonSchema } from '@darkroom/api';
import type { FeatureResult, GalleryItem, GalleryPage, Job, JobPage, Message } from '@darkroom/client';

export type { JsonSchema };

/**
 * An image handed to a feature or a chat turn from the command line or an MCP tool: a file on this
 * machine, an http(s) URL (fetched by whoever runs the job, public addresses only), an image
 * Darkroom already stores, or bytes (a data URI's). See `parseStudioImage`.
 */
export type StudioImage = { path: string } | { url: string } | { asset_id: string } | { bytes: Uint8Array };

/**
 * A registered feature as the CLI and MCP show it. `input_schema` is the feature's input JSON schema
 * (zod's, for input) with its image fields (`image_fields`) described as `StudioImage`s.
 */
export interface StudioFeature {
  id: string;
  description: string;
  /** JSON Schema (object) of the feature's input: `properties`, `required`, defaults. */
  input_schema: { type?: string; properties?: Record<string, JsonSchema>; required?: string[] } & JsonSchema;
  /** The input fields that hold images, whatever their names (`image`, `mask`, a plugin's `reference`), in schema order; a list field's schema is an array. */
  image_fields: string[];
}

/** A job as a list shows it: the job without its steps (the API's `JobSummary`). */
export type StudioJobSummary = JobPage['jobs'][number];

/** A finished feature run, as the HTTP API answers it (`FeatureResult`). */
export type StudioRunResult = FeatureResult;

/** How far a job is: its percent (0..100) and, when known, the step it is in. */
export interface StudioProgress {
  progress: number;
  step?: string;
}

/** What a long call may be given: where to report progress, and a signal that cancels the job. */
export interface StudioCallOptions {
  onProgress?: (progress: StudioProgress) => void;
  /** Aborting it cancels the job (the call rejects with `cancelled`). */
  signal?: AbortSignal;
}

/** A chat turn that ended: the session, and the assistant's message (`DONE` or `FAILED`). */
export interface StudioReply {
  session_id: string;
  message: Message;
}

/** A page of rows and the cursor of the next (null on the last page). */
export interface StudioPage<Item> {
  items: Item[];
  next_cursor: string | null;
}

/**
 * What the `darkroom` commands and the MCP server drive: the embedded engine (SQLite and files under
 * the data directory, jobs in this process; `openEmbeddedStudio`) or a Darkroom server over HTTP
 * (`openRemoteStudio`). Both answer the HTTP API's shapes (`@darkroom/api`'s schemas, as
 * `@darkroom/client` types them), so the commands print one format, and both throw errors carrying
 * a `code` and a message that says what to change.
 */
export interface Studio {
  /** Where it runs, for messages: `embedded engine (data directory ./data)` or the server's URL. */
  readonly location: string;
  features(): Promise<StudioFeature[]>;
  /** Runs a feature and waits for its result. Unknown feature: `not_found` with `details.features`. */
  run(feature: string, input: Record<string, unknown>, options?: StudioCallOptions): Promise<StudioRunResult>;
  /** An image's bytes and type, by asset id. */
  asset(assetId: string): Promise<{ bytes: Uint8Array; mimeType: string }>;
  /** An image's URL for people: absolute against a server, the API path (`/v1/assets/…`) on the embedded engine. */
  assetUrl(url: string): string;
  /** Sends a chat message (in a new session unless `session` names one) and waits for the reply. */
  chat(request: { content: string; session?: string; image?: StudioImage; mask?: StudioImage }, options?: StudioCallOptions): Promise<StudioReply>;
  jobs: {
    /** The latest jobs first; `limit` 1..100. */
    list(query?: { limit?: number; cursor?: string; state?: string }): Promise<StudioPage<StudioJobSummary>>;
    get(id: string): Promise<Job>;
    cancel(id: string): Promise<Job>;
  };
  gallery: {
    list(query?: { limit?: number; cursor?: string; deleted?: boolean }): Promise<GalleryPage>;
    delete(id: string, options?: { permanent?: boolean }): Promise<void>;
    restore(id: string): Promise<GalleryItem>;
  };
  /** Stops what it started (the embedded engine: its runner and database). */
  close(): Promise<void>;
}
