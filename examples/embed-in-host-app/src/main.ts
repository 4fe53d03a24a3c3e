import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPhotoStudio } from './photo-studio.js';

const studio = await createPhotoStudio({ onProgress: (jobId, percent) => console.log(`${jobId}: ${percent}%`) });
const photo = readFileSync(join(import.meta.dirname, '../../../docs/photos/chelsea.png'));
const upscaled = await studio.upscale('alice', photo);
console.log('upscaled:', upscaled.images[0]);
const session = await studio.engine.chat.createSession('alice');
const reply = await studio.ask('alice', session.id, 'create a lighthouse at dusk without people, then upscale it 2x');
console.log('assistant:', reply.content, reply.data.images?.map((image) => `${image.width}×${image.height}`));
await studio.close();
