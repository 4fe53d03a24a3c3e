import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import type { WireImageReference } from '../wire/index.js';
import type { Studio } from './studio.js';

const extensions: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp', 'image/avif': '.avif', 'image/gif': '.gif', 'image/tiff': '.tiff' };

/**
 * Writes images a run or a chat turn made to files: to `output` (a second image to `name-2.ext`, …),
 * else into `directory` (default: the working directory) as `<asset id>.<ext of its type>`; missing
 * folders are made. Answers the paths written, in the images' order.
 */
export async function saveImages(studio: Studio, images: WireImageReference[], options: { output?: string; directory?: string } = {}): Promise<string[]> {
  const paths: string[] = [];
  for (const [index, image] of images.entries()) {
    const { bytes, mimeType } = await studio.asset(image.asset_id);
    let path: string;
    if (options.output) {
      const extension = extname(options.output);
      path = resolve(index === 0 ? options.output : `${options.output.slice(0, options.output.length - extension.length)}-${index + 1}${extension}`);
    } else path = resolve(join(options.directory ?? '.', `${image.asset_id}${extensions[mimeType] ?? ''}`));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    paths.push(path);
  }
  return paths;
}

/** The output format a file name asks for (`out.jpg` → `jpeg`), for features that take `format`. */
export function formatOfFile(path: string): 'png' | 'jpeg' | 'webp' | undefined {
  const extension = extname(path).toLowerCase();
  return extension === '.png' ? 'png' : extension === '.jpg' || extension === '.jpeg' ? 'jpeg' : extension === '.webp' ? 'webp' : undefined;
}
