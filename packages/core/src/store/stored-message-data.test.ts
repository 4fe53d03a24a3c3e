import { describe, expect, it } from 'vitest';
import type { MessageData } from './conversation-store.js';
import { fromStoredMessageData, storedMessageDataFields, toStoredMessageData, type StoredMessageData } from './stored-message-data.js';

const data: MessageData = {
  intents: [{ intent: 'image_generate', feature: 'generate', confidence: 0.9, parameters: { num_images: 2 } }],
  confidence: 0.9,
  detector: 'rule-based',
  refinedPrompt: 'a red fox, detailed',
  negativePrompt: 'blurry',
  images: [{ assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 4, height: 3, mimeType: 'image/png', feature: 'generate' }],
  clarification: 'Which image?',
  error: { code: 'provider_error', message: 'failed' },
  imageUrl: '/v1/assets/ast_1',
};

const stored: StoredMessageData = {
  intents: [{ intent: 'image_generate', feature: 'generate', confidence: 0.9, parameters: { num_images: 2 } }],
  confidence: 0.9,
  detector: 'rule-based',
  refined_prompt: 'a red fox, detailed',
  negative_prompt: 'blurry',
  images: [{ asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 4, height: 3, mime_type: 'image/png', feature: 'generate' }],
  clarification: 'Which image?',
  error: { code: 'provider_error', message: 'failed' },
  image_url: '/v1/assets/ast_1',
};

describe('stored message data', () => {
  it("is seed 000's snake_case record, every field named in storedMessageDataFields, and reads back as written", () => {
    expect(toStoredMessageData(data)).toStrictEqual(stored);
    expect(Object.keys(stored).sort()).toEqual([...storedMessageDataFields].sort());
    expect(fromStoredMessageData(stored)).toStrictEqual(data);
  });

  it('stores only the fields that are set, and reads a field stored as null as unset', () => {
    expect(toStoredMessageData({ detector: 'rule-based' })).toStrictEqual({ detector: 'rule-based' });
    const withNulls = { detector: 'rule-based', refined_prompt: null, images: null } as unknown as StoredMessageData;
    expect(fromStoredMessageData(withNulls)).toStrictEqual({ detector: 'rule-based' });
  });
});
