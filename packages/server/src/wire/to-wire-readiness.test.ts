import type { Readiness } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { toWireHealth, toWireReadiness } from './to-wire-readiness.js';

const ready: Readiness = {
  ok: true,
  stores: { conversations: { name: 'sql', ok: true }, gallery: { name: 'sql', ok: true }, assets: { name: 'sql', ok: true }, webhooks: { name: 'sql', ok: true } },
  storage: { ok: true },
  queue: { ok: true },
  events: { ok: true },
  workers: { ok: true, activeJobs: 2, runsJobs: true },
};

describe('readiness wire format', () => {
  it('answers the stores as one database check', () => {
    expect(toWireReadiness(ready)).toStrictEqual({ ok: true, database: { ok: true }, storage: { ok: true }, queue: { ok: true }, events: { ok: true }, workers: { ok: true, active_jobs: 2, runs_jobs: true } });
  });

  it('names each store that is not ready, with what to check', () => {
    const down = { ...ready, ok: false, stores: { ...ready.stores, conversations: { name: 'mongodb', ok: false, message: 'MongoDB did not answer; check DARKROOM_MONGODB_URL' } } };
    expect(toWireReadiness(down).database).toStrictEqual({ ok: false, message: 'conversations (mongodb): MongoDB did not answer; check DARKROOM_MONGODB_URL' });
    const health = toWireHealth({ ok: false, database: { ok: true, dialect: 'sqlite' }, stores: down.stores, storage: { name: 'local', ok: true }, providers: [], checkedInMs: 4 });
    expect(health).toStrictEqual({ ok: false, database: { ok: false, message: 'conversations (mongodb): MongoDB did not answer; check DARKROOM_MONGODB_URL', dialect: 'sqlite' }, storage: { name: 'local', ok: true }, providers: [], checked_in_ms: 4 });
  });

  it("writes a provider's retry time as ISO 8601 while its circuit is open", () => {
    const open = { provider: 'runware', ok: false, circuit: 'open' as const, capabilities: ['text-to-image' as const], models: ['m'], message: 'down', retryAt: 30_000 };
    const closed = { provider: 'local', ok: true, circuit: 'closed' as const, capabilities: ['upscale' as const], models: ['l'] };
    const health = toWireHealth({ ok: false, database: { ok: true, dialect: 'sqlite' }, stores: ready.stores, storage: { name: 'local', ok: true }, providers: [open, closed], checkedInMs: 4 });
    expect(health.providers).toStrictEqual([{ provider: 'runware', ok: false, circuit: 'open', capabilities: ['text-to-image'], models: ['m'], message: 'down', retry_at: '1970-01-01T00:00:30.000Z' }, closed]);
  });
});
