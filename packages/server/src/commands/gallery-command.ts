import { DarkroomError } from '@darkroom/core';
import { formatTable } from './format-table.js';
import { withStudio, type ConnectionOptions } from './open-studio.js';

/**
 * `darkroom gallery` lists images (`deleted`: the soft-deleted ones); `darkroom gallery delete <id>`
 * soft-deletes one (`permanent`: for good, its file too when nothing else uses it); `darkroom gallery
 * restore <id>` brings a soft-deleted one back. `json` prints the API's `GalleryItem` shapes.
 */
export async function galleryCommand(options: ConnectionOptions & { words: string[]; deleted?: boolean; permanent?: boolean; limit?: number; json?: boolean }): Promise<void> {
  const [action, id, ...rest] = options.words;
  const known = action === undefined || ((action === 'delete' || action === 'restore') && id);
  if (!known || rest.length > 0) {
    throw new DarkroomError({ code: 'invalid_input', message: 'Write darkroom gallery [--deleted], darkroom gallery delete <id> [--permanent] or darkroom gallery restore <id>' });
  }
  await withStudio(options, { runsJobs: false }, async (studio) => {
    if (action === 'delete') {
      await studio.gallery.delete(id!, { permanent: options.permanent ?? false });
      return void process.stdout.write(`${options.permanent ? 'Deleted permanently' : 'Deleted (darkroom gallery restore brings it back)'}: ${id}\n`);
    }
    if (action === 'restore') {
      const item = await studio.gallery.restore(id!);
      return void process.stdout.write(options.json ? `${JSON.stringify(item, null, 2)}\n` : `Restored: ${item.id}  ${studio.assetUrl(item.image_url)}\n`);
    }
    const page = await studio.gallery.list({ deleted: options.deleted ?? false, ...(options.limit ? { limit: options.limit } : {}) });
    if (options.json) return void process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    if (page.items.length === 0) return void process.stdout.write(options.deleted ? 'No deleted images.\n' : 'No images yet.\n');
    process.stdout.write(
      formatTable([
        ['ID', 'FEATURE', 'SOURCE', 'PROVIDER', 'CREATED', 'URL'],
        ...page.items.map((item) => [item.id, item.feature ?? item.intent ?? '-', item.metadata.source, item.provider ?? '-', item.deleted_at ? `${item.created_at} (deleted)` : item.created_at, studio.assetUrl(item.image_url)]),
      ]),
    );
  });
}
