import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DarkroomError } from '@darkroom/core';
import type { StudioImage } from './studio.js';

/** How an image is written on the command line and in MCP tool calls. */
export const studioImageForms = 'a file path, an http(s) URL, an asset id (ast_…) or a data URI (data:image/png;base64,…)';

/**
 * Reads an image argument: `http(s)://…` is a URL, `ast_…` a stored image's asset id, `data:image/…;base64,…`
 * inline bytes, anything else a file path (relative to `cwd`) that must name an existing file.
 *
 * @throws DarkroomError `invalid_input` naming `field` when it is empty, a data URI that is not
 * base64, or a path with no file behind it.
 * @example
 * parseStudioImage('photo.jpg', 'image');            // { path: '/abs/photo.jpg' }
 * parseStudioImage('https://…/a.png', 'image');      // { url: 'https://…/a.png' }
 * parseStudioImage('ast_0abc…', 'image');            // { asset_id: 'ast_0abc…' }
 */
export function parseStudioImage(text: string, field: string, cwd = process.cwd()): StudioImage {
  const value = text.trim();
  if (!value) throw invalid(field, 'is empty');
  if (/^https?:\/\//i.test(value)) return { url: value };
  if (/^ast_[0-9a-z]{6,64}$/.test(value)) return { asset_id: value };
  const dataUri = /^data:image\/[a-z0-9.+-]+;base64,([A-Za-z0-9+/=\s]+)$/i.exec(value);
  if (dataUri) return { bytes: new Uint8Array(Buffer.from(dataUri[1]!, 'base64')) };
  if (/^data:/i.test(value)) throw invalid(field, 'is a data URI that is not data:image/…;base64,…');
  const path = resolve(cwd, value);
  if (!existsSync(path) || !statSync(path).isFile()) throw invalid(field, `names no file (${path})`);
  return { path };
}

/** Whether a command-line word names an image rather than being text (a prompt): an existing file, a URL, an asset id or a data URI. */
export function looksLikeImage(text: string, cwd = process.cwd()): boolean {
  try {
    parseStudioImage(text, 'image', cwd);
    return true;
  } catch {
    return false;
  }
}

const invalid = (field: string, problem: string) =>
  new DarkroomError({ code: 'invalid_input', message: `${field}: ${problem}; give ${studioImageForms}`, details: { field } });
