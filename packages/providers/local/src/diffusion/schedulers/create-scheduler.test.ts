import { readFileSync } from 'node:fs';
import { DarkroomError } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { createScheduler } from './create-scheduler.js';
import type { DiffusionScheduler, SchedulerKind } from './diffusion-scheduler.js';
import { readSchedulerConfig } from './read-scheduler-config.js';

// The expected numbers are Hugging Face diffusers' own: scripts/reference/diffusers-schedules.py runs diffusers'
// EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler, DDIMScheduler and LCMScheduler (commit
// 58eb52c0803ea9af3abec60841c2a093bdf1f951, torch 1.13) the way its pipelines do and wrote
// diffusers-schedules.json beside this file. Timesteps must be equal; sigmas within 1e-6 relative; latents
// within 1e-6 of their largest magnitude (expectClose says why not to the last bit).

interface ReferenceStep {
  model_output: number[];
  /** The noise diffusers' step drew, or null when it drew none. */
  noise: number[] | null;
  /** null where scale_model_input returned the sample unchanged. */
  scaled_input: number[] | null;
  prev_sample: number[];
  denoised: number[];
}

interface ReferenceCase {
  name: string;
  config: Record<string, unknown>;
  kind: SchedulerKind;
  steps: number;
  timesteps: number[];
  sigmas: number[] | null;
  init_noise_sigma: number;
  order: number;
  run: { initial_noise: number[]; initial_sample: number[]; steps: ReferenceStep[] };
  add_noise: { original: number[]; noise: number[]; by_step: number[][] };
  img2img?: { strength: number; start: number; image_latents: number[]; noise: number[]; initial_sample: number[]; steps: ReferenceStep[] };
}

interface Reference {
  diffusers_commit: string;
  cases: ReferenceCase[];
  sweeps: { config: Record<string, unknown>; kind: SchedulerKind; timesteps: Record<string, number[]> }[];
}

const reference = JSON.parse(readFileSync(new URL('./diffusers-schedules.json', import.meta.url), 'utf8')) as Reference;

/**
 * Float32 numbers equal to diffusers' within 1e-6: of each value (`each`, for schedules: a 0 must be 0), or of the
 * vector's largest magnitude (`largest`, for latents: an element that is a small difference of large terms
 * carries their rounding). Not to the last bit, because torch's own last bits vary by CPU: its vectorised
 * linspace rounds some betas differently per SIMD width, and its exp and log are SLEEF's (within 1 ulp).
 */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string, scale: 'each' | 'largest' = 'largest'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const largest = Math.max(...expected.map(Math.abs));
  for (let index = 0; index < expected.length; index++) {
    const want = Math.fround(expected[index]);
    const error = Math.abs(actual[index] - want);
    const allowed = 1e-6 * (scale === 'each' ? Math.abs(want) : largest);
    if (!(error <= allowed)) expect.fail(`${what}[${index}]: ${actual[index]} is not diffusers' ${want} (off by ${error}; allowed ${allowed})`);
  }
}

function replay(scheduler: DiffusionScheduler, first: number, initialSample: number[], steps: ReferenceStep[], what: string): void {
  let latents = Float32Array.from(initialSample);
  steps.forEach((expected, offset) => {
    const stepIndex = first + offset;
    const at = `${what} step ${stepIndex}`;
    const input = scheduler.scaleModelInput(latents, stepIndex);
    expectClose(input, expected.scaled_input ?? Array.from(latents), `${at} scaleModelInput`);
    let drawn = 0;
    const noise = () => {
      if (!expected.noise) throw new Error(`${at}: diffusers drew no noise here`);
      return expected.noise[drawn++];
    };
    const { prevSample, denoised } = scheduler.step(Float32Array.from(expected.model_output), stepIndex, latents, noise);
    expect(drawn, `${at}: noise numbers drawn`).toBe(expected.noise ? expected.noise.length : 0);
    expectClose(prevSample, expected.prev_sample, `${at} prevSample`);
    expectClose(denoised ?? [], expected.denoised, `${at} denoised`);
    // The next step starts from diffusers' sample, so one step's last-bit differences do not compound.
    latents = Float32Array.from(expected.prev_sample);
  });
}

describe(`createScheduler equals diffusers (diffusers-schedules.json, diffusers ${reference.diffusers_commit.slice(0, 10)})`, () => {
  for (const testCase of reference.cases) {
    describe(testCase.name, () => {
      const create = () => createScheduler(readSchedulerConfig(testCase.config), { steps: testCase.steps, kind: testCase.kind });

      it('has diffusers’ timesteps, sigmas, init_noise_sigma and order', () => {
        const scheduler = create();
        expect(scheduler.timesteps).toEqual(testCase.timesteps.map(Math.fround));
        if (testCase.sigmas) expectClose(scheduler.sigmas ?? [], testCase.sigmas, 'sigmas', 'each');
        else expect(scheduler.sigmas).toBeUndefined();
        expectClose([scheduler.initNoiseSigma], [testCase.init_noise_sigma], 'initNoiseSigma', 'each');
        expect(scheduler.order).toBe(testCase.order);
      });

      it('denoises step by step as diffusers’ pipeline loop does', () => {
        const scheduler = create();
        const { run } = testCase;
        const initial = run.initial_noise.map((value) => value * scheduler.initNoiseSigma);
        expectClose(initial, run.initial_sample, 'initial latents');
        replay(scheduler, 0, run.initial_sample, run.steps, 'text-to-image');
      });

      it('adds noise at every step as diffusers’ add_noise does', () => {
        const scheduler = create();
        const { original, noise, by_step: byStep } = testCase.add_noise;
        byStep.forEach((expected, stepIndex) => {
          expectClose(scheduler.addNoise(Float32Array.from(original), Float32Array.from(noise), stepIndex), expected, `addNoise at ${stepIndex}`);
        });
      });

      const { img2img } = testCase;
      if (img2img) {
        it(`runs image-to-image at strength ${img2img.strength} from step ${img2img.start} as diffusers’ img2img pipeline does`, () => {
          const scheduler = create();
          const start = Float32Array.from(img2img.image_latents);
          expectClose(scheduler.addNoise(start, Float32Array.from(img2img.noise), img2img.start), img2img.initial_sample, 'noised image latents');
          replay(scheduler, img2img.start, img2img.initial_sample, img2img.steps, 'image-to-image');
        });
      }
    });
  }

  for (const sweep of reference.sweeps) {
    const name = `${String(sweep.config._class_name ?? 'default')} ${sweep.config.use_karras_sigmas ? 'karras ' : ''}config`;
    it(`${sweep.kind} on the ${name} has diffusers’ timesteps for 1 to 50 steps`, () => {
      const config = readSchedulerConfig(sweep.config);
      for (const [steps, expected] of Object.entries(sweep.timesteps)) {
        const { timesteps } = createScheduler(config, { steps: Number(steps), kind: sweep.kind });
        expect(timesteps, `${steps} steps`).toEqual(expected.map(Math.fround));
      }
    });
  }
});

