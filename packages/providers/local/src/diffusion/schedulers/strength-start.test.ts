import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { strengthStart } from './strength-start.js';

// Expected starts: diffusers' StableDiffusionImg2ImgPipeline.get_timesteps, run by
// scripts/reference/diffusers-schedules.py (diffusers-schedules.json, "strength_starts").
const { strength_starts: starts } = JSON.parse(readFileSync(new URL('./diffusers-schedules.json', import.meta.url), 'utf8')) as {
  strength_starts: { steps: number; strength: number; start: number }[];
};

describe('strengthStart', () => {
  it('is the first step diffusers’ get_timesteps keeps', () => {
    expect(starts.length).toBeGreaterThan(50);
    for (const { steps, strength, start } of starts) expect(strengthStart(steps, strength), `${steps} steps at ${strength}`).toBe(start);
  });

  it('refuses a strength outside 0 to 1 and a step count below 1', () => {
    for (const strength of [-0.1, 1.1, Number.NaN]) expect(() => strengthStart(20, strength)).toThrow('strength must be from 0 to 1');
    expect(() => strengthStart(0, 0.5)).toThrow('steps must be a whole number');
  });
});
