import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createPhotoStudio } from './photo-studio.js';

it('embeds the engine in memory: a button and a chat box', async () => {
  const progress: number[] = [];
  const studio = await createPhotoStudio({ onProgress: (_job, percent) => progress.push(percent) });
  try {
    const photo = readFileSync(join(import.meta.dirname, '../../../docs/photos/chelsea.png'));
    expect((await studio.upscale('alice', photo)).images[0]).toMatchObject({ width: 902, height: 600 });
    const session = await studio.engine.chat.createSession('alice');
    const reply = await studio.ask('alice', session.id, 'create a lighthouse at dusk without people, then upscale it 2x');
    expect(reply.status).toBe('DONE');
    expect(reply.data.negativePrompt).toMatch(/^people/);
    expect(progress).toContain(10);
  } finally {
    await studio.close();
  }
});