describe('createScheduler', () => {
  const sd15 = reference.cases.find((testCase) => testCase.name.startsWith('sd15'))!.config;

  it('picks the kind from _class_name: SD 1.5’s PNDMScheduler runs DPM++ 2M', () => {
    const chosen = createScheduler(readSchedulerConfig(sd15), { steps: 20 });
    const dpm = createScheduler(readSchedulerConfig(sd15), { steps: 20, kind: 'dpm-solver-multistep' });
    expect(chosen.timesteps).toEqual(dpm.timesteps);
    expect(chosen.sigmas).toEqual(dpm.sigmas);
  });

  it('refuses an unknown _class_name without a kind, listing the kinds', () => {
    const config = readSchedulerConfig({ ...sd15, _class_name: 'FlowMatchEulerDiscreteScheduler' });
    const error = captured(() => createScheduler(config, { steps: 20 }));
    expect(error.code).toBe('configuration');
    expect(error.message).toContain('FlowMatchEulerDiscreteScheduler');
    expect(error.message).toContain('euler-ancestral, dpm-solver-multistep, ddim, lcm');
    expect(createScheduler(config, { steps: 20, kind: 'ddim' }).timesteps).toHaveLength(20);
  });

  it('refuses settings a kind does not implement, naming the key and what is allowed', () => {
    const config = readSchedulerConfig({ ...sd15, _class_name: 'DPMSolverMultistepScheduler', algorithm_type: 'sde-dpmsolver++' });
    const error = captured(() => createScheduler(config, { steps: 20 }));
    expect(error.code).toBe('configuration');
    expect(error.message).toMatch(/algorithm_type to "sde-dpmsolver\+\+".*allowed: "dpmsolver\+\+", "deis"/);
    // Another kind does not read the key.
    expect(createScheduler(config, { steps: 20, kind: 'euler-ancestral' }).timesteps).toHaveLength(20);
    expect(captured(() => createScheduler(readSchedulerConfig({ ...sd15, prediction_type: 'sample' }), { steps: 4, kind: 'euler-ancestral' })).message).toContain(
      'prediction_type',
    );
    expect(captured(() => createScheduler(readSchedulerConfig({ ...sd15, thresholding: true }), { steps: 4, kind: 'ddim' })).message).toContain('thresholding');
  });

  it('refuses steps outside 1 to num_train_timesteps, and LCM steps beyond original_inference_steps', () => {
    const config = readSchedulerConfig(sd15);
    for (const steps of [0, 1.5, 1001]) expect(captured(() => createScheduler(config, { steps })).code).toBe('invalid_input');
    expect(captured(() => createScheduler(config, { steps: 51, kind: 'lcm' })).message).toContain('at most 50');
  });

  it('keeps DPM++ 2M’s history only across consecutive steps (a new start is first order, as diffusers’ first step)', () => {
    const create = () => createScheduler(readSchedulerConfig(sd15), { steps: 10 });
    const sample = new Float32Array(8).fill(0.5);
    const output = (value: number) => new Float32Array(8).fill(value);
    const firstOrder = (stepIndex: number) => create().step(output(0.2), stepIndex, sample, () => 0).prevSample;
    const consecutive = create();
    consecutive.step(output(0.1), 0, sample, () => 0);
    expect(consecutive.step(output(0.2), 1, sample, () => 0).prevSample).not.toEqual(firstOrder(1));
    const skipping = create();
    skipping.step(output(0.1), 0, sample, () => 0);
    expect(skipping.step(output(0.2), 2, sample, () => 0).prevSample).toEqual(firstOrder(2));
  });

  it('leaves its inputs unchanged and refuses a step index outside the schedule', () => {
    const scheduler = createScheduler(readSchedulerConfig(sd15), { steps: 4, kind: 'euler-ancestral' });
    const sample = Float32Array.of(1, 2, 3, 4);
    const scaled = scheduler.scaleModelInput(sample, 0);
    expect(sample).toEqual(Float32Array.of(1, 2, 3, 4));
    expect(scaled).not.toBe(sample);
    expect(() => scheduler.step(sample, 4, sample, () => 0)).toThrow(RangeError);
    expect(() => scheduler.addNoise(sample, new Float32Array(3), 0)).toThrow(RangeError);
  });
});

function captured(run: () => unknown): DarkroomError {
  try {
    run();
  } catch (error) {
    if (DarkroomError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a DarkroomError');
}
