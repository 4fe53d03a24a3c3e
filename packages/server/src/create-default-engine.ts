import { createEngine, type Engine, type EngineOptions } from '@darkroom/core';
import generate from '@darkroom/plugin-generate';
import upscale from '@darkroom/plugin-upscale';
import { createLocalProvider } from '@darkroom/provider-local';

/** The standalone product's engine: every bundled feature on the local provider, state under `dataDir`. */
export function createDefaultEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngine({
    plugins: [generate, upscale, ...(options.plugins ?? [])],
    providers: [createLocalProvider(), ...(options.providers ?? [])],
    ...Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'plugins' && key !== 'providers')),
  });
}
