import { errors } from '@darkroom/plugin-api';
import type { AssetStorage } from './asset-storage.js';
import { contentKey } from './content-key.js';

/** Asset storage in process memory, for stateless use and tests. Lost when the process ends. */
export function createMemoryAssetStorage(): AssetStorage {
  const files = new Map<string, Uint8Array>();
  return {
    name: 'memory',
    async put(bytes) {
      const key = contentKey(bytes);
      if (!files.has(key)) files.set(key, bytes);
      return { key };
    },
    async get({ key }) {
      const bytes = files.get(key);
      if (!bytes) throw errors.notFound('Asset file', key);
      return bytes;
    },
    async delete({ key }) {
      files.delete(key);
    },
    async health() {
      return { ok: true };
    },
  };
}
