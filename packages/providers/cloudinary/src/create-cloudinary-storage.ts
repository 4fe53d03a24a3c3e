import { DarkroomError, contentKey, type AssetStorage } from '@darkroom/core';
import { callProvider, lazyImport, loadApiKey, providerHttpError, type ProviderIdentity } from '@darkroom/plugin-api/provider-utils';
import { parseCloudinaryUrl } from './parse-cloudinary-url.js';

export interface CloudinaryStorageSettings {
  /** Defaults to CLOUDINARY_URL (cloudinary://KEY:SECRET@CLOUD), read when first used. */
  url?: string;
  /** Folder of every public_id. */
  folder?: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

const cloudinary: ProviderIdentity = { id: 'cloudinary', name: 'Cloudinary', environmentVariable: 'CLOUDINARY_URL' };
const loadCloudinary = lazyImport({ provider: cloudinary, packageName: 'cloudinary', load: () => import('cloudinary') });

/**
 * The SDK's failures carry the HTTP status as `http_code` (a plain object, not an Error); its own
 * time limit is `http_code` 499 named TimeoutError, left to callProvider as a timeout. Without the
 * storage the engine cannot run, so a refused key is a `configuration` error.
 */
function cloudinaryHttpError(error: unknown): DarkroomError | undefined {
  const { http_code: status, name } = (error ?? {}) as { http_code?: number; name?: string };
  if (!status || name === 'TimeoutError') return undefined;
  return providerHttpError({ provider: cloudinary, status, body: error, rejectedKeyCode: 'configuration' });
}

interface UploadResult {
  public_id: string;
  secure_url: string;
  version: number;
}

/**
 * Asset storage on Cloudinary with the `cloudinary` SDK: signed uploads (public_id = folder/sha256,
 * so the same bytes are uploaded once), the delivery URL kept for clients, deletion by public_id.
 * The SDK is loaded on first use; it reads http or https from CLOUDINARY_URL's upload_prefix then.
 *
 * @example
 * const engine = await createEngine({ plugins, providers, storage: createCloudinaryStorage() });
 */
export function createCloudinaryStorage(settings: CloudinaryStorageSettings = {}): AssetStorage {
  const folder = settings.folder ?? 'darkroom';
  const timeoutMs = settings.timeoutMs ?? 60_000;
  const account = () => parseCloudinaryUrl(loadApiKey({ apiKey: settings.url, provider: cloudinary, description: 'its URL (cloudinary://KEY:SECRET@CLOUD)', settingName: 'url' }));
  const sdk = async () => (await loadCloudinary()).v2;

  return {
    name: 'cloudinary',
    async put(bytes) {
      const key = contentKey(bytes);
      const { uploader } = await sdk();
      const credentials = account();
      const result = await callProvider({
        provider: cloudinary,
        mapError: cloudinaryHttpError,
        run: () =>
          new Promise<UploadResult>((resolve, reject) => {
            const stream = uploader.upload_stream(
              { ...credentials, public_id: `${folder}/${key}`, overwrite: false, unique_filename: false, resource_type: 'image', timeout: timeoutMs },
              (error, uploaded) => {
                if (error) reject(error);
                else if (!uploaded) reject(new DarkroomError({ code: 'provider_error', message: 'Cloudinary answered the upload without a result', retryable: true, details: { provider: cloudinary.id } }));
                else resolve(uploaded as unknown as UploadResult);
              },
            );
            stream.end(Buffer.from(bytes));
          }),
      });
      return { key, url: result.secure_url, id: result.public_id };
    },
    async get(file) {
      const url = file.url ?? (await sdk()).url(file.id ?? `${folder}/${file.key}`, { cloud_name: account().cloud_name, secure: true });
      return callProvider({
        provider: cloudinary,
        timeoutMs,
        run: async (signal) => {
          const response = await (settings.fetch ?? globalThis.fetch)(url, { signal });
          if (response.status === 404) throw new DarkroomError({ code: 'not_found', message: 'The image is no longer on Cloudinary', details: { id: file.id ?? file.key } });
          if (!response.ok) throw providerHttpError({ provider: cloudinary, status: response.status, body: await response.text(), headers: response.headers, rejectedKeyCode: 'configuration' });
          return new Uint8Array(await response.arrayBuffer());
        },
      });
    },
    async delete(file) {
      const { uploader } = await sdk();
      const credentials = account();
      await callProvider({ provider: cloudinary, mapError: cloudinaryHttpError, run: () => uploader.destroy(file.id ?? `${folder}/${file.key}`, { ...credentials, invalidate: true, resource_type: 'image' }) });
    },
    async health() {
      try {
        account();
        return { ok: true };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
  };
}
