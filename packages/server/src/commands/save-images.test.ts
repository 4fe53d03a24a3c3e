import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputPath } from './save-images.js';

const folder = mkdtempSync(join(tmpdir(), 'darkroom-output-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('checkOutputPath: -o is checked before any work is done', () => {
  it('takes a .png, .jpg, .jpeg or .webp file, in a folder that exists or can be made', async () => {
    for (const name of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp', 'new/deeper/e.png']) await expect(checkOutputPath(join(folder, name))).resolves.toBeUndefined();
  });

  it('refuses what it could not write, saying what to change', async () => {
    mkdirSync(join(folder, 'taken.png'));
    writeFileSync(join(folder, 'plain-file'), 'x');
    const refusals: Array<[string, RegExp]> = [
      [join(folder, 'a.gif'), /name a \.png, \.jpg or \.webp file/],
      [join(folder, 'no-extension'), /name a \.png, \.jpg or \.webp file/],
      [join(folder, 'taken.png'), /is a folder: name a file in it/],
      [join(folder, 'plain-file', 'x.png'), /is a file, not a folder/],
    ];
    for (const [path, message] of refusals) await expect(checkOutputPath(path), path).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
  });
});
