import type { Message } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { toWireMessage, toWireMessagePage } from './to-wire-message.js';
import { toWireSession } from './to-wire-session.js';
import { toWireSentMessage } from './to-wire-sent-message.js';

const message: Message = {
  id: 'msg_2',
  sessionId: 'ses_1',
  userId: 'u1',
  role: 'assistant',
  content: 'Done: generate.',
  status: 'DONE',
  assetId: null,
  jobId: 'job_1',
  data: {
    intents: [{ intent: 'image_generate', feature: 'generate', confidence: 0.9, parameters: { num_images: 1, prompt: 'a fox' } }],
    confidence: 0.9,
    detector: 'rule-based',
    refinedPrompt: 'a fox, detailed',
    negativePrompt: 'blurry',
    images: [{ assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 64, height: 48, mimeType: 'image/png', feature: 'generate' }],
    imageUrl: '/v1/assets/ast_1',
  },
  createdAt: 1_000,
  updatedAt: 2_000,
};

describe('chat wire format', () => {
  it("writes a message as seed 000's record: its data beside its fields, snake_case, ISO times, no owner", () => {
    expect(toWireMessage(message)).toStrictEqual({
      id: 'msg_2',
      session_id: 'ses_1',
      role: 'assistant',
      content: 'Done: generate.',
      status: 'DONE',
      asset_id: null,
      job_id: 'job_1',
      intents: [{ intent: 'image_generate', feature: 'generate', confidence: 0.9, parameters: { num_images: 1, prompt: 'a fox' } }],
      confidence: 0.9,
      detector: 'rule-based',
      refined_prompt: 'a fox, detailed',
      negative_prompt: 'blurry',
      images: [{ asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 64, height: 48, mime_type: 'image/png', feature: 'generate' }],
      image_url: '/v1/assets/ast_1',
      created_at: '1970-01-01T00:00:01.000Z',
      updated_at: '1970-01-01T00:00:02.000Z',
    });
  });

  it('leaves out what a message does not have', () => {
    const user = toWireMessage({ ...message, role: 'user', status: null, data: {} });
    expect(Object.keys(user)).toEqual(['id', 'session_id', 'role', 'content', 'status', 'asset_id', 'job_id', 'created_at', 'updated_at']);
    expect(toWireMessage({ ...message, status: 'FAILED', data: { error: { code: 'cancelled', message: 'The job was cancelled' }, clarification: 'Which one?' } })).toMatchObject({ error: { code: 'cancelled', message: 'The job was cancelled' }, clarification: 'Which one?' });
  });

  it("writes its image URLs under the server's base path, and its text as it was written", () => {
    const look = '/v1/assets/not-an-image';
    const written = { ...message, content: look, data: { ...message.data, refinedPrompt: look, negativePrompt: look, clarification: look, intents: [{ intent: 'image_generate', feature: 'generate', confidence: 0.9, parameters: { prompt: look } }] } };
    const wire = toWireMessage(written, '/studio');
    expect(wire).toMatchObject({ content: look, refined_prompt: look, negative_prompt: look, clarification: look, intents: [{ parameters: { prompt: look } }] });
    expect(wire.images![0]!.url).toBe('/studio/v1/assets/ast_1');
    expect(wire.image_url).toBe('/studio/v1/assets/ast_1');
    expect(toWireMessage({ ...message, role: 'user', status: null, content: look, data: {} }, '/studio').content).toBe(look);
    const page = toWireMessagePage('ses_1', { messages: [written], nextCursor: null }, '/studio');
    expect(page.messages[0]).toStrictEqual(wire);
    expect(toWireMessage(written)).toMatchObject({ image_url: '/v1/assets/ast_1', images: [{ url: '/v1/assets/ast_1' }] });
  });

  it('writes a page, a session and a sent turn', () => {
    expect(toWireMessagePage('ses_1', { messages: [message], nextCursor: 'msg_2' })).toStrictEqual({ session_id: 'ses_1', messages: [toWireMessage(message)], next_cursor: 'msg_2' });
    expect(toWireSession({ id: 'ses_1', userId: 'u1', title: null, description: 'rings', latestAssetId: 'ast_1', createdAt: 0, updatedAt: 1 })).toStrictEqual({
      session_id: 'ses_1', id: 'ses_1', user_id: 'u1', title: null, description: 'rings', latest_asset_id: 'ast_1', created_at: '1970-01-01T00:00:00.000Z', updated_at: '1970-01-01T00:00:00.001Z',
    });
    expect(toWireSentMessage({ messageId: 'msg_2', userMessageId: 'msg_1', jobId: 'job_1', status: 'PROCESSING' })).toStrictEqual({ message_id: 'msg_2', user_message_id: 'msg_1', job_id: 'job_1', status: 'PROCESSING' });
  });
});
