import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFeature } from './define-feature.js';
import { definePlugin, isPlugin } from './define-plugin.js';
import { defineProvider } from './define-provider.js';
import { pluginProblem } from './plugin-problem.js';

const feature = defineFeature({
  id: 'noop',
  description: 'Does nothing',
  capability: 'upscale',
  intents: { name: 'noop', keywords: ['noop'], examples: [] },
  input: z.object({}),
  run: async () => ({ images: [], provider: 'p', model: 'm' }),
});
const provider = defineProvider({ id: 'p', models: [{ id: 'm', capabilities: ['upscale'] }], handlers: { upscale: async () => ({ images: [] }) } });

describe('pluginProblem and isPlugin', () => {
  it('accept what definePlugin() makes, also as plain data (another copy of the plugin API made it)', () => {
    for (const plugin of [definePlugin({ name: 'p' }), definePlugin({ name: 'p', features: [feature], providers: [provider] }), JSON.parse(JSON.stringify({ kind: 'plugin', name: 'p', features: [], providers: [] }))]) {
      expect(pluginProblem(plugin)).toBeUndefined();
      expect(isPlugin(plugin)).toBe(true);
    }
  });

  it.each([
    [undefined, /it is undefined, not a plugin made with definePlugin\(\)/],
    [null, /it is null/],
    [42, /it is a number/],
    [[], /it is an array/],
    [{ name: 'p', features: [], providers: [] }, /not a plugin made with definePlugin\(\) \(its kind is missing\)/],
    [{ kind: 'feature', name: 'p' }, /its kind is "feature"/],
    [{ kind: 'plugin' }, /its name is undefined, not a non-empty string/],
    [{ kind: 'plugin', name: ' ', features: [], providers: [] }, /its name is empty/],
    [{ kind: 'plugin', name: 7, features: [], providers: [] }, /its name is a number/],
    [{ kind: 'plugin', name: 'p' }, /it has no features/],
    [{ kind: 'plugin', name: 'p', features: 'nope', providers: [] }, /its features is a string, not an array of features made with defineFeature\(\)/],
    [{ kind: 'plugin', name: 'p', features: {}, providers: [] }, /its features is an object, not an array/],
    [{ kind: 'plugin', name: 'p', features: [null], providers: [] }, /features\[0\] is null, not a feature made with defineFeature\(\)/],
    [{ kind: 'plugin', name: 'p', features: [feature, 'upscale'], providers: [] }, /features\[1\] is a string/],
    [{ kind: 'plugin', name: 'p', features: [{ id: 'x' }], providers: [] }, /features\[0\] is not a feature made with defineFeature\(\) \(its kind is missing\)/],
    [{ kind: 'plugin', name: 'p', features: [provider], providers: [] }, /features\[0\] is not a feature .*its kind is "provider"/],
    [{ kind: 'plugin', name: 'p', features: [{ kind: 'feature' }], providers: [] }, /features\[0\] has no id/],
    [{ kind: 'plugin', name: 'p', features: [] }, /it has no providers/],
    [{ kind: 'plugin', name: 'p', features: [], providers: provider }, /its providers is an object, not an array of providers made with defineProvider\(\)/],
    [{ kind: 'plugin', name: 'p', features: [], providers: [feature] }, /providers\[0\] is not a provider made with defineProvider\(\) \(its kind is "feature"\)/],
  ])('refuses %j, saying what is wrong', (value, problem) => {
    expect(pluginProblem(value)).toMatch(problem);
    expect(isPlugin(value)).toBe(false);
  });
});
