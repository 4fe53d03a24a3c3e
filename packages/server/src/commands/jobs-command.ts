import { DarkroomError } from '@darkroom/core';
import type { Job } from '@darkroom/client';
import type { StudioJobSummary } from './studio.js';
import { formatTable } from './format-table.js';
import { withStudio, type ConnectionOptions } from './open-studio.js';

/**
 * `darkroom jobs` lists the latest jobs; `darkroom jobs <id>` shows one (state, progress, steps,
 * result or error); `darkroom jobs cancel <id>` cancels one. `json` prints the API's `Job` shapes.
 */
export async function jobsCommand(options: ConnectionOptions & { words: string[]; limit?: number; json?: boolean }): Promise<void> {
  const [first, second, ...rest] = options.words;
  if (rest.length > 0 || (first === 'cancel' && !second) || (first !== 'cancel' && second)) {
    throw new DarkroomError({ code: 'invalid_input', message: 'Write darkroom jobs (the list), darkroom jobs <id> or darkroom jobs cancel <id>' });
  }
  await withStudio(options, { runsJobs: false }, async (studio) => {
    if (first === 'cancel') return print(await studio.jobs.cancel(second!), options.json);
    if (first) return print(await studio.jobs.get(first), options.json);
    const page = await studio.jobs.list({ ...(options.limit ? { limit: options.limit } : {}) });
    if (options.json) return void process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    if (page.items.length === 0) return void process.stdout.write('No jobs yet.\n');
    process.stdout.write(formatTable([['ID', 'KIND', 'STATE', 'PROGRESS', 'CREATED'], ...page.items.map((job) => [job.id, jobKind(job), job.state, `${Math.round(job.progress)}%`, job.created_at])]));
  });
}

/** `feature upscale`, `chat`, or the workflow's kind. */
const jobKind = (job: StudioJobSummary) => {
  const feature = (job.result as { feature?: unknown } | null)?.feature;
  return typeof feature === 'string' ? `${job.kind} ${feature}` : job.kind;
};

function print(job: Job, json?: boolean): void {
  if (json) return void process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
  const lines = [`${job.id}  ${jobKind(job)}  ${job.state}  ${Math.round(job.progress)}%  attempt ${job.attempt}/${job.max_attempts}`, `created ${job.created_at}${job.finished_at ? `, finished ${job.finished_at}` : ''}`];
  for (const step of job.steps) lines.push(`  step ${step.key}: ${step.status}${step.error ? ` (${step.error.code}: ${step.error.message})` : ''}`);
  if (job.error) lines.push(`error (${job.error.code}): ${job.error.message}`);
  const images = (job.result as { images?: Array<{ asset_id: string; url: string }> } | null)?.images ?? [];
  for (const image of images) lines.push(`image ${image.asset_id}  ${image.url}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
