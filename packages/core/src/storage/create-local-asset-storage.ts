import { mkdir, readFile, rename, rm, stat, writeFile, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { errors } from '@darkroom/plugin-api';
import type { AssetStorage } from './asset-storage.js';
import { contentKey } from './content-key.js';

/**
 * Content-addressed files under `directory`: `ab/cd/abcd…` by SHA-256. Writes go to a temporary
 * file first and are renamed into place, so a crash never leaves a half-written asset.
 *
 * @example
 * const storage = createLocalAssetStorage({ directory: './data/assets' });
 */
export function createLocalAssetStorage(options: { directory: string }): AssetStorage {
  const pathOf = (key: string) => {
    if (!/^[0-9a-f]{64}$/.test(key)) throw errors.notFound('Asset file', key);
    return join(options.directory, key.slice(0, 2), key.slice(2, 4), key);
  };
  return {
    name: 'local',
    async put(bytes) {
      const key = contentKey(bytes);
      const path = pathOf(key);
      const exists = await stat(path).then((info) => info.size === bytes.byteLength, () => false);
      if (!exists) {
        await mkdir(join(options.directory, key.slice(0, 2), key.slice(2, 4)), { recursive: true });
        const temporary = `${path}.${randomUUID()}.tmp`;
        await writeFile(temporary, bytes);
        await rename(temporary, path);
      }
      return { key };
    },
    async get({ key }) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') throw errors.notFound('Asset file', key);
        throw cause;
      }
    },
    async delete({ key }) {
      await rm(pathOf(key), { force: true });
    },
    async health() {
      try {
        await mkdir(options.directory, { recursive: true });
        await access(options.directory, constants.W_OK);
        return { ok: true };
      } catch (cause) {
        return { ok: false, message: `Asset directory is not writable: ${(cause as Error).message}` };
      }
    },
  };
}
