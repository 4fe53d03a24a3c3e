export { createLocalProvider, placeholderModelId, type LocalProviderSettings } from './create-local-provider.js';
export type { OnnxImageModel } from './run-image-model.js';
export type { OnnxInpaintingModel } from './inpaint-with-model.js';
export type { DiffusionModelSetting, DiffusionSettings } from './diffusion/read-diffusion-settings.js';
export { schedulerKinds, type SchedulerKind } from './diffusion/schedulers/diffusion-scheduler.js';
