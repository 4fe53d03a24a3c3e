import { schedulerKinds, type DiffusionModelSetting, type SchedulerKind } from '@darkroom/provider-local';

const example = 'sd15=/models/sd15-onnx,turbo=/models/sd-turbo-onnx?steps=1&guidance=0';

/**
 * Reads `DARKROOM_DIFFUSION_MODELS`: comma-separated `id=folder` entries (Optimum ONNX exports), each
 * optionally followed by `?` and its own defaults, `steps=N`, `guidance=G`, `scheduler=KIND` and
 * `default` (the first entry is the default otherwise). Folders with a comma or `?` in their path
 * cannot be written this way (use `createLocalProvider({ diffusion })` from code).
 *
 * @throws Error naming the entry and what it must look like.
 * @example
 * parseDiffusionModels('sd15=/models/sd15,turbo=/models/sd-turbo?steps=1&guidance=0');
 * // [{ id: 'sd15', path: '/models/sd15' }, { id: 'turbo', path: '/models/sd-turbo', steps: 1, guidance: 0 }]
 */
export function parseDiffusionModels(text: string): DiffusionModelSetting[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((entry) => {
      const equals = entry.indexOf('=');
      const id = entry.slice(0, Math.max(0, equals)).trim();
      const [path = '', query] = entry.slice(equals + 1).split('?') as [string, string?];
      if (equals <= 0 || !path.trim()) throw new Error(`"${entry}" must look like id=/path/to/folder (e.g. ${example})`);
      const setting: DiffusionModelSetting = { id, path: path.trim() };
      for (const [key, value] of new URLSearchParams(query ?? '')) {
        if (key === 'steps' && /^\d+$/.test(value)) setting.steps = Number(value);
        else if (key === 'guidance' && value.trim() !== '' && Number.isFinite(Number(value))) setting.guidance = Number(value);
        else if (key === 'scheduler' && (schedulerKinds as readonly string[]).includes(value)) setting.scheduler = value as SchedulerKind;
        else if (key === 'default' && (value === '' || value === 'true')) setting.default = true;
        else throw new Error(`"${entry}": ${key}${value ? `=${value}` : ''} is not a setting; use steps=N, guidance=G, scheduler=${schedulerKinds.join('|')} or default (e.g. ${example})`);
      }
      return setting;
    });
}
