import { join } from 'node:path';
import { createDarkroomClient } from '@darkroom/client';
import { clientTour } from './client-tour.js';

// Start a server first (`npm start` at the repository's root), then `npm start` here.
const client = createDarkroomClient({ baseUrl: process.env.DARKROOM_URL ?? 'http://127.0.0.1:9999', ...(process.env.DARKROOM_API_KEY ? { apiKey: process.env.DARKROOM_API_KEY } : {}) });
const { files } = await clientTour(client, join(import.meta.dirname, '../../../docs/photos/chelsea.png'), join(process.cwd(), 'out'));
console.log('written:', files.join(', '));
