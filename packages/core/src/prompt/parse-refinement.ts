import { DarkroomError, type CapabilityResult } from '@darkroom/plugin-api';

/**
 * A language model's refinement answer, asked for as JSON `{"refined": string, "negative"?: string}`.
 * Anything else is a retryable provider error naming the provider.
 */
export function parseRefinement(text: string | null | undefined, provider: string): CapabilityResult<'refine-prompt'> {
  let parsed: { refined?: unknown; negative?: unknown };
  try {
    parsed = JSON.parse(text ?? '') as typeof parsed;
  } catch {
    throw new DarkroomError({ code: 'provider_error', message: `${provider} answered the refinement with text that is not the JSON asked for`, retryable: true, details: { provider } });
  }
  if (typeof parsed?.refined !== 'string' || !parsed.refined.trim()) {
    throw new DarkroomError({ code: 'provider_error', message: `${provider} answered an empty refinement`, retryable: true, details: { provider } });
  }
  return { refined: parsed.refined, ...(typeof parsed.negative === 'string' && parsed.negative ? { negative: parsed.negative } : {}) };
}
