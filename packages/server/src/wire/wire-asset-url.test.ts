import { describe, expect, it } from 'vitest';
import { wireAssetUrl } from './wire-asset-url.js';

describe('wireAssetUrl', () => {
  it("writes the engine's default image URL under the base path", () => {
    expect(wireAssetUrl('/v1/assets/ast_1', '/studio')).toBe('/studio/v1/assets/ast_1');
    expect(wireAssetUrl('/v1/assets/ast_1', '/apps/photo-studio')).toBe('/apps/photo-studio/v1/assets/ast_1');
  });

  it('writes any other URL as it is: a CDN, one already under a prefix (a custom assetUrl), a signed or nested path', () => {
    for (const url of ['https://res.cloudinary.com/demo/image/upload/v1/assets/x.png', '/studio/v1/assets/ast_1', '/v1/assets/ast_1?token=abc', '/v1/assets/ast_1/signed-url', '/v1/assets/', 'v1/assets/ast_1']) {
      expect(wireAssetUrl(url, '/studio'), url).toBe(url);
    }
  });

  it('changes nothing without a base path', () => {
    expect(wireAssetUrl('/v1/assets/ast_1', '')).toBe('/v1/assets/ast_1');
  });
});
