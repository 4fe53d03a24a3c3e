import type { AssetStore } from '../store/asset-store.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { GalleryStore } from '../store/gallery-store.js';
import type { WebhookOutbox } from '../store/webhook-outbox.js';

/**
 * The stores an engine keeps its state in, by role. Each is a small interface with its own
 * readiness probe; `createEngine` defaults every one to the SQL store on the engine's database.
 */
export interface EngineStores {
  /** Chat sessions and their messages. */
  conversations: ConversationStore;
  gallery: GalleryStore;
  /** Asset rows (the bytes are in `AssetStorage`). */
  assets: AssetStore;
  webhooks: WebhookOutbox;
}
