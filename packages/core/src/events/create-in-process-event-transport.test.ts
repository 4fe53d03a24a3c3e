import { describe, expect, it } from 'vitest';
import { describeEventTransportContract } from '../testing/describe-event-transport-contract.js';
import { createInProcessEventTransport } from './create-in-process-event-transport.js';
import { EventBus } from './event-bus.js';

describeEventTransportContract('in-process', async () => ({ transport: createInProcessEventTransport() }));

describe('EventBus', () => {
  it('is in-process by default and hands events to its transport\'s subscribers synchronously', () => {
    const bus = new EventBus();
    expect(bus.transport).toMatchObject({ name: 'in-process', crossProcess: false });
    const seen: string[] = [];
    const off = bus.on((event) => seen.push(event.type));
    bus.emit({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' });
    off();
    bus.emit({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' });
    expect(seen).toEqual(['job.cancelled']);
  });

  it('uses the transport it is given', () => {
    const transport = createInProcessEventTransport();
    const bus = new EventBus(transport);
    const seen: string[] = [];
    transport.subscribe((event) => seen.push(event.type));
    bus.emit({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' });
    expect(seen).toEqual(['job.cancelled']);
    expect(transport.stats().published).toBe(1);
  });
});
