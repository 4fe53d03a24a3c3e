import { describe, expect, it } from 'vitest';
import { prefixAssetUrls } from './prefix-asset-urls.js';

describe('prefixAssetUrls', () => {
  it('writes the engine\'s default image URLs under the base path, wherever they sit', () => {
    const job = {
      id: 'job_1',
      result: { images: [{ asset_id: 'ast_1', url: '/v1/assets/ast_1' }], image_url: '/v1/assets/ast_1', custom: { thumbnails: ['/v1/assets/ast_2'] } },
    };
    expect(prefixAssetUrls(job, '/studio')).toEqual({
      id: 'job_1',
      result: { images: [{ asset_id: 'ast_1', url: '/studio/v1/assets/ast_1' }], image_url: '/studio/v1/assets/ast_1', custom: { thumbnails: ['/studio/v1/assets/ast_2'] } },
    });
    expect(job.result.images[0]!.url).toBe('/v1/assets/ast_1');
  });

  it('leaves everything else alone: other URLs, text that mentions a path, numbers, null', () => {
    const value = {
      cdn: 'https://res.cloudinary.com/demo/image/upload/v1/assets/x.png',
      already: '/studio/v1/assets/ast_1',
      prompt: 'see /v1/assets/ast_1 for the original',
      signed: '/v1/assets/ast_1?token=abc',
      nested: '/v1/assets/ast_1/signed-url',
      count: 3,
      none: null,
    };
    expect(prefixAssetUrls(value, '/studio')).toEqual(value);
  });

  it('answers the value itself without a base path', () => {
    const value = { url: '/v1/assets/ast_1' };
    expect(prefixAssetUrls(value, '')).toBe(value);
  });
});
