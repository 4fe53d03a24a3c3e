import { DarkroomError } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { readSchedulerConfig, requireSetting } from './read-scheduler-config.js';

// Stable Diffusion 1.5's scheduler/scheduler_config.json.
const sd15 = {
  _class_name: 'PNDMScheduler',
  _diffusers_version: '0.6.0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
  clip_sample: false,
};

function refusal(json: unknown): DarkroomError {
  try {
    readSchedulerConfig(json);
  } catch (error) {
    if (DarkroomError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected readSchedulerConfig to refuse it');
}

describe('readSchedulerConfig', () => {
  it('reads the keys the schedulers use and drops the others', () => {
    expect(readSchedulerConfig(sd15)).toEqual({
      _class_name: 'PNDMScheduler',
      beta_end: 0.012,
      beta_schedule: 'scaled_linear',
      beta_start: 0.00085,
      num_train_timesteps: 1000,
      set_alpha_to_one: false,
      steps_offset: 1,
      trained_betas: null,
      clip_sample: false,
    });
    expect(readSchedulerConfig({})).toEqual({});
  });

  it('names the key, its value and what is allowed when a value is unusable', () => {
    const error = refusal({ ...sd15, beta_schedule: 'sigmoid' });
    expect(error.code).toBe('configuration');
    expect(error.message).toContain('beta_schedule is "sigmoid"');
    expect(error.message).toContain('"linear"|"scaled_linear"|"squaredcos_cap_v2"');
    expect(error.message).toContain("scheduler/scheduler_config.json");
    expect(error.details).toEqual({ keys: ['beta_schedule'] });
    expect(refusal({ ...sd15, timestep_spacing: 'even' }).message).toContain('"leading"|"trailing"|"linspace"');
    expect(refusal({ ...sd15, prediction_type: 'flow_prediction' }).message).toContain('prediction_type is "flow_prediction"');
    expect(refusal({ ...sd15, steps_offset: -1 }).message).toContain('steps_offset is -1');
    expect(refusal({ ...sd15, beta_end: 1.5 }).message).toContain('beta_end is 1.5');
    expect(refusal([1, 2]).message).toContain('a JSON object');
  });

  it('wants one trained beta per training timestep', () => {
    expect(refusal({ num_train_timesteps: 3, trained_betas: [0.1, 0.2] }).message).toContain('trained_betas lists 2 betas but num_train_timesteps is 3');
    expect(refusal({ trained_betas: [0.1, 'x'] }).message).toContain('trained_betas.1 is "x"');
    expect(readSchedulerConfig({ num_train_timesteps: 2, trained_betas: [0.1, 0.2] }).trained_betas).toEqual([0.1, 0.2]);
  });
});

describe('requireSetting', () => {
  it('passes an absent or allowed value and refuses another, naming the kind and the choices', () => {
    const config = readSchedulerConfig({ algorithm_type: 'sde-dpmsolver++', thresholding: false });
    expect(() => requireSetting(config, 'thresholding', [false], 'ddim')).not.toThrow();
    expect(() => requireSetting(config, 'solver_order', [2], 'dpm-solver-multistep')).not.toThrow();
    expect(() => requireSetting(config, 'algorithm_type', ['dpmsolver++', 'deis'], 'dpm-solver-multistep')).toThrow(
      'scheduler_config.json sets algorithm_type to "sde-dpmsolver++", which the dpm-solver-multistep scheduler does not implement (allowed: "dpmsolver++", "deis")',
    );
  });
});
