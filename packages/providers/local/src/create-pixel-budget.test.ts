import { describe, expect, it } from 'vitest';
import { createPixelBudget } from './create-pixel-budget.js';

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('createPixelBudget', () => {
  it('lets requests in while they fit, then in order as pixels are released', async () => {
    const budget = createPixelBudget(10);
    const first = await budget.acquire(6);
    const second = budget.acquire(6);
    const third = budget.acquire(2);
    expect(await settled(second)).toBe(false);
    expect(await settled(third)).toBe(false); // in line behind the second, though it would fit
    first();
    first(); // releasing twice frees the pixels once
    expect(budget.inFlight()).toBe(8);
    (await second)();
    (await third)();
    expect(budget.inFlight()).toBe(0);
  });

  it('runs a request larger than the whole budget alone', async () => {
    const budget = createPixelBudget(10);
    const small = await budget.acquire(3);
    const huge = budget.acquire(50);
    expect(await settled(huge)).toBe(false);
    small();
    const release = await huge;
    expect(budget.inFlight()).toBe(50);
    release();
  });

  it('takes an aborted waiter out of the line with the reason, and serves the next', async () => {
    const budget = createPixelBudget(10);
    const held = await budget.acquire(8);
    const controller = new AbortController();
    const big = budget.acquire(5, controller.signal);
    const small = budget.acquire(2);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(big).rejects.toBe(reason);
    (await small)();
    held();
    expect(budget.inFlight()).toBe(0);
    await expect(budget.acquire(1, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
