import { DarkroomError } from '@darkroom/core';

export interface CloudinaryAccount {
  cloud_name: string;
  api_key: string;
  api_secret: string;
  upload_prefix?: string;
}

/** cloudinary://API_KEY:API_SECRET@CLOUD_NAME[?upload_prefix=…] → account settings. */
export function parseCloudinaryUrl(text: string): CloudinaryAccount {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DarkroomError({ code: 'configuration', message: 'CLOUDINARY_URL must look like cloudinary://API_KEY:API_SECRET@CLOUD_NAME' });
  }
  if (url.protocol !== 'cloudinary:' || !url.username || !url.password || !url.hostname) {
    throw new DarkroomError({ code: 'configuration', message: 'CLOUDINARY_URL must look like cloudinary://API_KEY:API_SECRET@CLOUD_NAME' });
  }
  const uploadPrefix = url.searchParams.get('upload_prefix');
  return {
    cloud_name: url.hostname,
    api_key: decodeURIComponent(url.username),
    api_secret: decodeURIComponent(url.password),
    ...(uploadPrefix ? { upload_prefix: uploadPrefix } : {}),
  };
}
