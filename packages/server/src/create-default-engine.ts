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
import { createCloudinaryStorage, type CloudinaryStorageSettings } from '@darkroom/provider-cloudinary';
import { createGemini, type GeminiSettings } from '@darkroom/provider-gemini';
import { createParasail, type ParasailSettings } from '@darkroom/provider-parasail';
import { createRunware, type RunwareSettings } from '@darkroom/provider-runware';

/** Every bundled feature. */
export const bundledPlugins = [generate, upscale, removeBackground, relight, styleTransfer, reimagine, expand, objectRemoval, enhance];

/**
 * The standalone product's engine: every bundled feature on the local provider, plus the cloud
 * providers given settings for; state under `dataDir`.
 */
export function createDefaultEngine(
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
  const cloud = [...(gemini ? [createGemini(gemini)] : []), ...(parasail ? [createParasail(parasail)] : []), ...(runware ? [createRunware(runware)] : [])];
  return createEngine({
    plugins: [...bundledPlugins, ...plugins],
    providers: [...cloud, createLocalProvider(local), ...providers],
    ...(cloudinary ? { storage: createCloudinaryStorage(cloudinary) } : {}),
    ...rest,
  });
}
