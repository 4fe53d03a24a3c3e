import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine } from '../engine/create-engine.js';
import type { Engine } from '../engine/engine.js';
import { DarkroomError, defineFeature, definePlugin } from '@darkroom/plugin-api';
import type { EngineEvent } from '../events/event-bus.js';
import type { EventTransport } from '../events/event-transport.js';
import { createDatabase, type Database } from '../store/create-database.js';
import { createInstantProvider } from './test-plugin.js';
import { featureRunProgress, featureShareOfRun } from '../engine/feature-run-progress.js';

export interface EventTransportContractSubject {
  transport: EventTransport;
  /** The transport's payload limit in bytes, if it has one. */
  maxPayloadBytes?: number;
  /**
   * Makes the server drop this transport's connection (e.g. `pg_terminate_backend` on its pid, or
   * killing and restarting a private `redis-server`, which drops every connection to it) and
   * resolves once it is dropped. Without it the reconnect case is not run.
   */
  interrupt?(): Promise<void>;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const progress = (jobId: string, value: number): EngineEvent => ({ type: 'job.progress', jobId, userId: 'u1', progress: value });

function recorder(transport: EventTransport) {
  const events: EngineEvent[] = [];
  const off = transport.subscribe((event) => events.push(event));
  return { events, off };
}

/**
 * The delivery semantics of `EventTransport` (see its doc), for any implementation. `open(channel)`
 * opens a transport on a channel; two opened on one channel stand for two processes (for a
 * transport that is not `crossProcess`, the second hears nothing of the first). Each case uses a
 * channel of its own, so test files running at once do not hear each other.
 *
 * @example
 * describeEventTransportContract('postgres', async (channel) => ({ transport: createPostgresEventTransport({ connectionString, channel }), maxPayloadBytes: 7_999 }));
 */
export function describeEventTransportContract(name: string, open: (channel: string) => Promise<EventTransportContractSubject>): void {
  describe(`event transport contract: ${name}`, () => {
    const opened: EventTransport[] = [];
    /** Two "processes" on a fresh channel, both ready. */
    const pair = async () => {
      const channel = `darkroom_contract_${randomBytes(6).toString('hex')}`;
      const a = await open(channel);
      opened.push(a.transport);
      const b = await open(channel);
      opened.push(b.transport);
      await Promise.all([a.transport.ready(), b.transport.ready()]);
      return { a, b, crossProcess: a.transport.crossProcess };
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((transport) => transport.close()));
    });

    it('tells the publishing process\'s subscribers synchronously, once, and every other process once', async () => {
      const { a, b, crossProcess } = await pair();
      const here = recorder(a.transport);
      const there = recorder(b.transport);
      const thereToo = recorder(b.transport);
      const event: EngineEvent = { type: 'job.queued', jobId: 'job_1', userId: 'u1', kind: 'feature' };
      a.transport.publish(event);
      expect(here.events).toEqual([event]);
      if (crossProcess) {
        await until(() => there.events.length > 0 && thereToo.events.length > 0, 'the other process hears the event');
        expect(there.events).toEqual([event]);
        expect(thereToo.events).toEqual([event]);
      } else {
        expect(there.events).toEqual([]);
      }
      // A second event behind the first: once it arrived, a repeat of the first would have too.
      a.transport.publish(progress('job_1', 5));
      if (crossProcess) await until(() => there.events.length === 2, 'the second event arrives');
      else await pause(50);
      expect(here.events).toHaveLength(2);
      expect(there.events).toHaveLength(crossProcess ? 2 : 0);
      expect(a.transport.stats()).toMatchObject({ published: 2, connected: true });
      if (crossProcess) expect(b.transport.stats()).toMatchObject({ received: 2, missed: 0 });
    });

    it('keeps the order of each job\'s events over 500 events', async () => {
      const { a, b, crossProcess } = await pair();
      const here = recorder(a.transport);
      const there = recorder(b.transport);
      for (let index = 0; index < 500; index += 1) a.transport.publish(progress(index % 2 === 0 ? 'job_even' : 'job_odd', index));
      const ordered = (events: EngineEvent[], jobId: string) => events.filter((event) => event.type === 'job.progress' && event.jobId === jobId).map((event) => (event as { progress: number }).progress);
      const expected = (parity: number) => Array.from({ length: 250 }, (_, index) => index * 2 + parity);
      expect(ordered(here.events, 'job_even')).toEqual(expected(0));
      expect(ordered(here.events, 'job_odd')).toEqual(expected(1));
      if (!crossProcess) return;
      await until(() => there.events.length >= 500, 'all 500 events arrive');
      expect(ordered(there.events, 'job_even')).toEqual(expected(0));
      expect(ordered(there.events, 'job_odd')).toEqual(expected(1));
      await pause(50);
      expect(there.events).toHaveLength(500);
    });

    it('stops telling a subscriber that unsubscribed; unsubscribing twice is harmless', async () => {
      const { a, b, crossProcess } = await pair();
      const kept = recorder(b.transport);
      const dropped = recorder(b.transport);
      const local = recorder(a.transport);
      dropped.off();
      dropped.off();
      local.off();
      const sender = crossProcess ? a.transport : b.transport;
      sender.publish(progress('job_1', 1));
      await until(() => kept.events.length === 1, 'the kept subscriber hears the event');
      expect(dropped.events).toEqual([]);
      expect(local.events).toEqual([]);
    });

    it('goes on past a throwing subscriber', async () => {
      const { a, b, crossProcess } = await pair();
      a.transport.subscribe(() => {
        throw new Error('a broken listener');
      });
      b.transport.subscribe(() => {
        throw new Error('a broken listener');
      });
      const here = recorder(a.transport);
      const there = recorder(b.transport);
      expect(() => a.transport.publish(progress('job_1', 1))).not.toThrow();
      expect(here.events).toHaveLength(1);
      if (crossProcess) await until(() => there.events.length === 1, 'the other process hears the event');
    });

    it('after close: ready() rejects (unavailable), publish still tells local subscribers and never throws, nothing arrives', async () => {
      const { a, b, crossProcess } = await pair();
      const here = recorder(a.transport);
      const there = recorder(b.transport);
      await a.transport.close();
      await a.transport.close();
      const refusal = await a.transport.ready().then(() => undefined, (error: unknown) => error);
      expect(DarkroomError.isInstance(refusal)).toBe(true);
      expect(refusal).toMatchObject({ code: 'unavailable', retryable: true, details: { transport: a.transport.name } });
      expect(() => a.transport.publish(progress('job_1', 1))).not.toThrow();
      expect(here.events).toHaveLength(1);
      b.transport.publish(progress('job_1', 2));
      await pause(crossProcess ? 200 : 20);
      expect(here.events).toHaveLength(1);
      expect(there.events).toHaveLength(1);
      expect(a.transport.stats().connected).toBe(false);
      if (crossProcess) expect(a.transport.stats().lost.disconnected).toBe(1);
    });

    it('sends an event bigger than the payload limit without its bulky part, or not at all, and says so', async () => {
      const { a, b, crossProcess } = await pair();
      const limit = a.maxPayloadBytes ?? 64 * 1024;
      const here = recorder(a.transport);
      const there = recorder(b.transport);
      const bulky = 'x'.repeat(limit + 100);
      const succeeded: EngineEvent = { type: 'job.succeeded', jobId: 'job_big', userId: 'u1', kind: 'test', result: { text: bulky } };
      const failed: EngineEvent = { type: 'step.failed', jobId: 'job_big', userId: 'u1', step: 'run', error: { code: 'internal', message: bulky, retryable: false } };
      a.transport.publish(succeeded);
      a.transport.publish(failed);
      a.transport.publish(progress('job_big', 100));
      expect(here.events).toEqual([succeeded, failed, progress('job_big', 100)]);
      if (!crossProcess || a.maxPayloadBytes === undefined) {
        if (crossProcess) await until(() => there.events.length === 3, 'all three arrive whole');
        return;
      }
      await until(() => there.events.length === 2, 'the trimmed success and the progress arrive');
      expect(there.events[0]).toEqual({ type: 'job.succeeded', jobId: 'job_big', userId: 'u1', kind: 'test', resultOmitted: true });
      expect(there.events[1]).toEqual(progress('job_big', 100));
      expect(a.transport.stats()).toMatchObject({ trimmed: 1, lost: { oversize: 1 } });
      expect(b.transport.stats().missed).toBe(1);
    });

    it('reconnects after the server drops the connection; an event published meanwhile is delivered or counted missed', async ({ skip }) => {
      const { a, b, crossProcess } = await pair();
      if (!crossProcess || !a.interrupt) return skip('no server connection to drop');
      const here = recorder(a.transport);
      const there = recorder(b.transport);
      a.transport.publish(progress('job_before', 0));
      await until(() => there.events.length === 1, 'an event before the drop arrives');
      await a.interrupt();
      expect(() => a.transport.publish(progress('job_gap', 1))).not.toThrow();
      expect(here.events).toHaveLength(2);
      await until(() => a.transport.stats().reconnects >= 1 && a.transport.stats().connected, `${name} reconnects`, 20_000);
      await Promise.all([a.transport.ready(), b.transport.ready()]);
      a.transport.publish(progress('job_after', 2));
      await until(() => there.events.some((event) => event.jobId === 'job_after'), 'an event after reconnecting reaches the other process', 20_000);
      // The event of the outage reached the other process, or the other process counts it missed
      // (a gap in the sender's sequence numbers); when the sender knows it lost it, it counts it too.
      const lost = a.transport.stats().lost;
      const delivered = there.events.filter((event) => event.jobId === 'job_gap').length;
      const missed = b.transport.stats().missed;
      expect(delivered + missed).toBe(1);
      expect(lost.disconnected + lost.failed).toBeLessThanOrEqual(missed);
      b.transport.publish(progress('job_back', 3));
      await until(() => here.events.some((event) => event.jobId === 'job_back'), 'the other process reaches the reconnected one', 20_000);
      expect(here.events.filter((event) => event.jobId === 'job_back')).toHaveLength(1);
    });
  });
}

