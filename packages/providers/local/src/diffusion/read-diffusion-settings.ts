import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DarkroomError, type Capability } from '@darkroom/core';
import { schedulerKinds, type SchedulerKind } from './schedulers/diffusion-scheduler.js';

/** One configured diffusion model. */
export interface DiffusionModelSetting {
  /** The model id: `models()` lists it, requests name it as `model`. Lowercase letters, digits, `.`, `_`, `-`. */
  id: string;
  /** A folder in Hugging Face Optimum's ONNX layout (`optimum-cli export onnx --model <model> <folder>`). */
  path: string;
  /** Serves every capability it has when a request names no model (else the first listed that suits; see `createLocalProvider`). */
  default?: boolean;
  /** Denoising steps when a request gives none: SD-Turbo 1–4, LCM 4–8, others 20–50. */
  steps?: number;
  /** Guidance scale when a request gives none: SD-Turbo 0, others about 7.5. */
  guidance?: number;
  /** The sampler, instead of the one the folder's scheduler_config.json names. */
  scheduler?: SchedulerKind;
}

/** The local provider's diffusion models (`LocalProviderSettings.diffusion`). */
export interface DiffusionSettings {
  /** `{ id: folder }`, or a list with per-model settings. The first (or the one marked `default`) serves requests that name no model. */
  models: Record<string, string> | DiffusionModelSetting[];
  /** A model's pipeline (its ONNX sessions and worker threads) is unloaded after this long unused, in ms. Default 300 000 (5 minutes); 0 unloads after every request. */
  idleMs?: number;
  /** Denoising steps for models that set none. Default 25 (4 for an LCM scheduler). */
  steps?: number;
  /** Guidance scale for models that set none. Default 7.5 (8 for an LCM scheduler). */
  guidance?: number;
}

/** A configured model as the provider lists and runs it: settings resolved, hints read from the folder. */
export interface DiffusionModelEntry {
  id: string;
  /** The folder, absolute. */
  path: string;
  default: boolean;
  steps: number;
  guidance: number;
  scheduler?: SchedulerKind;
  /** What it serves: text-to-image always; image-to-image, inpaint and outpaint with a VAE encoder. */
  capabilities: Capability[];
  /**
   * `unet/config.json` says 9 input channels: an inpainting model, preferred for inpaint and outpaint
   * (a hint for choosing; the folder reader decides for running).
   */
  inpaintingHint: boolean;
}

const modelIdPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const defaultIdleMs = 300_000;

function configurationError(message: string, details: Record<string, unknown> = {}): DarkroomError {
  return new DarkroomError({ code: 'configuration', message, details });
}

/** The number at `key` of a JSON file, or `undefined` when the file or the key is missing or unreadable. */
function readJsonNumber(path: string, key: string): number | undefined {
  try {
    const value = (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)[key];
    return typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

function readSchedulerClass(path: string): string | undefined {
  try {
    const value = (JSON.parse(readFileSync(join(path, 'scheduler', 'scheduler_config.json'), 'utf8')) as Record<string, unknown>)._class_name;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the diffusion settings into the models the provider lists, default first. Reads only what
 * listing needs, synchronously (the provider is created synchronously): that each folder exists,
 * whether it has `vae_encoder/model.onnx` (image inputs) and what `unet/config.json` says of its
 * input channels. The full check of a folder (`readModelFolder`) runs when the provider starts using it.
 *
 * @throws DarkroomError `configuration` for a bad id, a duplicate id, two defaults, an out-of-range
 *   setting or a folder that does not exist.
 */
export function readDiffusionSettings(settings: DiffusionSettings): { entries: DiffusionModelEntry[]; idleMs: number } {
  const idleMs = settings.idleMs ?? defaultIdleMs;
  if (!(idleMs >= 0)) throw configurationError(`diffusion.idleMs must be 0 or more milliseconds, not ${idleMs}`);
  const list: DiffusionModelSetting[] = Array.isArray(settings.models) ? settings.models : Object.entries(settings.models).map(([id, path]) => ({ id, path }));
  if (list.length === 0) throw configurationError('diffusion.models lists no model; give { id: folder } or leave diffusion out');
  const seen = new Set<string>();
  const entries = list.map((setting): DiffusionModelEntry => {
    if (!modelIdPattern.test(setting.id)) throw configurationError(`Diffusion model id ${JSON.stringify(setting.id)} must be lowercase letters, digits, ".", "_" or "-" (at most 64)`);
    if (seen.has(setting.id)) throw configurationError(`Two diffusion models have the id ${JSON.stringify(setting.id)}; ids must be unique`);
    seen.add(setting.id);
    const path = resolve(setting.path);
    if (!existsSync(path)) throw configurationError(`The folder of diffusion model ${setting.id} does not exist: ${path}; point it at an Optimum ONNX export`, { model: setting.id, path });
    const lcm = readSchedulerClass(path) === 'LCMScheduler' || setting.scheduler === 'lcm';
    const steps = setting.steps ?? settings.steps ?? (lcm ? 4 : 25);
    const guidance = setting.guidance ?? settings.guidance ?? (lcm ? 8 : 7.5);
    if (!Number.isInteger(steps) || steps < 1 || steps > 100) throw configurationError(`Steps of diffusion model ${setting.id} must be an integer from 1 to 100, not ${steps}`);
    if (!(guidance >= 0 && guidance <= 30)) throw configurationError(`Guidance of diffusion model ${setting.id} must be from 0 to 30, not ${guidance}`);
    if (setting.scheduler !== undefined && !schedulerKinds.includes(setting.scheduler)) {
      throw configurationError(`Scheduler ${JSON.stringify(setting.scheduler)} of diffusion model ${setting.id} is not one of ${schedulerKinds.join(', ')}`);
    }
    const imageInputs = existsSync(join(path, 'vae_encoder', 'model.onnx'));
    return {
      id: setting.id,
      path,
      default: setting.default === true,
      steps,
      guidance,
      ...(setting.scheduler ? { scheduler: setting.scheduler } : {}),
      capabilities: imageInputs ? ['text-to-image', 'image-to-image', 'inpaint', 'outpaint'] : ['text-to-image'],
      inpaintingHint: readJsonNumber(join(path, 'unet', 'config.json'), 'in_channels') === 9,
    };
  });
  const defaults = entries.filter((entry) => entry.default);
  if (defaults.length > 1) throw configurationError(`Only one diffusion model can be the default; ${defaults.map((entry) => entry.id).join(' and ')} both are`);
  return { entries: [...defaults, ...entries.filter((entry) => !entry.default)], idleMs };
}
