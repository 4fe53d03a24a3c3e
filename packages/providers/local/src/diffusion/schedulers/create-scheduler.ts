import { errors } from '@darkroom/core';
import { createDdimScheduler } from './create-ddim-scheduler.js';
import { createDpmSolverMultistepScheduler } from './create-dpm-solver-multistep-scheduler.js';
import { createEulerAncestralScheduler } from './create-euler-ancestral-scheduler.js';
import { createLcmScheduler } from './create-lcm-scheduler.js';
import { schedulerKinds, type DiffusionScheduler, type SchedulerKind } from './diffusion-scheduler.js';
import type { SchedulerConfig } from './read-scheduler-config.js';

/**
 * The kind a model's `_class_name` runs as when no kind is asked for. Classes Darkroom does not implement map
 * to the nearest implemented sampler, the way image UIs (AUTOMATIC1111, ComfyUI) offer them:
 * - PNDMScheduler (SD 1.x's default), LMSDiscreteScheduler and UniPCMultistepScheduler → `dpm-solver-multistep`
 *   (DPM++ 2M: a deterministic multistep solver of the same probability-flow ODE, the usual UI default, good at
 *   20–30 steps; PNDM's own pseudo-linear steps are not implemented).
 * - EulerDiscreteScheduler (SDXL's default) → `euler-ancestral` (the same timesteps and sigmas, and the same
 *   result at one step; with more steps the ancestral variant adds fresh noise at each).
 * - DDPMScheduler → `ddim` (the deterministic sampler of the same model).
 */
export const schedulerKindOfClass: Readonly<Record<string, SchedulerKind>> = {
  EulerAncestralDiscreteScheduler: 'euler-ancestral',
  EulerDiscreteScheduler: 'euler-ancestral',
  DPMSolverMultistepScheduler: 'dpm-solver-multistep',
  PNDMScheduler: 'dpm-solver-multistep',
  LMSDiscreteScheduler: 'dpm-solver-multistep',
  UniPCMultistepScheduler: 'dpm-solver-multistep',
  DDIMScheduler: 'ddim',
  DDPMScheduler: 'ddim',
  LCMScheduler: 'lcm',
};

export interface CreateSchedulerOptions {
  /** Denoising steps, 1 to num_train_timesteps (for `lcm`, to original_inference_steps). */
  steps: number;
  /** The sampler; by default the one the config's `_class_name` maps to (schedulerKindOfClass). */
  kind?: SchedulerKind;
}

/**
 * A scheduler for a model's scheduler config, set for `steps` steps: the `kind` asked for, or the one its
 * `_class_name` maps to. Config keys the kind's diffusers class reads take effect; absent ones take that class's
 * defaults, as diffusers' `from_config` does (so SD 1.5's PNDM config runs DPM++ 2M with `linspace` spacing).
 * An unknown `_class_name` with no `kind`, or a setting the kind does not implement, is a `configuration`
 * error; `steps` out of range is `invalid_input`.
 *
 * @example
 * const scheduler = createScheduler(readSchedulerConfig(folder.schedulerConfig), { steps: 4, kind: 'lcm' });
 */
export function createScheduler(config: SchedulerConfig, { steps, kind }: CreateSchedulerOptions): DiffusionScheduler {
  const chosen = kind ?? kindOfClass(config._class_name);
  const trainTimesteps = config.num_train_timesteps ?? 1000;
  if (!Number.isInteger(steps) || steps < 1 || steps > trainTimesteps) {
    throw errors.invalidInput(`steps must be a whole number from 1 to ${trainTimesteps}; it was ${steps}`, { steps });
  }
  switch (chosen) {
    case 'euler-ancestral':
      return createEulerAncestralScheduler(config, steps);
    case 'dpm-solver-multistep':
      return createDpmSolverMultistepScheduler(config, steps);
    case 'ddim':
      return createDdimScheduler(config, steps);
    case 'lcm':
      return createLcmScheduler(config, steps);
    default:
      throw errors.invalidInput(`Unknown scheduler kind ${JSON.stringify(chosen)}; the kinds are ${schedulerKinds.join(', ')}`, { kind: chosen });
  }
}

function kindOfClass(className: string | undefined): SchedulerKind {
  const kind = className === undefined ? undefined : schedulerKindOfClass[className];
  if (kind) return kind;
  const named = className === undefined ? 'names no _class_name' : `names ${JSON.stringify(className)}, a class Darkroom has no sampler for`;
  throw errors.configuration(`scheduler_config.json ${named}; choose a scheduler kind: ${schedulerKinds.join(', ')}`, {
    className,
    kinds: schedulerKinds,
  });
}
