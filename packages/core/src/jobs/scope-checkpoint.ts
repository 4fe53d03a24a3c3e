import type { StepCheckpoint } from '@darkroom/plugin-api';

/** A view of a checkpoint whose keys are prefixed, so several callers in one step never collide. */
export function scopeCheckpoint(checkpoint: StepCheckpoint, prefix: string): StepCheckpoint {
  return {
    get: (key) => checkpoint.get(`${prefix}:${key}`),
    set: (key, value) => checkpoint.set(`${prefix}:${key}`, value),
  };
}

/** A checkpoint that lives only in memory: for calls made outside a job. */
export function memoryCheckpoint(): StepCheckpoint {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}
