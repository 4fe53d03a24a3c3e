/**
 * Where a feature run stands, in percent of the run (0..100), at each stage the engine sees itself.
 * A direct feature job reports exactly these as its job percent (the job reaches 100 when it
 * succeeds); a chat turn scales them into the share of the step running the feature.
 *
 * - `inputValidated` (5): the input was parsed with the feature's schema.
 * - `providerCalled` (10): the feature made its first provider call. The feature's own
 *   `context.progress(percent)` maps into `providerCalled..providerAnswered` (10..85).
 * - `providerAnswered` (85): the feature returned its images (every provider call answered;
 *   a retry or fallback inside a call reports nothing, so it never moves progress back).
 * - `resultStored` (95): every image is stored with its gallery row (reached image by image).
 */
export const featureRunProgress = { inputValidated: 5, providerCalled: 10, providerAnswered: 85, resultStored: 95 } as const;

/**
 * The run percent for a feature's own percent (0..100): its place in the provider stage.
 *
 * @example
 * featureShareOfRun(50); // 47.5
 */
export function featureShareOfRun(percent: number): number {
  const { providerCalled, providerAnswered } = featureRunProgress;
  return providerCalled + ((providerAnswered - providerCalled) * percent) / 100;
}
