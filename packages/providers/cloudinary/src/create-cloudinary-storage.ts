import { DarkroomError, contentKey, type AssetStorage } from '@darkroom/core';
import { parseCloudinaryUrl } from './parse-cloudinary-url.js';

export interface CloudinaryStorageSettings {
  /** Defaults to CLOUDINARY_URL (cloudinary://KEY:SECRET@CLOUD), read when first used. */
  url?: string;
  /** Folder of every public_id. */
  folder?: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
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
  const account = () => {
    const url = settings.url ?? process.env.CLOUDINARY_URL;
    if (!url) throw new DarkroomError({ code: 'configuration', message: 'CLOUDINARY_URL is not set: give the Cloudinary storage its URL (cloudinary://KEY:SECRET@CLOUD)' });
    return parseCloudinaryUrl(url);
  };
  const sdk = async () => (await import('cloudinary')).v2;
  const failure = (action: string, error: unknown) => {
    const status = Number((error as { http_code?: number }).http_code ?? 0);
    const message = (error as { message?: string }).message ?? String(error);
    if (status === 401 || status === 403) return new DarkroomError({ code: 'configuration', message: `Cloudinary refused the ${action} (${status}); check CLOUDINARY_URL`, details: { storage: 'cloudinary', status } });
    return new DarkroomError({ code: 'provider_unavailable', message: `Cloudinary ${action} failed: ${message}`, retryable: true, details: { storage: 'cloudinary', ...(status ? { status } : {}) } });
  };

  return {
    name: 'cloudinary',
    async put(bytes) {
      const key = contentKey(bytes);
      const cloudinary = await sdk();
      const credentials = account();
      const result = await new Promise<UploadResult>((resolve, reject) => {
        const stream = cloudinary.uploader.upload_stream(
          { ...credentials, public_id: `${folder}/${key}`, overwrite: false, unique_filename: false, resource_type: 'image', timeout: timeoutMs },
          (error, uploaded) => (error || !uploaded ? reject(failure('upload', error ?? new Error('no result'))) : resolve(uploaded as unknown as UploadResult)),
        );
        stream.end(Buffer.from(bytes));
      });
      return { key, url: result.secure_url, id: result.public_id };
    },
    async get(file) {
      const url = file.url ?? (await sdk()).url(file.id ?? `${folder}/${file.key}`, { cloud_name: account().cloud_name, secure: true });
      let response: Response;
      try {
        response = await (settings.fetch ?? globalThis.fetch)(url, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw failure('download', error);
      }
      if (response.status === 404) throw new DarkroomError({ code: 'not_found', message: 'The image is no longer on Cloudinary', details: { id: file.id ?? file.key } });
      if (!response.ok) throw failure('download', { http_code: response.status, message: `HTTP ${response.status}` });
      return new Uint8Array(await response.arrayBuffer());
    },
    async delete(file) {
      const cloudinary = await sdk();
      try {
        await cloudinary.uploader.destroy(file.id ?? `${folder}/${file.key}`, { ...account(), invalidate: true, resource_type: 'image' });
      } catch (error) {
        throw failure('deletion', error);
      }
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
