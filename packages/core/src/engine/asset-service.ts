import { errors, isAssetReference, type ImageInput, type ImageData, type ImageMimeType } from '@darkroom/plugin-api';
import { decodeInlineImage } from '../images/decode-inline-image.js';
import { inspectImage, type ImageLimits } from '../images/inspect-image.js';
import type { AssetStorage, StoredFile } from '../storage/asset-storage.js';
import type { AssetRecord, AssetStore } from '../store/asset-store.js';
import { createId } from '../store/create-id.js';

/** Where an asset row says its file is. */
function storedFile(row: { sha256: string; remoteUrl: string | null; remoteId: string | null }): StoredFile {
  return { key: row.sha256, ...(row.remoteUrl ? { url: row.remoteUrl } : {}), ...(row.remoteId ? { id: row.remoteId } : {}) };
}

/** An asset with the URL it is served at: a remote storage's own URL, or the engine's asset route. */
export interface StoredAsset extends AssetRecord {
  url: string;
}

/**
 * Images in and out of the engine: stores bytes once (content-addressed) with a row per owner,
 * loads them back for features, and moves inline images out of job inputs.
 */
export class AssetService {
  constructor(
    private readonly store: AssetStore,
    private readonly storage: AssetStorage,
    private readonly limits: ImageLimits,
    private readonly urlFor: (assetId: string) => string,
  ) {}

  url(assetId: string): string {
    return this.urlFor(assetId);
  }

  /**
   * Stores checked image bytes for a user. With an effect key, repeating it returns the first asset
   * and writes nothing (not even the file: a retry that sends other bytes under the same key leaves
   * no orphan file behind before its request is refused as a mismatch).
   */
  async put(userId: string, bytes: Uint8Array, options: { effectKey?: string; image?: ImageData } = {}): Promise<StoredAsset> {
    if (options.effectKey) {
      const existing = await this.store.getByEffectKey(userId, options.effectKey);
      if (existing) return this.withUrl(existing);
    }
    const image = options.image ?? (await inspectImage(bytes, this.limits));
    return this.record(userId, image, await this.storeFile(image), options);
  }

  /** Writes a checked image's file to storage (content-addressed: the same bytes are stored once); `record` gives it its row. */
  storeFile(image: ImageData): Promise<StoredFile> {
    return this.storage.put(image.bytes, { mimeType: image.mimeType });
  }

  /** The asset row of a file `storeFile` wrote, for `userId`; with an effect key, repeating it returns the first asset. */
  async record(userId: string, image: ImageData, file: StoredFile, options: { effectKey?: string } = {}): Promise<StoredAsset> {
    const record = await this.store.insertOnce({
      id: createId('ast'),
      userId,
      sha256: file.key,
      mimeType: image.mimeType,
      size: image.bytes.byteLength,
      width: image.width,
      height: image.height,
      effectKey: options.effectKey ?? null,
      createdAt: Date.now(),
      remoteUrl: file.url ?? null,
      remoteId: file.id ?? null,
    });
    return this.withUrl(record);
  }

  async get(userId: string, assetId: string): Promise<StoredAsset> {
    const record = await this.store.get(userId, assetId);
    if (!record) throw errors.notFound('Image', assetId);
    return this.withUrl(record);
  }

  /** Remote storages give their own URL; local files are served by the engine's route. */
  private withUrl(record: AssetRecord): StoredAsset {
    return { ...record, url: record.remoteUrl ?? this.urlFor(record.id) };
  }

  /** The stored bytes of a user's asset, for serving. */
  async read(userId: string, assetId: string): Promise<{ asset: StoredAsset; bytes: Uint8Array }> {
    const asset = await this.get(userId, assetId);
    return { asset, bytes: await this.storage.get(storedFile(asset)) };
  }

  /** Any accepted image input (raw bytes too) as checked bytes. */
  async load(userId: string, input: ImageInput | Uint8Array): Promise<ImageData> {
    if (input instanceof Uint8Array) return inspectImage(input, this.limits);
    if (isAssetReference(input)) {
      const { asset, bytes } = await this.read(userId, input.asset_id);
      return { bytes, mimeType: asset.mimeType as ImageMimeType, width: asset.width, height: asset.height };
    }
    return inspectImage(decodeInlineImage(typeof input === 'string' ? input : input.base64), this.limits);
  }

  /**
   * Replaces inline images anywhere in a value by `{ asset_id }`, checking asset references exist.
   * Inline images are data URIs, `{ base64, mime_type }`, or raw bytes (`Buffer`/`Uint8Array`, stored
   * as they are, never encoded). Every image is checked (type, size, pixel limit) and every reference
   * looked up before anything is stored: a bad mask refuses the request with its photo unstored. With
   * `effectKey` (a request's idempotency key), a replayed request maps to the same asset rows.
   */
  async externalize<T>(userId: string, value: T, options: { effectKey?: string } = {}): Promise<T> {
    const inline: Array<{ path: string; bytes: Uint8Array; image?: ImageData }> = [];
    const references: string[] = [];
    const collect = (item: unknown, path: string): unknown => {
      if (item instanceof Uint8Array) return placeholder(inline.push({ path, bytes: item }) - 1);
      if (typeof item === 'string' && /^data:image\//i.test(item)) return placeholder(inline.push({ path, bytes: decodeInlineImage(item) }) - 1);
      if (Array.isArray(item)) return item.map((entry, index) => collect(entry, `${path}[${index}]`));
      if (typeof item !== 'object' || item === null) return item;
      const record = item as Record<string, unknown>;
      if (typeof record.base64 === 'string' && Object.keys(record).every((key) => key === 'base64' || key === 'mime_type')) {
        return placeholder(inline.push({ path, bytes: decodeInlineImage(record.base64) }) - 1);
      }
      if (isAssetReference(record) && Object.keys(record).length === 1) {
        references.push(record.asset_id);
        return item;
      }
      return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, collect(entry, `${path}.${key}`)]));
    };
    const collected = collect(value, '$');
    if (inline.length === 0 && references.length === 0) return value;
    // Everything is checked first; only then is anything written.
    await Promise.all([
      ...references.map((id) => this.get(userId, id)),
      ...inline.map(async (entry) => (entry.image = await inspectImage(entry.bytes, this.limits))),
    ]);
    const ids = await Promise.all(
      inline.map(async (entry) => (await this.put(userId, entry.bytes, { image: entry.image!, ...(options.effectKey ? { effectKey: `${options.effectKey}:${entry.path}` } : {}) })).id),
    );
    const restore = (item: unknown): unknown => {
      if (isPlaceholder(item)) return { asset_id: ids[item[placeholderIndex]]! };
      if (Array.isArray(item)) return item.map(restore);
      if (typeof item !== 'object' || item === null) return item;
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, restore(entry)]));
    };
    return restore(collected) as T;
  }

  /** Deletes a user's asset row, and the file when no other row uses it. */
  async remove(assetId: string): Promise<void> {
    const removed = await this.store.delete(assetId);
    if (removed && !removed.stillReferenced) await this.storage.delete(storedFile(removed));
  }
}

/** Where `externalize` keeps an inline image's place while every image is checked. */
const placeholderIndex = Symbol('inline image');
const placeholder = (index: number) => ({ [placeholderIndex]: index });
const isPlaceholder = (item: unknown): item is { [placeholderIndex]: number } => typeof item === 'object' && item !== null && placeholderIndex in item;
