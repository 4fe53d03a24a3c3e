/**
 * The gallery: one row per image a user keeps, from either flow (chat or a direct feature call).
 * Domain types are camelCase with times in epoch milliseconds; the HTTP server writes the seeds'
 * snake_case wire format in one place. Every implementation must pass `describeGalleryStoreContract`
 * from `@darkroom/core/testing`.
 */

export type GallerySource = 'chat' | 'direct';

/** Where a gallery image came from: a direct call, or a chat turn (its session and assistant message). */
export type Origin = { source: 'direct' } | { source: 'chat'; sessionId: string; messageId: string };

/** One image in a user's gallery. Times are epoch ms; `deletedAt` is set while it is soft-deleted. */
export interface GalleryItem {
  id: string;
  userId: string;
  assetId: string;
  imageUrl: string;
  /** The prompt the image was made with (refined, or as given), or the one the user recorded. */
  refinedPrompt: string | null;
  intent: string | null;
  feature: string | null;
  provider: string | null;
  model: string | null;
  seed: number | null;
  origin: Origin;
  /**
   * Free-form data kept as given: what the feature reported, `original_prompt`, a remote storage's
   * `storage: { id, url }`, or what the user sent with the record. Never holds the origin.
   */
  metadata: Record<string, unknown>;
  createdAt: number;
  deletedAt: number | null;
}

/** A row to insert. `effectKey` names the effect (`jobId:step:image-0`, a request's key) so a repeat writes nothing. */
export interface NewGalleryItem extends Omit<GalleryItem, 'deletedAt'> {
  effectKey: string | null;
}

export interface GalleryQuery {
  /** Soft-deleted rows only (else live rows only). */
  deleted?: boolean;
  /** 1..200, default 50. */
  limit?: number;
  /** The `nextCursor` of the previous page (an item id): the page starts after it. */
  cursor?: string;
  source?: GallerySource;
  intent?: string;
  /** Rows from this chat session only. */
  sessionId?: string;
  /** Epoch ms: only rows created at or after. */
  createdAfter?: number;
  /** Epoch ms: only rows created before. */
  createdBefore?: number;
}

/** `nextCursor` is null on the last page. */
export interface GalleryPage {
  items: GalleryItem[];
  nextCursor: string | null;
}

/**
 * Where gallery rows live. Every read and write by id is scoped by user: another user's row is
 * simply not found (`undefined` or `false`), never an error that tells it exists. Row ids sort by
 * creation time (`createId('img')`), which is the order pages use.
 */
export interface GalleryStore {
  /** Names the backend in logs and readiness reports (`sql`). */
  readonly name: string;
  /** Resolves when the store answers; rejects with a typed `unavailable` error that says what to check. */
  ready(): Promise<void>;

  /** Inserts; with an effect key already written, changes nothing and answers the stored row (a re-run never duplicates it). */
  insertOnce(item: NewGalleryItem): Promise<GalleryItem>;
  /** The user's row written under this effect key, deleted or not. */
  getByEffectKey(userId: string, effectKey: string): Promise<GalleryItem | undefined>;
  /** A live row; with `includeDeleted`, a soft-deleted one too. */
  get(userId: string, id: string, options?: { includeDeleted?: boolean }): Promise<GalleryItem | undefined>;
  /** One page, newest first (by id), filtered by the query; `nextCursor` is set when more rows follow. */
  list(userId: string, query?: GalleryQuery): Promise<GalleryPage>;
  /** Marks a live row deleted now. False when there is no such live row. */
  softDelete(userId: string, id: string): Promise<boolean>;
  /** Clears `deletedAt`; answers the live row, or `undefined` when there is no such row. */
  restore(userId: string, id: string): Promise<GalleryItem | undefined>;
  /** Removes the row (live or deleted) for good; answers it, so the caller can drop its asset. */
  deletePermanently(userId: string, id: string): Promise<GalleryItem | undefined>;
  /** Whether the asset is in the gallery only as soft-deleted rows (links shared to it must stop working). */
  assetWithdrawn(assetId: string): Promise<boolean>;
  /** Whether any row (live or deleted) still shows this asset. */
  assetInUse(assetId: string): Promise<boolean>;
  /** Releases connections the store opened itself (not ones it was given). */
  close(): Promise<void>;
}
