import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DarkroomError, inspectImage, type ImageData } from '@darkroom/core';
import { createLocalProvider } from './create-local-provider.js';
import { createOnnxSessions, type OnnxModel, type OnnxSessions } from './create-onnx-sessions.js';
import { findBundledIsNet } from './load-model-bytes.js';
import { removeBackground } from './remove-background.js';
import { fixtures, horseOnGrass, maskIoU } from './testing-fixtures.js';

// Aborting, timing out and closing during a real IS-Net run, in one process. Terminating a worker
// inside onnxruntime's native run once aborted the process ('Napi::Error'): this file surviving is
// part of the assertion.
const isNet = findBundledIsNet()!;
const never = new AbortController().signal;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sessions = createOnnxSessions();
let reachedRun: () => void = () => undefined;
/** The real sessions, telling the test when a removal reaches its model run. */
const watched: OnnxSessions = {
  ...sessions,
  async get(source) {
    const model = await sessions.get(source);
    return {
      ...model,
      run: (feeds, fetches, signal) => {
        reachedRun();
        return model.run(feeds, fetches, signal);
      },
      process: ((program, input, signal) => {
        reachedRun();
        return model.process(program, input, signal);
      }) as OnnxModel['process'],
    };
  },
};
const remove = (image: ImageData, signal: AbortSignal) => removeBackground({ image, format: 'png' }, { sessions: watched, model: isNet, maxPixels: 1e8, signal });

let model: OnnxModel;
let horse: ImageData;
let disc: ImageData;
/** How long one IS-Net run takes here (measured once); aborts land a quarter of the way in. */
let runMs: number;
/** How long loading the model takes here. */
let loadMs: number;

/** Starts a removal on an idle model and returns it once its model run has gone on for a quarter of a run. */
async function removeWhileRunning(image: ImageData, signal: AbortSignal): Promise<{ outcome: Promise<unknown> }> {
  await model.idle();
  const reached = new Promise<void>((resolve) => (reachedRun = resolve));
  const outcome = remove(image, signal);
  outcome.catch(() => undefined); // judged by the caller
  await reached;
  await sleep(runMs / 4);
  return { outcome };
}

/** A real IS-Net input (a flat grey picture) for runs made on the model directly. */
const greyInput = (target: OnnxModel) => ({ [target.inputNames[0]!]: { data: new Float32Array(3 * 1024 * 1024).fill(0.25), dims: [1, 3, 1024, 1024] } });

/** Whether the model's worker is still busy, seen a moment after the call. */
async function workerBusy(): Promise<boolean> {
  let idle = false;
  void model.idle().then(() => (idle = true));
  await sleep(10);
  return !idle;
}

/** The disc case's right answer: a 128² cut-out, disc opaque, corners transparent. */
async function expectDiscCutOut(result: Awaited<ReturnType<typeof remove>>) {
  expect(result.images[0]).toMatchObject({ width: 128, height: 128, mimeType: 'image/png' });
  const alpha = await sharp(result.images[0]!.bytes).extractChannel(3).raw().toBuffer();
  expect(alpha[64 * 128 + 64]).toBeGreaterThan(200);
  expect(alpha[0]).toBeLessThan(50);
}

beforeAll(async () => {
  horse = await inspectImage((await horseOnGrass()).png);
  disc = await inspectImage(new Uint8Array(readFileSync(join(fixtures, '../cases/grayscale-disc.jpg'))));
  const loading = performance.now();
  model = await sessions.get(isNet);
  loadMs = performance.now() - loading;
  const started = performance.now();
  await remove(disc, never); // the first run is the slowest: aborts land well inside later ones
  runMs = performance.now() - started;
}, 60_000);
afterAll(() => sessions.close());

