import { constants } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { DarkroomError } from '@darkroom/core';
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

/** The file types `-o` may name, by extension. */
const outputExtensions = ['.png', '.jpg', '.jpeg', '.webp'];

/**
 * Checks, before any work is done, that `-o <path>` can be written: its extension names a type
 * Darkroom writes (.png, .jpg/.jpeg, .webp), it is not a folder, and its nearest existing folder is a
 * writable folder (missing ones are made when the images are saved).
 *
 * @throws DarkroomError `invalid_input` saying what to change.
 */
export async function checkOutputPath(path: string): Promise<void> {
  const refuse = (why: string) => new DarkroomError({ code: 'invalid_input', message: `-o ${path}: ${why}` });
  if (!outputExtensions.includes(extname(path).toLowerCase())) throw refuse(`name a .png, .jpg or .webp file (its extension picks the format)`);
  const target = resolve(path);
  const found = await stat(target).catch(() => undefined);
  if (found?.isDirectory()) throw refuse('is a folder: name a file in it, e.g. -o ' + join(path, 'out.png'));
  let folder = dirname(target);
  for (;;) {
    const info = await stat(folder).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) throw refuse(`${folder} is a file, not a folder: choose another place`);
      await access(folder, constants.W_OK).catch(() => {
        throw refuse(`the folder ${folder} cannot be written to: choose another place`);
      });
      return;
    }
    folder = dirname(folder);
  }
}
