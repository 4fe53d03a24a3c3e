/**
 * Asset rows: they give users ids for content-addressed files. Bytes never live here (they are in
 * `AssetStorage`); several rows, of one user or several, may share one file (`sha256`). Domain types
 * are camelCase with times in epoch milliseconds. Every implementation must pass
 * `describeAssetStoreContract` from `@darkroom/core/testing`.
 */

/** One user's stored image. `size` is bytes, `width`/`height` pixels, `createdAt` epoch ms. */
export interface AssetRecord {
  id: string;
  userId: string;
  /** The file's content key in asset storage (hex SHA-256 of the bytes). */
  sha256: string;
  mimeType: string;
  size: number;
  width: number;
  height: number;
  createdAt: number;
  /** URL and id of the file in a remote storage (Cloudinary); null on local disk. */
  remoteUrl: string | null;
  remoteId: string | null;
}

/** A row to insert. `effectKey` names the effect (`jobId:step:image-0`, a request's key) so a repeat writes nothing. */
export interface NewAsset extends AssetRecord {
  effectKey: string | null;
}

/** What `delete` removed, and whether the file is still used by another row (else the caller deletes it). */
export interface RemovedAsset {
  sha256: string;
  remoteUrl: string | null;
  remoteId: string | null;
  stillReferenced: boolean;
}

/**
 * Where asset rows live. Reads are scoped by user: another user's asset is simply not found.
 */
export interface AssetStore {
  /** Names the backend in logs and readiness reports (`sql`). */
  readonly name: string;
  /** Resolves when the store answers; rejects with a typed `unavailable` error that says what to check. */
  ready(): Promise<void>;

  /** Inserts; with an effect key already written, changes nothing and answers the stored row. */
  insertOnce(asset: NewAsset): Promise<AssetRecord>;
  get(userId: string, id: string): Promise<AssetRecord | undefined>;
  /**
   * The user's row written with this effect key, if any: a retried request finds what it stored
   * before without writing its file again.
   */
  getByEffectKey(userId: string, effectKey: string): Promise<AssetRecord | undefined>;
  /**
   * Deletes the row (whoever owns it: the caller has checked) and answers whether another row still
   * uses the same file; `undefined` when there is no such row.
   */
  delete(id: string): Promise<RemovedAsset | undefined>;
  /** Releases connections the store opened itself (not ones it was given). */
  close(): Promise<void>;
}
