import { describe, expect, it } from 'vitest';
import { renameResultImages } from './rename-result-images.js';

const stored = { asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 3, mime_type: 'image/png' };
const renamed = { assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 3, mimeType: 'image/png' };

describe('renameResultImages', () => {
  it('renames the image fields of a feature result and of a chat result, keeping the rest', () => {
    const feature = { feature: 'upscale', images: [stored], provider: 'local', model: 'm', metadata: { gallery_id: 'kept' }, attempts: [] };
    expect(JSON.parse(renameResultImages(JSON.stringify(feature)))).toEqual({ ...feature, images: [renamed] });
    const chat = { plan: { steps: [{ image: { asset_id: 'ast_0' } }] }, images: [{ ...stored, feature: 'paint' }] };
    expect(JSON.parse(renameResultImages(JSON.stringify(chat)))).toEqual({ ...chat, images: [{ ...renamed, feature: 'paint' }] });
  });

  it('leaves anything else as it is', () => {
    for (const text of ['null', '{"ok":true}', '{"images":"none"}', JSON.stringify({ images: [renamed] })]) expect(renameResultImages(text)).toBe(text);
  });
});
