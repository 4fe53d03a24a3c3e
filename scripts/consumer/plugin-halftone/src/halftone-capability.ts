import type { ImageData, ImageOutputOptions, ImageResultSpec } from '@darkroom/plugin-api';

// A capability of this plugin's own: the engine routes it like a built-in one.
declare module '@darkroom/plugin-api' {
  interface CapabilitySpec {
    halftone: { request: { image: ImageData; dotSize: number } & ImageOutputOptions; result: ImageResultSpec };
  }
}

export const halftone = 'halftone' as const;
