import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definePlugin } from '@darkroom/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuleBasedRefiner } from '../prompt/create-rule-based-refiner.js';
import { createRuleBasedDetector } from '../intent/create-rule-based-detector.js';
import { IntentRouter } from '../intent/intent-router.js';
import { FeatureRegistry, toFeatureTool } from '../registry/feature-registry.js';
import { createMemoryAssetStorage } from '../storage/create-memory-asset-storage.js';
import { collageFeature, createInstantProvider, solidPng } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';
import type { Engine } from './engine.js';

const photo = readFileSync(join(import.meta.dirname, '../../../../../shared/fixtures/images/coffee.png'));
const storage = createMemoryAssetStorage();
const puts: Uint8Array[] = [];
let engine: Engine;

beforeAll(async () => {
  const counting = { name: storage.name, put: (bytes: Uint8Array, options: { mimeType: string }) => (puts.push(bytes), storage.put(bytes, options)), get: storage.get.bind(storage), delete: storage.delete.bind(storage), health: storage.health.bind(storage) };
  engine = await createEngine({ plugins: [definePlugin({ name: 'collage-plugin', features: [collageFeature] })], providers: [createInstantProvider()], storage: counting, runner: { pollMs: 20 } });
});
afterAll(() => engine.close());

describe('image fields with any name, and lists of them', () => {
  it('stores bytes, data URIs, {base64} and {asset_id} in a field named reference and in each item of a list', async () => {
    const small = await solidPng(10, 20);
    const stored = await engine.assets.upload('u1', await solidPng(30, 40));
    puts.length = 0;
    const job = await engine.submit('collage', {
      reference: photo,
      extras: [`data:image/png;base64,${Buffer.from(small).toString('base64')}`, { base64: Buffer.from(small).toString('base64') }, { asset_id: stored.id }],
    }, { userId: 'u1' });
    const asset = { asset_id: expect.stringMatching(/^ast_/) };
    expect(job.input).toEqual({ feature: 'collage', input: { reference: asset, extras: [asset, asset, { asset_id: stored.id }] } });
    // The photo as it was sent, and the small PNG once (content-addressed) for its two inline forms.
    expect(puts[0]).toBe(photo);
    const result = await engine.result('u1', job.id);
    expect(result.metadata).toMatchObject({ loaded: ['600x400', '10x20', '10x20', '30x40'] });
  });

  it('refuses a bad image in any field, naming it, with nothing stored', async () => {
    puts.length = 0;
    const refusal = engine.submit('collage', { reference: photo, extras: [photo, new Uint8Array([1, 2, 3])] }, { userId: 'u1' });
    await expect(refusal).rejects.toMatchObject({ code: 'invalid_image', message: expect.stringMatching(/^extras\[1\]: Not a supported image/), details: { field: 'extras[1]' } });
    await expect(engine.submit('collage', { reference: { asset_id: 'ast_nothere' } }, { userId: 'u1' })).rejects.toMatchObject({ code: 'not_found', details: { field: 'reference' } });
    await expect(engine.submit('collage', { reference: 'data:image/png;base64,%%%' }, { userId: 'u1' })).rejects.toMatchObject({ code: 'invalid_image', details: { field: 'reference' } });
    expect(puts).toHaveLength(0);
  });

  it('leaves every image field out of the feature\'s tool, and plans it with placeholders for the required ones', async () => {
    const tool = toFeatureTool(collageFeature);
    expect(Object.keys((tool.parameters as { properties: object }).properties)).toEqual(['title']);
    expect(tool.parameters.required).toEqual([]);
    const router = new IntentRouter(new FeatureRegistry([collageFeature]), createRuleBasedDetector(), createRuleBasedRefiner());
    const plan = await router.plan('make a collage', {});
    expect(plan.clarification).toBeUndefined();
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'collage', input: {} })]);
  });
});
