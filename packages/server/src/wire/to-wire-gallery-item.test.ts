import type { GalleryItem } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { toWireGalleryItem, toWireGalleryPage } from './to-wire-gallery-item.js';

const item: GalleryItem = {
  id: 'img_1',
  userId: 'u1',
  assetId: 'ast_1',
  imageUrl: '/v1/assets/ast_1',
  refinedPrompt: 'a fox',
  intent: 'image_generate',
  feature: 'generate',
  provider: 'local',
  model: 'm',
  seed: 7,
  origin: { source: 'chat', sessionId: 'ses_1', messageId: 'msg_2' },
  metadata: { original_prompt: 'fox', storage: { id: 'c1' } },
  createdAt: 0,
  deletedAt: null,
};

describe('gallery wire format', () => {
  it("writes seed 001's record with the origin inside metadata", () => {
    expect(toWireGalleryItem(item)).toStrictEqual({
      id: 'img_1', user_id: 'u1', asset_id: 'ast_1', image_url: '/v1/assets/ast_1', refined_prompt: 'a fox', intent: 'image_generate', feature: 'generate', provider: 'local', model: 'm', seed: 7,
      metadata: { original_prompt: 'fox', storage: { id: 'c1' }, source: 'chat', session_id: 'ses_1', message_id: 'msg_2' },
      created_at: '1970-01-01T00:00:00.000Z', deleted_at: null,
    });
    const direct = toWireGalleryItem({ ...item, origin: { source: 'direct' }, metadata: { note: 'mine' }, deletedAt: 60_000 });
    expect(direct).toMatchObject({ metadata: { note: 'mine', source: 'direct' }, deleted_at: '1970-01-01T00:01:00.000Z' });
    expect(Object.keys(direct.metadata)).toEqual(['note', 'source']);
  });

  it("writes its image_url under the server's base path, and the user's prompt, intent and metadata as they are", () => {
    const look = '/v1/assets/not-an-image';
    const mine = { ...item, refinedPrompt: look, intent: look, metadata: { link: look, url: look, image_url: look, images: [{ url: look }] } };
    const wire = toWireGalleryItem(mine, '/studio');
    expect(wire).toMatchObject({ image_url: '/studio/v1/assets/ast_1', refined_prompt: look, intent: look, metadata: { link: look, url: look, image_url: look, images: [{ url: look }] } });
    expect(toWireGalleryPage({ items: [mine], nextCursor: null }, '/studio').items).toStrictEqual([wire]);
    // A URL the engine wrote in another form (a custom assetUrl, a CDN) is written as it is.
    expect(toWireGalleryItem({ ...item, imageUrl: 'https://cdn.example/ast_1.png' }, '/studio').image_url).toBe('https://cdn.example/ast_1.png');
  });

  it('writes a page with next_cursor', () => {
    expect(toWireGalleryPage({ items: [item], nextCursor: null })).toStrictEqual({ items: [toWireGalleryItem(item)], next_cursor: null });
  });
});
