import { describeDatabase } from '../store/database-unavailable-error.js';
import type pg from 'pg';
import { errors, type DarkroomError } from '@darkroom/plugin-api';
import { createWireEventTransport, type EventWire } from './create-wire-event-transport.js';
import type { EventTransport } from './event-transport.js';

/** NOTIFY payloads must be shorter than 8000 bytes (PostgreSQL's default configuration). */
export const postgresNotifyMaxBytes = 7_999;

export interface PostgresEventTransportOptions {
  /** `postgres://user@host:5432/db`; the transport opens one dedicated connection. */
  connectionString?: string;
  /** Or a pool to take the one dedicated connection from (held until `close`, then destroyed). */
  pool?: { connect(): Promise<pg.PoolClient> };
  /** The LISTEN/NOTIFY channel (at most 63 bytes, case kept); default `darkroom_events`. */
  channel?: string;
  /** `application_name` of the connection (with `connectionString`), as `pg_stat_activity` shows it; default `darkroom-events`. */
  applicationName?: string;
  /** Largest NOTIFY payload, UTF-8 bytes; at most (and by default) 7999. */
  maxPayloadBytes?: number;
  /** Reconnect delays: exponential with jitter from `minDelayMs` (100) to `maxDelayMs` (5000). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** How long `ready()` waits for the connection; default 5000 ms. */
  readyTimeoutMs?: number;
  /** Connection attempt timeout; default 5000 ms. */
  connectTimeoutMs?: number;
  /** Hears lost connections, failed sends and events too big (default: a process warning). */
  onError?: (error: DarkroomError) => void;
}

/** host:port/database of a connection string, never its credentials. */
const describeTarget = (connectionString: string | undefined) => (connectionString ? describeDatabase(connectionString) : 'the given pool');

/**
 * Engine events over PostgreSQL LISTEN/NOTIFY, for deployments whose processes share one
 * PostgreSQL database (the SQL job queue): every process on the same database and channel hears
 * every other's events. One dedicated connection both LISTENs and NOTIFYs, so one process's
 * events stay in order; sends are batched (`pg_notify` over an array, one statement). A lost
 * connection is re-opened with backoff and LISTENs again; events published meanwhile are lost for
 * other processes (see `EventTransport`). Payloads are limited to 7999 bytes: a bigger
 * `job.succeeded` goes without its result (`resultOmitted: true`).
 *
 * Throws `configuration` when neither or both of `connectionString` and `pool` are given, or the
 * channel or payload limit is impossible.
 *
 * @example
 * const events = createPostgresEventTransport({ connectionString: 'postgres://darkroom@db:5432/darkroom', channel: 'darkroom_events' });
 * await events.ready(); // rejects with `unavailable` saying what to check
 * const engine = await createEngine({ store: { kind: 'postgres', connectionString }, events });
 */
export function createPostgresEventTransport(options: PostgresEventTransportOptions): EventTransport {
  const { connectionString, pool } = options;
  if ((connectionString === undefined) === (pool === undefined)) {
    throw errors.configuration('The PostgreSQL event transport needs either connectionString or pool (one of them)');
  }
  const channel = options.channel ?? 'darkroom_events';
  if (channel.length === 0 || Buffer.byteLength(channel) > 63) {
    throw errors.configuration(`A PostgreSQL channel name has 1 to 63 bytes; ${JSON.stringify(channel)} has ${Buffer.byteLength(channel)}`, { channel });
  }
  const maxPayloadBytes = options.maxPayloadBytes ?? postgresNotifyMaxBytes;
  if (!(maxPayloadBytes > 0 && maxPayloadBytes <= postgresNotifyMaxBytes)) {
    throw errors.configuration(`maxPayloadBytes must be 1 to ${postgresNotifyMaxBytes} (NOTIFY payloads are shorter than 8000 bytes)`, { maxPayloadBytes });
  }
  const target = `${describeTarget(connectionString)} channel ${channel}`;
  return createWireEventTransport({
    name: 'postgres',
    target,
    check: 'that PostgreSQL accepts connections there (DARKROOM_DATABASE_URL) and has a connection to spare (max_connections)',
    maxPayloadBytes,
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    open(hooks, { reconnectDelayMs }): EventWire {
      let client: pg.ClientBase | undefined;
      let attempt = 0;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;

      const dispose = (which: pg.ClientBase) => {
        if ('release' in which && typeof which.release === 'function') (which as pg.PoolClient).release(true);
        else void (which as pg.Client).end().catch(() => undefined);
      };
      const dropped = (which: pg.ClientBase, error: unknown) => {
        if (which !== client) return;
        client = undefined;
        dispose(which);
        if (closed) return;
        hooks.lost(error);
        schedule();
      };
      const schedule = () => {
        attempt += 1;
        timer = setTimeout(() => void connect(), reconnectDelayMs(attempt));
      };
      const connect = async () => {
        let next: pg.ClientBase | undefined;
        try {
          // pg loads when a PostgreSQL transport first connects, not with @darkroom/core.
          const { default: pg } = await import('pg');
          if (pool) {
            next = await pool.connect();
          } else {
            const fresh = new pg.Client({ connectionString, application_name: options.applicationName ?? 'darkroom-events', connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
            fresh.on('error', () => undefined); // until connected; `connect` rejects with the cause
            next = fresh;
            await fresh.connect();
          }
          const current = next;
          current.on('error', (error) => dropped(current, error));
          current.on('end', () => dropped(current, new Error('the connection ended')));
          current.on('notification', (message) => {
            if (message.channel === channel && message.payload !== undefined) hooks.received(message.payload);
          });
          await current.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
          if (closed) return dispose(current);
          client = current;
          attempt = 0;
          hooks.connected();
        } catch (error) {
          if (next) dispose(next);
          if (closed) return;
          hooks.lost(error);
          schedule();
        }
      };
      void connect();

      return {
        async send(payloads) {
          if (!client) throw new Error('not connected');
          // One statement: NOTIFYs of one transaction are delivered together, in the order sent.
          await client.query('select pg_notify($1, payload) from unnest($2::text[]) with ordinality as sent(payload, position) order by position', [channel, payloads]);
        },
        async close() {
          closed = true;
          clearTimeout(timer);
          const current = client;
          client = undefined;
          if (!current) return;
          if (pool) (current as pg.PoolClient).release(true);
          else await (current as pg.Client).end().catch(() => undefined);
        },
      };
    },
  });
}
