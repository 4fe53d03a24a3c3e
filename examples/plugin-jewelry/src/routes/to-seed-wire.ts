import type { StudioGalleryItem, StudioMessage, StudioSession, UserStudio, z } from '@darkroom/plugin-api';
import type { conversation, conversationMessage, generatedImage } from './seed-schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** A session as seed 004's conversation. */
export function toConversation(session: StudioSession): z.input<typeof conversation> {
  return { id: session.id, title: session.title, description: session.description, created_at: iso(session.createdAt), updated_at: iso(session.updatedAt) };
}

/** A message as seed 004's: the URLs of the images the assistant made, what it asked or met as metadata. */
export function toConversationMessage(message: StudioMessage): z.input<typeof conversationMessage> {
  const images = (message.data.images ?? []).map((image) => image.url);
  const { refinedPrompt, clarification, error } = message.data;
  return {
    id: message.id,
    conversation_id: message.sessionId,
    role: message.role,
    content: message.content,
    status: message.status,
    images,
    metadata: { ...(refinedPrompt ? { refined_prompt: refinedPrompt } : {}), ...(clarification ? { clarification } : {}), ...(error ? { error } : {}) },
    created_at: iso(message.createdAt),
  };
}

/** A gallery image as seed 004's generated image: the jewellery properties and prompt its design recorded (null for another feature's image). */
export function toGeneratedImage(item: StudioGalleryItem, size: { width: number; height: number }): z.input<typeof generatedImage> {
  const design = item.metadata as { jewelry?: { render?: '2d' | '3d' } & Record<string, unknown>; design_prompt?: string };
  return {
    id: item.id,
    asset_id: item.assetId,
    conversation_id: item.origin.source === 'chat' ? item.origin.sessionId : null,
    message_id: item.origin.source === 'chat' ? item.origin.messageId : null,
    image_type: design.jewelry?.render ?? null,
    prompt: design.design_prompt ?? item.refinedPrompt,
    image_url: item.imageUrl,
    width: size.width,
    height: size.height,
    properties: design.jewelry ?? null,
    created_at: iso(item.createdAt),
  };
}

/** The generated images of stored images (each read from the caller's gallery for its record). */
export function generatedImages(studio: UserStudio, images: Array<{ galleryId: string; width: number; height: number }>): Promise<Array<z.input<typeof generatedImage>>> {
  return Promise.all(images.map(async (image) => toGeneratedImage(await studio.gallery.get(image.galleryId), image)));
}
