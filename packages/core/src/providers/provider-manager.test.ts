import { describe, expect, it } from 'vitest';
import { DarkroomError, defineProvider, type Capability } from '@darkroom/plugin-api';
import { solidPng } from '../testing/test-plugin.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ProviderManager } from './provider-manager.js';

const signal = new AbortController().signal;
const request = { prompt: 'p', width: 8, height: 8 };

function provider(id: string, behaviour: () => Promise<void> = async () => undefined, options: { placeholder?: boolean } = {}) {
  const calls: string[] = [];
  const definition = defineProvider({
    id,
    models: [{ id: `${id}-model`, capabilities: ['text-to-image'], ...(options.placeholder ? { placeholder: true } : {}) }, { id: `${id}-alt`, capabilities: ['text-to-image'], ...(options.placeholder ? { placeholder: true } : {}) }],
    handlers: {
      'text-to-image': async (_request, context) => {
        calls.push(context.model);
        await behaviour();
        return { images: [{ bytes: await solidPng(8, 8), mimeType: 'image/png', width: 8, height: 8 }] };
      },
    },
  });
  return Object.assign(definition, { calls });
}

const unavailable = async () => {
  throw new DarkroomError({ code: 'provider_unavailable', message: '503 from upstream', retryable: true });
};

describe('provider manager', () => {
  it('stops waiting at a cancel even when the handler ignores its signal (a libvips pipeline), and drops its late result', async () => {
    let finished = false;
    const stubborn = provider('stubborn', async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      finished = true;
    });
    const manager = new ProviderManager([stubborn]);
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new DarkroomError({ code: 'cancelled', message: 'The job was cancelled' })), 30);
    await expect(manager.call('text-to-image', request, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(300);
    expect(finished).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(finished).toBe(true);
  });

  it('prefers an explicit provider and model, then routing, then capability match with stand-ins last', async () => {
    const stand = provider('stand', undefined, { placeholder: true });
    const real = provider('real');
    const manager = new ProviderManager([stand, real]);
    expect(manager.candidates('text-to-image').map((candidate) => candidate.provider.id)).toEqual(['real', 'stand']);
    expect((await manager.call('text-to-image', request, { signal, provider: 'stand', model: 'stand-alt' })).model).toBe('stand-alt');
    const routed = new ProviderManager([stand, real], { 'text-to-image': ['stand'] });
    expect((await routed.call('text-to-image', request, { signal })).provider).toBe('stand');
  });

  it('never puts a development stand-in in place of a real provider that failed', async () => {
    const manager = new ProviderManager([provider('stand', undefined, { placeholder: true }), provider('real', unavailable)]);
    await expect(manager.call('text-to-image', request, { signal })).rejects.toMatchObject({ code: 'provider_unavailable', details: { attempts: [expect.objectContaining({ provider: 'real', outcome: 'failed' })] } });
    // With nothing real configured, the stand-in serves.
    expect((await new ProviderManager([provider('stand', undefined, { placeholder: true })]).call('text-to-image', request, { signal })).provider).toBe('stand');
  });

  it('explains what is missing', async () => {
    const manager = new ProviderManager([provider('real')]);
    expect(() => manager.candidates('upscale')).toThrow(/No configured provider can do upscale/);
    expect(() => manager.candidates('text-to-image', { provider: 'ghost' })).toThrow(/Unknown provider/);
    expect(() => new ProviderManager([provider('a'), provider('a')])).toThrow(/unique/);
    expect(() => new ProviderManager([provider('a')], { upscale: ['ghost'] })).toThrow(/not configured/);
  });

  it('falls back on a retryable failure and records both attempts', async () => {
    const down = provider('down', unavailable);
    const up = provider('up');
    const outcome = await new ProviderManager([down, up], { 'text-to-image': ['down', 'up'] }).call('text-to-image', request, { signal });
    expect(outcome.provider).toBe('up');
    expect(outcome.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([['down', 'failed'], ['up', 'succeeded']]);
  });

  it('does not fall back on a non-retryable failure', async () => {
    const refusing = provider('refusing', async () => {
      throw new DarkroomError({ code: 'invalid_input', message: 'prompt blocked' });
    });
    const up = provider('up');
    await expect(new ProviderManager([refusing, up], { 'text-to-image': ['refusing', 'up'] }).call('text-to-image', request, { signal })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(up.calls).toEqual([]);
  });

  it('opens the circuit of a provider that keeps failing and tries it again after the cool-down', async () => {
    let now = 0;
    const down = provider('down', unavailable);
    const up = provider('up');
    const manager = new ProviderManager([down, up], { 'text-to-image': ['down', 'up'] }, { failureThreshold: 2, cooldownMs: 1000 });
    // Inject the clock into the breakers for a deterministic cool-down.
    for (const breaker of (manager as unknown as { breakers: Map<string, CircuitBreaker> }).breakers.values()) (breaker as unknown as { now: () => number }).now = () => now;
    await manager.call('text-to-image', request, { signal });
    await manager.call('text-to-image', request, { signal });
    expect(down.calls).toHaveLength(2);
    const skipped = await manager.call('text-to-image', request, { signal });
    expect(skipped.attempts[0]).toMatchObject({ provider: 'down', outcome: 'skipped' });
    expect(down.calls).toHaveLength(2);
    expect((await manager.health()).find((report) => report.provider === 'down')).toMatchObject({ ok: false, circuit: 'open', retryAt: 1000 });
    now = 1500;
    await manager.call('text-to-image', request, { signal });
    expect(down.calls).toHaveLength(3);
  });

  it('fails with a retryable error when every candidate is down', async () => {
    await expect(new ProviderManager([provider('down', unavailable)]).call('text-to-image', request, { signal })).rejects.toMatchObject({ code: 'provider_unavailable', retryable: true });
  });

  it('aggregates models and health', async () => {
    const manager = new ProviderManager([provider('a'), provider('b')]);
    expect(manager.models().map((model) => `${model.provider}/${model.id}`)).toEqual(['a/a-model', 'a/a-alt', 'b/b-model', 'b/b-alt']);
    expect(await manager.health()).toEqual([
      { provider: 'a', ok: true, circuit: 'closed', capabilities: ['text-to-image'], models: ['a-model', 'a-alt'] },
      { provider: 'b', ok: true, circuit: 'closed', capabilities: ['text-to-image'], models: ['b-model', 'b-alt'] },
    ]);
  });
});

describe('routing a capability of a plugin\'s own', () => {
  it('finds its providers when its name is an Object.prototype key (constructor, toString, …), routed or not', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const capability = name as Capability;
      const own = defineProvider({ id: 'own', models: [{ id: 'own-1', capabilities: [capability] }], handlers: { [name]: async () => ({ done: name }) } as never });
      expect(new ProviderManager([own]).candidates(capability).map(({ provider }) => provider.id)).toEqual(['own']);
      expect(new ProviderManager([own], { upscale: [] }).candidates(capability).map(({ provider }) => provider.id)).toEqual(['own']);
      expect(new ProviderManager([own], { [name]: ['own'] } as never).candidates(capability).map(({ provider }) => provider.id)).toEqual(['own']);
      expect(await new ProviderManager([own]).call(capability, {} as never, { signal })).toMatchObject({ result: { done: name }, provider: 'own' });
    }
  });
});

describe('circuit breaker', () => {
  it('lets one trial through when half-open', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 }, () => now);
    breaker.recordFailure();
    expect(breaker.tryAcquire()).toBe(false);
    now = 10;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    now = 25;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });
});
