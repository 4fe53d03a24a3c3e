import type { EventJournal } from './events/event-journal.js';
import type { ImageUrlPolicy } from './safety/resolve-image-urls.js';
import type { WebhookSender } from './webhooks/webhook-sender.js';

/** What routes share besides the engine: live events, webhooks and the image URL policy. */
export interface ServerServices {
  journal: EventJournal;
  /** Absent when no webhook secret is configured. */
  webhooks?: WebhookSender;
  imageUrls: ImageUrlPolicy;
  heartbeatMs: number;
  /** How often an event stream re-reads its job (for jobs another process runs). */
  eventPollMs: number;
  /** Event streams open per user. */
  openStreams: Map<string, number>;
  /** The path prefix of every URL the server writes (`/studio`); `''` at the root. */
  basePath: string;
}
