import { z } from 'zod';
import { DarkroomError, errors, imageInput, textLength } from '@darkroom/plugin-api';
import { createId } from '../store/create-id.js';
import type { GalleryItem, GalleryPage, GalleryQuery, GalleryStore } from '../store/gallery-store.js';
import { contentKey } from '../storage/content-key.js';
import type { AssetService } from './asset-service.js';
import { holdImageBytes } from './hold-image-bytes.js';
import { stableHash } from './stable-hash.js';
import { scopeIdempotencyKey } from './scope-idempotency-key.js';
import { jsonValueDepth, maxJsonDepth } from '../json/json-depth.js';
import { checkWellFormedText } from '../json/check-well-formed-text.js';

/** Longest a gallery record's `metadata` may be, as JSON text (characters: Unicode code points, see `textLength`). */
export const maxMetadataLength = 65_536;

/** Body of "create a gallery record" (POST /v1/gallery): an image the user wants to keep, in the API's snake_case input format. */
export const newGalleryItem = z
  .object({
    image: imageInput,
    refined_prompt: z.string().max(4000).optional(),
    intent: z.string().max(100).optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((value) => jsonValueDepth(value, maxJsonDepth) <= maxJsonDepth, `metadata must not be nested deeper than ${maxJsonDepth} levels`)
      // It comes back in every page of the gallery: keep it to what describes the image.
      .refine((value) => jsonValueDepth(value, maxJsonDepth) > maxJsonDepth || textLength(JSON.stringify(value)) <= maxMetadataLength, `metadata must be at most ${maxMetadataLength} characters (Unicode code points) of JSON; keep large data elsewhere and link it`)
      .optional(),
  })
  .strict();

/** The gallery shared by both flows: list, soft delete, restore, permanent delete (which drops the file too). */
export class GalleryService {
  constructor(
    private readonly store: GalleryStore,
    private readonly assets: AssetService,
  ) {}

  /** Whether an asset is shown in the gallery only by deleted rows: signed links to it are revoked. */
  assetWithdrawn(assetId: string): Promise<boolean> {
    return this.store.assetWithdrawn(assetId);
  }

  /**
   * One page of a user's gallery, newest first.
   * @throws DarkroomError `invalid_input` (400) for a `cursor` that is not a `next_cursor` this API gave
   *   (a typo must not look like the end of the list).
   */
  list(userId: string, query: GalleryQuery = {}): Promise<GalleryPage> {
    if (query.cursor !== undefined && !/^img_[0-9a-z]{29}$/.test(query.cursor)) {
      throw errors.invalidInput('cursor must be a next_cursor from a previous page (an image id such as img_…); omit it for the first page');
    }
    return this.store.list(userId, query);
  }

  /** Which of these rows of the user are no longer live (soft-deleted, or deleted for good), in their order. */
  async deletedOf(userId: string, ids: readonly string[]): Promise<string[]> {
    const live = await Promise.all(ids.map((id) => this.store.get(userId, id)));
    return ids.filter((_, index) => !live[index]);
  }

  async get(userId: string, id: string): Promise<GalleryItem> {
    const item = await this.store.get(userId, id);
    if (!item) throw errors.notFound('Gallery image', id);
    return item;
  }

  /**
   * Records an image the user wants to keep: `body` is {@link newGalleryItem}, whose `image` may also
   * be raw bytes. With an idempotency key a repeat answers the first row; the same key with another
   * image, prompt, intent or metadata is an `idempotency_mismatch` (422), refused before anything is
   * stored. Once that row is soft-deleted, a repeat is `conflict` (409, `details.reason: "deleted"`):
   * restore it, or use a new key. A permanent delete forgets the row and its key with it: a repeat
   * after it records the image again, under a new id.
   */
  async create(userId: string, body: unknown, options: { idempotencyKey?: string } = {}): Promise<GalleryItem> {
    // Raw bytes (a multipart file, a Buffer) wait behind a placeholder while the body is validated.
    const held = holdImageBytes(body);
    const parsed = newGalleryItem.safeParse(held.input);
    if (!parsed.success) {
      throw new DarkroomError({ code: 'invalid_input', message: `Invalid gallery record: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}` });
    }
    const { image, refined_prompt, intent, metadata } = held.restore(parsed.data);
    checkWellFormedText({ refined_prompt, intent, metadata }, '');
    const effectKey = options.idempotencyKey ? `request:${userId}:${scopeIdempotencyKey(['gallery.create'], options.idempotencyKey)}` : null;
    if (effectKey) {
      const existing = await this.store.getByEffectKey(userId, effectKey);
      if (existing) {
        const imageKey = contentKey((await this.assets.load(userId, image)).bytes);
        const same =
          existing.refinedPrompt === (refined_prompt ?? null) &&
          existing.intent === (intent ?? null) &&
          stableHash(existing.metadata) === stableHash(metadata ?? {}) &&
          (await this.assets.get(userId, existing.assetId)).sha256 === imageKey;
        if (!same) throw new DarkroomError({ code: 'idempotency_mismatch', message: 'This Idempotency-Key was used for a different request; use a new key for a new request' });
        if (existing.deletedAt !== null) {
          throw errors.deleted(`This Idempotency-Key recorded gallery image ${existing.id}, which has since been deleted; it is not recorded again: restore it (engine.gallery.restore, POST /v1/gallery/${existing.id}/restore) or use a new Idempotency-Key`, { gallery_id: existing.id });
        }
        return existing;
      }
    }
    const { image: reference } = await this.assets.externalize(userId, { image }, effectKey ? { effectKey } : {});
    const asset = await this.assets.get(userId, (reference as { asset_id: string }).asset_id);
    return this.store.insertOnce({
      id: createId('img'),
      userId,
      assetId: asset.id,
      imageUrl: asset.url,
      refinedPrompt: refined_prompt ?? null,
      intent: intent ?? null,
      feature: null,
      provider: null,
      model: null,
      seed: null,
      origin: { source: 'direct' },
      metadata: metadata ?? {},
      effectKey,
      createdAt: Date.now(),
    });
  }

  async softDelete(userId: string, id: string): Promise<void> {
    if (!(await this.store.softDelete(userId, id))) throw errors.notFound('Gallery image', id);
  }

  async restore(userId: string, id: string): Promise<GalleryItem> {
    const existing = await this.store.get(userId, id, { includeDeleted: true });
    if (!existing) throw errors.notFound('Gallery image', id);
    return (await this.store.restore(userId, id))!;
  }

  async deletePermanently(userId: string, id: string): Promise<void> {
    const removed = await this.store.deletePermanently(userId, id);
    if (!removed) throw errors.notFound('Gallery image', id);
    if (!(await this.store.assetInUse(removed.assetId))) await this.assets.remove(removed.assetId);
  }
}
