/** Where a stored file lives when the storage is remote. */
export interface StoredFile {
  /** The content hash: the same bytes always have the same key. */
  key: string;
  /** A URL clients can load the file from directly (remote storages). */
  url?: string;
  /** The storage's own id for the file (e.g. a Cloudinary public_id). */
  id?: string;
}

/** Where image bytes live. Keys are content hashes, so the same bytes are stored once. */
export interface AssetStorage {
  readonly name: string;
  /** Stores bytes under their SHA-256; storing the same bytes twice is a no-op. */
  put(bytes: Uint8Array, options: { mimeType: string }): Promise<StoredFile>;
  /** The bytes of a stored file; a missing one is a `not_found` error. */
  get(file: StoredFile): Promise<Uint8Array>;
  delete(file: StoredFile): Promise<void>;
  /** Whether the storage is reachable and writable. */
  health(): Promise<{ ok: boolean; message?: string }>;
}
