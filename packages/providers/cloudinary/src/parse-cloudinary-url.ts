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
  const decode = (part: string, name: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new DarkroomError({ code: 'configuration', message: `CLOUDINARY_URL: the ${name} has a malformed %-escape; write it as Cloudinary gives it, or %XX escapes of UTF-8 bytes` });
    }
  };
  return {
    cloud_name: url.hostname,
    api_key: decode(url.username, 'API key'),
    api_secret: decode(url.password, 'API secret'),
    ...(uploadPrefix ? { upload_prefix: uploadPrefix } : {}),
  };
}