/** A feature that reports half its progress (50 percent), then waits for `gate` before painting. */
function gatedPaint(gate: Promise<void>) {
  return definePlugin({
    name: 'gated-paint-plugin',
    features: [
      defineFeature({
        id: 'gated-paint',
        description: 'Paints once the test lets it',
        capability: 'text-to-image',
        intents: { name: 'image_generate', keywords: ['gated paint'], examples: [] },
        input: z.object({ prompt: z.string().min(1) }),
        async run(input, context) {
          context.progress(50);
          await gate;
          const result = await context.call('text-to-image', { prompt: input.prompt, width: 8, height: 8 });
          return { images: result.images, provider: result.provider, model: result.model, metadata: {} };
        },
      }),
    ],
  });
}

/**
 * The point of a cross-process transport, end to end: an API engine (runner not started) and a
 * worker engine share one PostgreSQL database (a fresh schema) and a transport channel each, and
 * the API engine's `on()` hears the worker's `job.started`, `step.*` and `job.progress` of the job
 * it submitted while the job is still running, each once, then its end. `open(channel)` opens one
 * process's transport; `postgresUrl` is the database.
 *
 * @example
 * describeEngineEventsAcrossProcesses('redis', postgresUrl, async (channel) => createRedisEventTransport({ url, channel }));
 */
