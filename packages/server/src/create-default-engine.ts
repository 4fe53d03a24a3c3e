import { createEngine, type Engine, type EngineOptions } from '@darkroom/core';
import enhance from '@darkroom/plugin-enhance';
import expand from '@darkroom/plugin-expand';
import generate from '@darkroom/plugin-generate';
import objectRemoval from '@darkroom/plugin-object-removal';
import reimagine from '@darkroom/plugin-reimagine';
import relight from '@darkroom/plugin-relight';
import removeBackground from '@darkroom/plugin-remove-background';
import styleTransfer from '@darkroom/plugin-style-transfer';
import upscale from '@darkroom/plugin-upscale';
import { createLocalProvider, type LocalProviderSettings } from '@darkroom/provider-local';
import type { CloudinaryStorageSettings } from '@darkroom/provider-cloudinary';
import type { GeminiSettings } from '@darkroom/provider-gemini';
import type { ParasailSettings } from '@darkroom/provider-parasail';
import type { RunwareSettings } from '@darkroom/provider-runware';

/** Every bundled feature. */
export const bundledPlugins = [generate, upscale, removeBackground, relight, styleTransfer, reimagine, expand, objectRemoval, enhance];

/**
 * The standalone product's engine: every bundled feature on the local provider, plus the cloud
 * providers given settings for; state under `dataDir`. A cloud provider's package (and its SDK, on
 * its first call) loads only when it is given settings.
 */
export async function createDefaultEngine(
  options: EngineOptions & {
    local?: LocalProviderSettings;
    runware?: RunwareSettings;
    gemini?: GeminiSettings;
    parasail?: ParasailSettings;
    /** Store images on Cloudinary instead of local disk. */
    cloudinary?: CloudinaryStorageSettings;
  } = {},
): Promise<Engine> {
  const { plugins = [], providers = [], local, runware, gemini, parasail, cloudinary, ...rest } = options;
  const cloud = [
    ...(gemini ? [(await import('@darkroom/provider-gemini')).createGemini(gemini)] : []),
    ...(parasail ? [(await import('@darkroom/provider-parasail')).createParasail(parasail)] : []),
    ...(runware ? [(await import('@darkroom/provider-runware')).createRunware(runware)] : []),
  ];
  return createEngine({
    plugins: [...bundledPlugins, ...plugins],
    providers: [...cloud, createLocalProvider(local), ...providers],
    ...(cloudinary ? { storage: (await import('@darkroom/provider-cloudinary')).createCloudinaryStorage(cloudinary) } : {}),
    ...rest,
  });
}
