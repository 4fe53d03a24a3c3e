import { describe, expect, it } from 'vitest';
import { parseCloudinaryUrl } from './parse-cloudinary-url.js';

describe('parseCloudinaryUrl', () => {
  it('reads the key and secret, %-escapes decoded', () => {
    expect(parseCloudinaryUrl('cloudinary://123:s%2Fcret@demo?upload_prefix=http://127.0.0.1:1')).toEqual({ cloud_name: 'demo', api_key: '123', api_secret: 's/cret', upload_prefix: 'http://127.0.0.1:1' });
  });

  it('refuses a key or secret with a malformed %-escape as a configuration error naming CLOUDINARY_URL, not a URIError', () => {
    for (const url of ['cloudinary://123:%ZZ@demo', 'cloudinary://%E0%A4%A:secret@demo', 'cloudinary://123:abc%@demo']) {
      expect(() => parseCloudinaryUrl(url)).toThrow(expect.objectContaining({ code: 'configuration', message: expect.stringMatching(/^CLOUDINARY_URL: .*malformed %-escape/) }));
    }
  });
});