export function describeEngineEventsAcrossProcesses(name: string, postgresUrl: string, open: (channel: string) => Promise<EventTransport>): void {
  describe(`engine events across processes: ${name}`, () => {
    it('an API engine hears the progress and steps of a job a worker engine runs, live, each once', async () => {
      const schema = `darkroom_events_${randomBytes(6).toString('hex')}`;
      const channel = `darkroom_engines_${randomBytes(6).toString('hex')}`;
      let openGate!: () => void;
      const plugin = gatedPaint(new Promise<void>((resolve) => (openGate = resolve)));
      const databases: Database[] = [];
      const transports: EventTransport[] = [];
      const engines: Engine[] = [];
      try {
        // One after the other: the first migrates the schema.
        for (let index = 0; index < 2; index += 1) databases.push(await createDatabase({ kind: 'postgres', connectionString: postgresUrl, schema, maxConnections: 4 }));
        for (let index = 0; index < 2; index += 1) transports.push(await open(channel));
        await Promise.all(transports.map((transport) => transport.ready()));
        const [apiEvents, workerEvents] = transports as [EventTransport, EventTransport];
        const api = await createEngine({ plugins: [plugin], providers: [createInstantProvider()], store: databases[0]!, events: apiEvents, runner: { autoStart: false } });
        engines.push(api);
        engines.push(await createEngine({ plugins: [plugin], providers: [createInstantProvider()], store: databases[1]!, events: workerEvents, runner: { pollMs: 20 } }));
        expect(api.events.crossProcess).toBe(true);
        const seen: EngineEvent[] = [];
        api.on((event) => seen.push(event));

        const job = await api.submit('gated-paint', { prompt: 'a lighthouse' });
        const ofJob = () => seen.filter((event) => 'jobId' in event && event.jobId === job.id).map((event) => event.type);
        const percents = () => seen.flatMap((event) => (event.type === 'job.progress' && event.jobId === job.id ? [event.progress] : []));
        // The feature's 50 percent is the middle of the provider stage of the run.
        const half = Math.round(featureShareOfRun(50));
        await until(() => percents().includes(half), 'the API engine hears the worker\'s progress');
        // Live: heard while the worker is still inside the step.
        expect((await api.jobs.get('local', job.id)).state).toBe('running');
        expect(ofJob()).toEqual(['job.queued', 'job.started', 'step.started', 'job.progress', 'job.progress']);
        expect(percents()).toEqual([featureRunProgress.inputValidated, half]);

        openGate();
        const done = await api.jobs.wait('local', job.id, { timeoutMs: 10_000 });
        expect(done.state).toBe('succeeded');
        await until(() => ofJob().includes('job.succeeded'), 'the API engine hears the end');
        await pause(100);
        expect(ofJob().filter((type) => type !== 'job.progress')).toEqual(['job.queued', 'job.started', 'step.started', 'step.succeeded', 'job.succeeded']);
        // The provider call's start (below the feature's 50 percent) moves nothing back; the later stages follow, each once.
        expect(percents()).toEqual([featureRunProgress.inputValidated, half, featureRunProgress.providerAnswered, featureRunProgress.resultStored]);
        expect(ofJob().lastIndexOf('job.progress')).toBeLessThan(ofJob().indexOf('step.succeeded'));
        expect(seen.at(-1)).toMatchObject({ type: 'job.succeeded', result: { images: [expect.objectContaining({ width: 8 })] } });
      } finally {
        await Promise.all(engines.map((engine) => engine.close()));
        await Promise.all(transports.map((transport) => transport.close()));
        await Promise.all(databases.map((database) => database.close()));
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    });
  });
}
