import type { StepCheckpoint } from '../spec/step-checkpoint.js';
import type { Capability, CapabilityRequest, CapabilityResult } from '../spec/capabilities.js';

export interface ModelInfo {
  id: string;
  capabilities: Capability[];
  description?: string;
  /** A development stand-in, not a real model: chosen only when nothing real can serve. */
  placeholder?: boolean;
}

export interface ProviderCallContext {
  signal: AbortSignal;
  model: string;
  /**
   * Durable memory for this call: save the provider's own request/task id here *before* waiting
   * on it, and a re-run of the job (after a crash) finds it and re-attaches instead of paying twice.
   * Scoped to this provider and this call of the step.
   */
  checkpoint: StepCheckpoint;
  /**
   * Reports how far this call is, in percent of the call: 0..100 (not a fraction), e.g. after each
   * denoising step of a local diffusion model. The engine maps it into the job's percent (published
   * as `job.progress` events, SSE on the server); values that are not finite or not above the last
   * one reported are ignored. Absent when the caller does not listen (a handler called directly):
   * call it as `context.progress?.(percent)`.
   */
  progress?(percent: number): void;
}

export type ProviderHandlers = {
  [C in Capability]?: (request: CapabilityRequest<C>, context: ProviderCallContext) => Promise<CapabilityResult<C>>;
};

export interface ProviderHealth {
  ok: boolean;
  message?: string;
  details?: Record<string, unknown>;
}

export interface ProviderDefinition {
  /** Stable id used in routing configuration, e.g. `local`, `runware`. */
  id: string;
  displayName?: string;
  models: ModelInfo[];
  handlers: ProviderHandlers;
  health?(): Promise<ProviderHealth>;
  close?(): Promise<void>;
}

export interface Provider extends ProviderDefinition {
  readonly kind: 'provider';
  readonly capabilities: Capability[];
  /** The model used for a capability when none is asked for. */
  defaultModel(capability: Capability): ModelInfo | undefined;
}

/**
 * Declares a provider. Capabilities come from its handlers; each must have a model.
 *
 * @example
 * export function createLocal() {
 *   return defineProvider({ id: 'local', models: [{ id: 'lanczos3', capabilities: ['upscale'] }],
 *     handlers: { upscale: async ({ image, scale }) => ({ images: [await resize(image, scale)] }) } });
 * }
 */
export function defineProvider(definition: ProviderDefinition): Provider {
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(definition.id)) {
    throw new TypeError(`Provider id ${JSON.stringify(definition.id)} must be lowercase letters, digits and dashes`);
  }
  const capabilities = Object.keys(definition.handlers) as Capability[];
  for (const capability of capabilities) {
    if (!definition.models.some((model) => model.capabilities.includes(capability))) {
      throw new TypeError(`Provider ${definition.id} handles ${capability} but lists no model for it`);
    }
  }
  return {
    ...definition,
    kind: 'provider',
    capabilities,
    defaultModel: (capability) =>
      definition.models.find((model) => model.capabilities.includes(capability) && !model.placeholder) ??
      definition.models.find((model) => model.capabilities.includes(capability)),
  };
}