// Generous limits: every run is a real second or more of CPU, and other test files may share the cores.
describe('cancelling an ONNX run (real IS-Net on onnxruntime)', { timeout: 120_000 }, () => {
  it('rejects at once with the abort reason, twice in a row, while the worker finishes its run; a queued run waits for it and gets its own result', async () => {
    for (let round = 0; round < 2; round += 1) {
      const controller = new AbortController();
      const { outcome } = await removeWhileRunning(horse, controller.signal);
      const reason = new DarkroomError({ code: 'cancelled', message: `cancelled, round ${round}` });
      const abortedAt = performance.now();
      controller.abort(reason);
      await expect(outcome).rejects.toBe(reason);
      expect(performance.now() - abortedAt).toBeLessThan(Math.min(250, runMs / 4));
      expect(await workerBusy()).toBe(true); // nobody terminated it inside the native run
    }
    let abortedRunEnded = false;
    void model.idle().then(() => (abortedRunEnded = true));
    await expectDiscCutOut(await remove(disc, never));
    expect(abortedRunEnded).toBe(true);
  });

  it('rejects an already-aborted signal without starting a run', async () => {
    await model.idle();
    const reason = new Error('too late');
    await expect(model.run(greyInput(model), [model.outputNames[0]!], AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(await workerBusy()).toBe(false);
  });

  it('rejects at the deadline during a run, twice in a row', async () => {
    for (let round = 0; round < 2; round += 1) {
      await model.idle();
      const started = performance.now();
      await expect(model.run(greyInput(model), [model.outputNames[0]!], AbortSignal.timeout(Math.round(runMs / 4)))).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(performance.now() - started).toBeLessThan(runMs / 4 + 250);
      expect(await workerBusy()).toBe(true);
    }
  });

  it('closes without stopping a run in flight: close resolves after it, queued and new runs are refused', async () => {
    const { outcome } = await removeWhileRunning(disc, never);
    const queued = expect(remove(disc, never)).rejects.toMatchObject({ code: 'provider_unavailable', retryable: true });
    let runEnded = false;
    void model.idle().then(() => (runEnded = true));
    await sessions.close();
    expect(runEnded).toBe(true);
    await expectDiscCutOut((await outcome) as Awaited<ReturnType<typeof remove>>);
    await queued;
    await expect(sessions.get(isNet)).rejects.toMatchObject({ code: 'provider_unavailable' });
  });

  it('stops waiting at its bound but leaves a worker inside its run to finish, and its caller gets the result', async () => {
    const bounded = createOnnxSessions({ closeTimeoutMs: 0 });
    const boundedModel = await bounded.get(isNet);
    const output = boundedModel.outputNames[0]!;
    const run = boundedModel.run(greyInput(boundedModel), [output], never);
    await sleep(runMs / 4);
    await bounded.close();
    let runEnded = false;
    void boundedModel.idle().then(() => (runEnded = true));
    await sleep(10);
    expect(runEnded).toBe(false);
    expect((await run)[output]!.dims).toEqual([1, 1, 1024, 1024]);
  });

  it('then removes a background correctly in the same process, with the provider closed during that run', async () => {
    const local = createLocalProvider();
    const scene = await horseOnGrass();
    const inFlight = local.handlers['remove-background']!({ image: horse, format: 'png' }, { signal: never, model: 'isnet', checkpoint: { get: () => undefined, set: async () => undefined } });
    await sleep(loadMs + runMs / 3); // the provider loads its own session, then runs
    await local.close!();
    const cutout = (await inFlight).images[0]!;
    const meta = await sharp(cutout.bytes).metadata();
    expect({ channels: meta.channels, hasAlpha: meta.hasAlpha, width: meta.width, height: meta.height }).toEqual({ channels: 4, hasAlpha: true, width: scene.width, height: scene.height });
    expect(await maskIoU(await sharp(cutout.bytes).extractChannel(3).png().toBuffer(), scene.truth)).toBeGreaterThanOrEqual(0.97);
  });
});

describe('cancelling while a model loads', () => {
  it('stops waiting at once, and the load goes on for the next caller', { timeout: 120_000 }, async () => {
    const fresh = createOnnxSessions({ threads: 1 });
    try {
      const controller = new AbortController();
      const started = performance.now();
      const waiting = fresh.get(isNet, controller.signal);
      setTimeout(() => controller.abort(new DarkroomError({ code: 'cancelled', message: 'cancelled while loading' })), 20);
      await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
      expect(performance.now() - started).toBeLessThan(500);
      const loaded = await fresh.get(isNet);
      expect(loaded.inputNames.length).toBe(1);
      expect(fresh.loaded()).toEqual([isNet]);
    } finally {
      await fresh.close();
    }
  });
});
