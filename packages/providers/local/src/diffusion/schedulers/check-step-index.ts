/**
 * Throws a RangeError (a bug in the caller, not in a request) unless `stepIndex` indexes `timesteps` and the
 * latents have one length.
 *
 * @example
 * checkStepIndex(index, scheduler.timesteps, modelOutput, sample);
 */
export function checkStepIndex(stepIndex: number, timesteps: readonly number[], ...latents: Float32Array[]): void {
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= timesteps.length) {
    throw new RangeError(`stepIndex ${stepIndex} is outside the schedule: 0 to ${timesteps.length - 1}`);
  }
  const lengths = new Set(latents.map((values) => values.length));
  if (lengths.size > 1) throw new RangeError(`The latents differ in length (${[...lengths].join(', ')}); they must be one shape`);
}
