import { describe, expect, it } from 'vitest';
import { clampPercent } from './clamp-percent.js';

describe('clampPercent', () => {
  it('clamps to 0..100 and gives no value for NaN and non-finite numbers', () => {
    expect([-5, 0, 42.5, 100, 250].map(clampPercent)).toEqual([0, 0, 42.5, 100, 100]);
    expect([Number.NaN, Infinity, -Infinity].map(clampPercent)).toEqual([undefined, undefined, undefined]);
  });
});
