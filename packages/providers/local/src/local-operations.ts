/**
 * The local provider's image operations, with sharp (and libvips) under them: imported together on
 * the provider's first request or health check (see `createLocalProvider`), not when the provider is
 * created, so a server starts without loading an image library it may not use for a while.
 */
export { default as sharp } from 'sharp';
export { applyImageModel } from './apply-image-model.js';
export { drawPlaceholder } from './draw-placeholder.js';
export { enhanceImage } from './enhance-image.js';
export { expandImage } from './expand-image.js';
export { inpaintImage } from './inpaint-image.js';
export { inpaintWithModel } from './inpaint-with-model.js';
export { relightImage } from './relight-image.js';
export { removeBackground } from './remove-background.js';
export { transferStyle } from './style-presets.js';
export { upscaleLanczos } from './upscale-lanczos.js';
export { generateWithDiffusion } from './diffusion/generate-with-diffusion.js';
export { reimagineWithDiffusion } from './diffusion/reimagine-with-diffusion.js';
export { inpaintWithDiffusion } from './diffusion/inpaint-with-diffusion.js';
export { outpaintWithDiffusion } from './diffusion/outpaint-with-diffusion.js';
