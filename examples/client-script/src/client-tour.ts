import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DarkroomClient } from '@darkroom/client';

/**
 * What a script of a host app does with a Darkroom server: upscale a photo with progress, ask the chat
 * for an image, list the gallery, and save what was made into `outputDir`.
 *
 * @param photo path of a PNG, JPEG or WebP file on this machine (uploaded as multipart, no base64).
 * @returns the files written and the assistant's reply.
 * @throws DarkroomApiError with the server's `code` when the server refuses a request.
 */
export async function clientTour(client: DarkroomClient, photo: string, outputDir: string, log: (line: string) => void = console.log) {
  await mkdir(outputDir, { recursive: true });
  const files: string[] = [];
  const save = async (assetId: string, name: string) => {
    const { bytes } = await client.assets.get(assetId);
    const file = join(outputDir, name);
    await writeFile(file, bytes);
    files.push(file);
  };

  // A feature as a job, followed with progress.
  const accepted = await client.features.submit('upscale', { image: { path: photo }, scale: 2 });
  const job = await client.jobs.wait(accepted.job_id, { onProgress: (progress) => log(`upscale ${progress.progress}%`) });
  if (job.state !== 'succeeded') throw new Error(`upscale ended ${job.state}: ${job.error?.message ?? ''}`);
  const upscaled = (job.result as { images: Array<{ asset_id: string; width: number; height: number }> }).images[0]!;
  log(`upscaled to ${upscaled.width}×${upscaled.height}`);
  await save(upscaled.asset_id, 'upscaled.png');

  // A chat turn, waited for.
  const session = await client.sessions.create({ title: 'client tour' });
  const reply = await client.sessions.sendAndWait(session.id, { text: 'create a lighthouse at dusk, then upscale it 2x' });
  log(`assistant: ${reply.content}`);
  const made = reply.images?.at(-1);
  if (made) await save(made.asset_id, 'lighthouse.png');

  // Everything lands in the gallery.
  const page = await client.gallery.list({ limit: 5 });
  log(`gallery: ${page.items.map((item) => `${item.feature ?? 'upload'} ${item.id}`).join(', ')}`);
  return { files, reply };
}
