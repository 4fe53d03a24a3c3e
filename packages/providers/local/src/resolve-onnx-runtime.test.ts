import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DarkroomError, inspectImage } from '@darkroom/core';
import { createLocalProvider } from './create-local-provider.js';
import { createOnnxSessions } from './create-onnx-sessions.js';
import { findBundledIsNet } from './load-model-bytes.js';
import { onnxRuntimePackage, onnxRuntimeRange, resolveOnnxRuntime } from './resolve-onnx-runtime.js';
import { fixtures } from './testing-fixtures.js';
import { invertModel } from './testing-onnx-models.js';

// onnxruntime-node is installed in this repository (our own tests run models), so "not installed" is a
// package name that resolves nowhere: the same lookup, the same failure a host app without it gets.
const missing = 'onnxruntime-node-not-installed';
const context = { signal: new AbortController().signal, model: 'test' };
const directory = mkdtempSync(join(tmpdir(), 'darkroom-no-onnx-'));
const modelPath = join(directory, 'invert.onnx');
writeFileSync(modelPath, invertModel());
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('resolveOnnxRuntime', () => {
  it('finds onnxruntime-node when installed and answers undefined for a package that is not', () => {
    expect(resolveOnnxRuntime()).toMatch(/onnxruntime-node/);
    expect(resolveOnnxRuntime(missing)).toBeUndefined();
  });

  it('is an optional peer dependency of this package, with the range the errors name', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(manifest.dependencies).not.toHaveProperty(onnxRuntimePackage);
    expect(manifest.peerDependencies![onnxRuntimePackage]).toBe(onnxRuntimeRange);
    expect(manifest.peerDependenciesMeta![onnxRuntimePackage]).toEqual({ optional: true });
  });
});

describe('the local provider without onnxruntime-node', () => {
  const local = createLocalProvider({ onnxRuntime: missing });
  afterAll(() => local.close?.());
  const photo = async (name: string) => inspectImage(new Uint8Array(readFileSync(join(fixtures, name))));

  it('runs every feature that needs no model', async () => {
    const image = await photo('chelsea.png');
    const mask = await inspectImage(
      new Uint8Array(
        await sharp({ create: { width: image.width, height: image.height, channels: 3, background: 'black' } })
          .composite([{ input: await sharp({ create: { width: 40, height: 30, channels: 3, background: 'white' } }).png().toBuffer(), left: 100, top: 100 }])
          .png()
          .toBuffer(),
      ),
    );
    const handlers = local.handlers;
    const results = await Promise.all([
      handlers.upscale!({ image, scale: 2 }, { ...context, model: 'lanczos3' }),
      handlers.relight!({ image, direction: 'left', intensity: 0.5 }, context),
      handlers['style-transfer']!({ image, style: 'sepia' }, context),
      handlers.outpaint!({ image, left: 20, right: 20, top: 10, bottom: 10 }, context),
      handlers.inpaint!({ image, mask }, context),
      handlers.enhance!({ image, autoLevels: true }, context),
      handlers['text-to-image']!({ prompt: 'a lighthouse', width: 64, height: 48, seed: 1 }, { ...context, model: 'placeholder-not-ai' }),
    ]);
    expect(results.map((result) => [result.images[0]!.width, result.images[0]!.height])).toEqual([
      [image.width * 2, image.height * 2],
      [image.width, image.height],
      [image.width, image.height],
      [image.width + 40, image.height + 20],
      [image.width, image.height],
      [image.width, image.height],
      [64, 48],
    ]);
  });

  it('offers no background removal (not even the IS-Net model found installed) and its health says what to install', async () => {
    expect(findBundledIsNet()).toBeDefined();
    expect(local.handlers['remove-background']).toBeUndefined();
    expect(local.models.map((model) => model.id)).not.toContain('isnet');
    const health = await local.health!();
    expect(health.ok).toBe(true);
    expect(health.details).toMatchObject({ onnx_runtime: { package: missing, installed: false }, onnx_execution_providers: [] });
    expect(health.details!.missing).toContain(`ONNX models: ${missing} is not installed (npm install "${missing}@^1.25.1"); the sharp-based features work without it`);
  });

  it('refuses configured models when created, naming each model and the command that installs the runtime', () => {
    const create = () => createLocalProvider({ onnxRuntime: missing, models: { superResolution: { path: '/models/sr-x4.onnx', scale: 4 }, styles: { mosaic: { path: '/models/mosaic.onnx' } } } });
    expect(create).toThrow(DarkroomError);
    expect(create).toThrow(
      `${missing} is not installed, and these ONNX models need it: super-resolution model /models/sr-x4.onnx; style model "mosaic" (/models/mosaic.onnx). ` +
        `Install it with \`npm install "${missing}@^1.25.1"\` to run ONNX models, or remove them from the local provider's models. ` +
        `Without ${missing}, the sharp-based local features still work: Lanczos upscale, relight, style presets, outpaint, inpaint, enhance, and the labelled development placeholder for text-to-image (model placeholder-not-ai: not AI, a stand-in).`,
    );
    expect(() => createLocalProvider({ onnxRuntime: missing, models: { backgroundRemoval: modelPath } })).toThrow(
      expect.objectContaining({
        code: 'configuration',
        message: expect.stringMatching(new RegExp(`^The ONNX background-removal model ${modelPath} needs ${missing}, which is not installed\\. .*remove this model`)),
        details: { package: missing, range: '^1.25.1', models: [`background-removal model ${modelPath}`] },
      }),
    );
  });

  it('names onnxruntime-node itself by default, and reports it installed here', async () => {
    const installed = createLocalProvider({ models: { backgroundRemoval: false } });
    try {
      expect((await installed.health!()).details).toMatchObject({ onnx_runtime: { package: 'onnxruntime-node', installed: true } });
    } finally {
      await installed.close?.();
    }
  });
});

describe('ONNX sessions without onnxruntime-node', () => {
  it('look the runtime up on first use, and reject there with the model and the package to install', async () => {
    const sessions = createOnnxSessions({ runtime: missing, threads: 1 });
    try {
      const loading = sessions.get(modelPath);
      await expect(loading).rejects.toMatchObject({ code: 'configuration', message: expect.stringContaining(`The ONNX model ${modelPath} needs ${missing}, which is not installed.`) });
      await expect(loading).rejects.toThrow(`npm install "${missing}@^1.25.1"`);
      expect(sessions.loaded()).toEqual([]);
    } finally {
      await sessions.close();
    }
  });
});
