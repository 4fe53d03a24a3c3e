import { errors, z } from '@darkroom/core';

// The keys of diffusers' scheduler_config.json that Darkroom's schedulers read, with the values they can use.
// A key left out takes the default of the diffusers class the chosen kind implements, as diffusers' from_config
// does; keys not listed here are ignored.
const schedulerConfigSchema = z.object({
  /** The diffusers class the model was published with; createScheduler picks a kind from it. */
  _class_name: z.string().optional(),
  num_train_timesteps: z.number().int().min(1).max(100_000).optional(),
  beta_start: z.number().gt(0).lt(1).optional(),
  beta_end: z.number().gt(0).lt(1).optional(),
  beta_schedule: z.enum(['linear', 'scaled_linear', 'squaredcos_cap_v2']).optional(),
  /** One beta per training timestep, in (0, 1); replaces beta_start, beta_end and beta_schedule. */
  trained_betas: z.array(z.number().gt(0).lt(1)).nullish(),
  /** What the UNet predicts: the noise, the velocity (SD 2.x 768), or the clean sample. */
  prediction_type: z.enum(['epsilon', 'v_prediction', 'sample']).optional(),
  timestep_spacing: z.enum(['leading', 'trailing', 'linspace']).optional(),
  steps_offset: z.number().int().min(0).optional(),
  /** DDIM: the alpha product after the last step is 1 (else the first training step's). */
  set_alpha_to_one: z.boolean().optional(),
  /** DDIM and LCM: the predicted x0 is clamped to ±clip_sample_range. */
  clip_sample: z.boolean().optional(),
  clip_sample_range: z.number().gt(0).optional(),
  /** DPM-Solver: Karras et al.'s sigmas (rho 7) between the training schedule's smallest and largest. */
  use_karras_sigmas: z.boolean().optional(),
  /** LCM: the distillation's schedule length, from which the steps are picked. */
  original_inference_steps: z.number().int().min(1).optional(),
  /** LCM: the factor on the timestep in the boundary-condition scalings c_skip and c_out. */
  timestep_scaling: z.number().gt(0).optional(),
  // Settings of diffusers classes that change the arithmetic in ways Darkroom does not implement. Any value
  // is read here; the scheduler that would honour the key refuses a value it cannot (requireSetting).
  algorithm_type: z.string().optional(),
  solver_order: z.number().optional(),
  solver_type: z.string().optional(),
  final_sigmas_type: z.string().optional(),
  thresholding: z.boolean().optional(),
  rescale_betas_zero_snr: z.boolean().optional(),
  use_exponential_sigmas: z.boolean().optional(),
  use_beta_sigmas: z.boolean().optional(),
  use_lu_lambdas: z.boolean().optional(),
  use_flow_sigmas: z.boolean().optional(),
  variance_type: z.string().nullish(),
});

/** A diffusers scheduler_config.json, checked: the keys Darkroom reads (diffusers' names), unknown keys dropped. */
export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;

/**
 * Reads a model's `scheduler/scheduler_config.json` (parsed JSON). Unknown keys are ignored; a value no
 * Darkroom scheduler can use is a `configuration` error naming the key, its value and what is allowed.
 *
 * @example
 * const config = readSchedulerConfig(JSON.parse(await readFile(join(folder, 'scheduler/scheduler_config.json'), 'utf8')));
 * const scheduler = createScheduler(config, { steps: 4 });
 */
export function readSchedulerConfig(json: unknown): SchedulerConfig {
  const parsed = schedulerConfigSchema.safeParse(json);
  if (parsed.success) {
    const config = parsed.data;
    const trained = config.trained_betas;
    const count = config.num_train_timesteps ?? 1000;
    if (trained && trained.length !== count) {
      throw errors.configuration(
        `scheduler_config.json: trained_betas lists ${trained.length} betas but num_train_timesteps is ${count}; give one beta per training timestep`,
        { key: 'trained_betas' },
      );
    }
    return config;
  }
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.');
    if (key === '') return `it should be a JSON object (${issue.message})`;
    const value = issue.path.reduce<unknown>((at, part) => (at as Record<PropertyKey, unknown>)[part], json);
    return `${key} is ${JSON.stringify(value)}: ${issue.message}`;
  });
  throw errors.configuration(`scheduler_config.json: ${problems.join('; ')}. Change it in the model's scheduler/scheduler_config.json`, {
    keys: parsed.error.issues.map((issue) => issue.path.join('.')),
  });
}

/**
 * Refuses a setting the scheduler `kind` does not implement: `key` must be absent or one of `allowed`.
 *
 * @example
 * requireSetting(config, 'algorithm_type', ['dpmsolver++', 'deis'], 'dpm-solver-multistep');
 */
export function requireSetting<Key extends keyof SchedulerConfig>(
  config: SchedulerConfig,
  key: Key,
  allowed: readonly SchedulerConfig[Key][],
  kind: string,
): void {
  const value = config[key];
  if (value === undefined || allowed.includes(value)) return;
  throw errors.configuration(
    `scheduler_config.json sets ${key} to ${JSON.stringify(value)}, which the ${kind} scheduler does not implement ` +
      `(allowed: ${allowed.map((option) => JSON.stringify(option)).join(', ')}). Choose another scheduler kind or change ${key}`,
    { key, value, allowed },
  );
}
