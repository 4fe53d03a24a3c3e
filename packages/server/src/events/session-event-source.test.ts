import type { Engine, EventTransportStats } from '@darkroom/core';
import { describe, expect, it, vi } from 'vitest';
import { sessionEventSource, sessionSafetyNetMs } from './session-event-source.js';

/** An engine with just what the session source uses: its transport's flags and counters, and message reads. */
function fakeEngine(crossProcess: boolean) {
  const stats: EventTransportStats = { connected: true, published: 0, sent: 0, trimmed: 0, received: 0, lost: { disconnected: 0, oversize: 0, failed: 0, overflow: 0 }, missed: 0, reconnects: 0 };
  const changes = vi.fn(async () => []);
  const engine = {
    events: { crossProcess, stats: () => ({ ...stats }) },
    chat: { changes, history: async () => ({ messages: [], next_cursor: null }) },
  } as unknown as Engine;
  return { engine, stats, changes };
}

describe('sessionEventSource refresh', () => {
  it('re-reads every time with the in-process transport', async () => {
    const { engine, changes } = fakeEngine(false);
    const source = sessionEventSource(engine, 'u1', 'ses_1');
    await source.snapshot!();
    const before = changes.mock.calls.length;
    await source.refresh!();
    await source.refresh!();
    expect(changes.mock.calls.length - before).toBe(2);
  });

  it('with a cross-process transport, re-reads only after a possible loss or when the safety net is due', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    try {
      const { engine, stats, changes } = fakeEngine(true);
      const source = sessionEventSource(engine, 'u1', 'ses_1');
      await source.snapshot!();
      const reads = () => changes.mock.calls.length;
      const start = reads();
      await source.refresh!();
      expect(reads()).toBe(start);

      stats.missed += 1; // another process's event did not arrive
      await source.refresh!();
      expect(reads()).toBe(start + 1);
      await source.refresh!();
      expect(reads()).toBe(start + 1);

      stats.connected = false; // while disconnected, every time
      await source.refresh!();
      await source.refresh!();
      expect(reads()).toBe(start + 3);
      stats.connected = true;
      stats.reconnects += 1;
      await source.refresh!();
      expect(reads()).toBe(start + 4);
      await source.refresh!();
      expect(reads()).toBe(start + 4);

      vi.setSystemTime(Date.now() + sessionSafetyNetMs);
      await source.refresh!();
      expect(reads()).toBe(start + 5);
    } finally {
      vi.useRealTimers();
    }
  });
});
