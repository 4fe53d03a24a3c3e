// The diffusion pipeline's schedulers: Hugging Face diffusers' samplers, equal to them number for number.
export { schedulerKinds, type DiffusionScheduler, type SchedulerKind } from './diffusion-scheduler.js';
export { readSchedulerConfig, type SchedulerConfig } from './read-scheduler-config.js';
export { createScheduler, schedulerKindOfClass, type CreateSchedulerOptions } from './create-scheduler.js';
export { strengthStart } from './strength-start.js';
export { createNoise } from './create-noise.js';
