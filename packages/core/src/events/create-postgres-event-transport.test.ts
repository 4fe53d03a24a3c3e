import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { DarkroomError } from '@darkroom/plugin-api';
import { describeEngineEventsAcrossProcesses, describeEventTransportContract } from '../testing/describe-event-transport-contract.js';
import { postgresUrl, testDatabases } from '../testing/test-databases.js';
import { createPostgresEventTransport, postgresNotifyMaxBytes } from './create-postgres-event-transport.js';

// testDatabases() decides whether PostgreSQL runs here (and fails in CI when it is missing).
const hasPostgres = (await testDatabases()).some((database) => database.name === 'postgres');

async function terminate(applicationName: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query('select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = $1', [applicationName]);
    if (!rows.some((row) => row.done)) throw new Error(`no backend named ${applicationName} to terminate`);
  } finally {
    await admin.end();
  }
}

if (hasPostgres) {
  describeEventTransportContract('postgres', async (channel) => {
    const applicationName = `darkroom-contract-${randomBytes(4).toString('hex')}`;
    const errors: DarkroomError[] = [];
    return {
      transport: createPostgresEventTransport({ connectionString: postgresUrl, channel, applicationName, reconnect: { minDelayMs: 20, maxDelayMs: 200 }, onError: (error) => errors.push(error) }),
      maxPayloadBytes: postgresNotifyMaxBytes,
      interrupt: () => terminate(applicationName),
    };
  });

  describeEngineEventsAcrossProcesses('postgres', postgresUrl, async (channel) => createPostgresEventTransport({ connectionString: postgresUrl, channel }));

  describe('createPostgresEventTransport', () => {
    it('takes its connection from a pool when given one, and gives it back destroyed at close', async () => {
      const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
      const channel = `darkroom_pool_${randomBytes(4).toString('hex')}`;
      const pooled = createPostgresEventTransport({ pool, channel });
      const direct = createPostgresEventTransport({ connectionString: postgresUrl, channel });
      try {
        await Promise.all([pooled.ready(), direct.ready()]);
        expect(pool.totalCount).toBe(1);
        const seen: string[] = [];
        direct.subscribe((event) => seen.push(event.type));
        pooled.publish({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' });
        await expect.poll(() => seen).toEqual(['job.cancelled']);
      } finally {
        await Promise.all([pooled.close(), direct.close()]);
        expect(pool.totalCount).toBe(0);
        await pool.end();
      }
    });
  });
}

describe('createPostgresEventTransport without a server', () => {
  it('keeps trying, and ready() rejects saying what to check', async () => {
    const errors: DarkroomError[] = [];
    const transport = createPostgresEventTransport({ connectionString: 'postgres://someone:secret@127.0.0.1:1/nowhere', readyTimeoutMs: 300, connectTimeoutMs: 200, reconnect: { minDelayMs: 20, maxDelayMs: 50 }, onError: (error) => errors.push(error) });
    try {
      const refusal = await transport.ready().then(() => undefined, (error: unknown) => error as DarkroomError);
      expect(refusal).toMatchObject({ code: 'unavailable', status: 503, details: { transport: 'postgres', target: '127.0.0.1:1/nowhere channel darkroom_events' } });
      expect(refusal!.message).toMatch(/DARKROOM_DATABASE_URL/);
      expect(refusal!.message).not.toMatch(/secret/);
      expect(errors).toHaveLength(1);
      expect(() => transport.publish({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' })).not.toThrow();
      expect(transport.stats()).toMatchObject({ connected: false, published: 1, lost: { disconnected: 1 } });
    } finally {
      await transport.close();
    }
  });

  it('refuses impossible settings', () => {
    expect(() => createPostgresEventTransport({})).toThrow(/connectionString or pool/);
    expect(() => createPostgresEventTransport({ connectionString: postgresUrl, channel: 'x'.repeat(64) })).toThrow(/1 to 63 bytes/);
    expect(() => createPostgresEventTransport({ connectionString: postgresUrl, maxPayloadBytes: 8_000 })).toThrow(/shorter than 8000 bytes/);
  });
});
