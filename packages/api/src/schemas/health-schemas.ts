import { z } from 'zod';

export const liveness = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

const check = z.object({ ok: z.boolean(), message: z.string().optional() });

export const readiness = z
  .object({ ok: z.boolean(), database: check, storage: check, queue: check, events: check, workers: z.object({ ok: z.boolean(), active_jobs: z.number().int(), runs_jobs: z.boolean() }) })
  .meta({ id: 'Readiness' });

export const providerHealth = z.looseObject({ ok: z.boolean() }).meta({ id: 'ImageServicesHealth' });

export const modelList = z.object({ models: z.array(z.looseObject({ provider: z.string() })) }).meta({ id: 'ModelList' });
