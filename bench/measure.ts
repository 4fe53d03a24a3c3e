/** Small helpers shared by the benchmark sections. */
export const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export async function time(runs: number, task: () => Promise<unknown>, warmups = 3): Promise<number[]> {
  for (let warm = 0; warm < warmups; warm += 1) await task();
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await task();
    samples.push(performance.now() - started);
  }
  return samples;
}

export const row = (name: string, samples: number[], baseline?: number[]) => ({
  case: name,
  'mean ms': mean(samples).toFixed(1),
  'p50 ms': percentile(samples, 50).toFixed(1),
  'p99 ms': percentile(samples, 99).toFixed(1),
  'ratio vs baseline': baseline ? (mean(samples) / mean(baseline)).toFixed(2) : '1.00 (baseline)',
});
