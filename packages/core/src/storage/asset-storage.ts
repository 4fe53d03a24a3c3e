/** Where image bytes live. Keys are content hashes, so the same bytes are stored once. */
export interface AssetStorage {
  readonly name: string;
  /** Stores bytes under their SHA-256 and returns that key; storing the same bytes twice is a no-op. */
  put(bytes: Uint8Array): Promise<{ key: string }>;
  /** The bytes for a key; a missing key is a `not_found` error. */
  get(key: string): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
  /** Whether the storage is reachable and writable. */
  health(): Promise<{ ok: boolean; message?: string }>;
}
