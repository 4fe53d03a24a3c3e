import { DarkroomError, errors, isAssetReference, type ImageInput, type ImageData, type ImageMimeType } from '@darkroom/plugin-api';
import { decodeInlineImage } from '../images/decode-inline-image.js';
import { inspectImage, type ImageLimits } from '../images/inspect-image.js';
import type { AssetStorage, StoredFile } from '../storage/asset-storage.js';
import type { AssetRecord, AssetStore } from '../store/asset-store.js';
import { createId } from '../store/create-id.js';

/** Where an asset row says its file is. */
function storedFile(row: { sha256: string; remoteUrl: string | null; remoteId: string | null }): StoredFile {
  return { key: row.sha256, ...(row.remoteUrl ? { url: row.remoteUrl } : {}), ...(row.remoteId ? { id: row.remoteId } : {}) };
}

/**
 * `error` with the field the image stood in named, when it is a DarkroomError: a JSON path such as
 * `$.references[1]` becomes `references[1]: <message>` and `details.field`.
 */
function atField(error: unknown, path: string): unknown {
  if (!DarkroomError.isInstance(error) || path === '$') return error;
  const field = path.replace(/^\$\.?/, '');
  return new DarkroomError({ code: error.code, message: `${field}: ${error.message}`, retryable: error.retryable, details: { ...error.details, field }, cause: error });
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
   * Replaces inline images anywhere in a value by `{ asset_id }`, checking asset references exist,
   * whatever the field (`image`, a plugin's `reference`, each item of a list). Inline images are data
   * URIs, `{ base64, mime_type }`, or raw bytes (`Buffer`/`Uint8Array`, stored as they are, never
   * encoded). Every image is checked (type, size, pixel limit) and every reference looked up before
   * anything is stored: a bad mask refuses the request with its photo unstored. A refusal names the
   * field (`mask: Not a supported image…`, `details.field`). With `effectKey` (a request's
   * idempotency key), a replayed request maps to the same asset rows.
   */
  async externalize<T>(userId: string, value: T, options: { effectKey?: string } = {}): Promise<T> {
    // Where each inline image stands (a JSON path such as `$.image`), and each stored image named, by where it is named.
    const inline = new Map<string, { bytes: Uint8Array; image?: ImageData }>();
    const references = new Map<string, string>();
    const decoded = (payload: string, path: string) => {
      try {
        return decodeInlineImage(payload);
      } catch (error) {
        throw atField(error, path);
      }
    };
    const find = (item: unknown, path: string): void => {
      if (item instanceof Uint8Array) inline.set(path, { bytes: item });
      else if (typeof item === 'string' && /^data:image\//i.test(item)) inline.set(path, { bytes: decoded(item, path) });
      else if (Array.isArray(item)) item.forEach((entry, index) => find(entry, `${path}[${index}]`));
      else if (typeof item === 'object' && item !== null) {
        const record = item as Record<string, unknown>;
        if (typeof record.base64 === 'string' && Object.keys(record).every((key) => key === 'base64' || key === 'mime_type')) inline.set(path, { bytes: decoded(record.base64, path) });
        else if (isAssetReference(record) && Object.keys(record).length === 1) references.set(path, record.asset_id);
        else for (const [key, entry] of Object.entries(record)) find(entry, `${path}.${key}`);
      }
    };
    find(value, '$');
    if (inline.size === 0 && references.size === 0) return value;
    // Everything is checked first; only then is anything written.
    const named = (path: string) => (error: unknown) => Promise.reject(atField(error, path));
    await Promise.all([
      ...[...references].map(([path, id]) => this.get(userId, id).catch(named(path))),
      ...[...inline].map(async ([path, entry]) => (entry.image = await inspectImage(entry.bytes, this.limits).catch(named(path)))),
    ]);
    const ids = new Map(
      await Promise.all(
        [...inline].map(async ([path, entry]) => [path, (await this.put(userId, entry.bytes, { image: entry.image!, ...(options.effectKey ? { effectKey: `${options.effectKey}:${path}` } : {}) })).id] as const),
      ),
    );
    const replace = (item: unknown, path: string): unknown => {
      const id = ids.get(path);
      if (id) return { asset_id: id };
      if (Array.isArray(item)) return item.map((entry, index) => replace(entry, `${path}[${index}]`));
      if (typeof item !== 'object' || item === null) return item;
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, replace(entry, `${path}.${key}`)]));
    };
    return replace(value, '$') as T;
  }

  /** Deletes a user's asset row, and the file when no other row uses it. */
  async remove(assetId: string): Promise<void> {
    const removed = await this.store.delete(assetId);
    if (removed && !removed.stillReferenced) await this.storage.delete(storedFile(removed));
  }
}
