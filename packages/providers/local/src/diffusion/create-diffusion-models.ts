import { DarkroomError, untilAborted } from '@darkroom/core';
import type { OnnxSessions } from '../create-onnx-sessions.js';
import type { DiffusionModelFolder } from './diffusion-model.js';
import type { LoadedDiffusionPipeline } from './load-diffusion-pipeline.js';
import { readDiffusionSettings, type DiffusionModelEntry, type DiffusionSettings } from './read-diffusion-settings.js';
import type { DiffusionJob } from './run-diffusion.js';

/**
 * The modules that read, load and run a model, imported on first use: a provider with diffusion models
 * configured starts without loading the tokenizer library or the pipeline until a request needs them.
 */
const runtime = async () => {
  const [{ readModelFolder }, { loadDiffusionPipeline }, { runDiffusion }, { schedulerKindOfClass }] = await Promise.all([
    import('./read-model-folder.js'),
    import('./load-diffusion-pipeline.js'),
    import('./run-diffusion.js'),
    import('./schedulers/index.js'),
  ]);
  return { readModelFolder, loadDiffusionPipeline, runDiffusion, schedulerKindOfClass };
};

/** A run on a configured model: the job, less what the model's settings fill in. */
export type DiffusionRequest = Omit<DiffusionJob, 'steps' | 'guidance' | 'scheduler'> & { steps?: number | undefined; guidance?: number | undefined };

/** What a run answers. */
export interface DiffusionOutcome {
  /** 8-bit RGB, `width × height × 3`, one per seed. */
  images: Uint8Array[];
  folder: DiffusionModelFolder;
  steps: number;
  guidance: number;
  /** The sampler that ran (`dpm-solver-multistep` for SD 1.5's PNDM config; see `schedulerKindOfClass`). */
  scheduler: string | undefined;
  /** The execution providers the UNet runs on (`cuda`, `cpu`). */
  executionProviders: string[];
}

/** The local provider's diffusion models: listed from settings, loaded on use, unloaded when idle. */
export interface DiffusionModels {
  /** The configured models, the default first. */
  readonly entries: DiffusionModelEntry[];
  get(id: string): DiffusionModelEntry | undefined;
  /** The model's folder, read and checked once (a failed read is tried again on the next call). */
  folder(id: string): Promise<DiffusionModelFolder>;
  /**
   * Runs a job on a model. Its pipeline is loaded on first use and stays resident (one per model)
   * until unused for `idleMs`; runs on one model take turns (a waiting run stops waiting when its
   * signal aborts). Steps and guidance default to the model's settings.
   */
  run(id: string, request: DiffusionRequest): Promise<DiffusionOutcome>;
  /** Ids of the models whose pipeline is loaded now. */
  resident(): string[];
  /** Cancels idle unloads (the provider's ONNX sessions close the workers). */
  close(): void;
}

const unknownModel = (id: string) => new DarkroomError({ code: 'invalid_input', message: `The local provider has no diffusion model ${JSON.stringify(id)}` });

interface Resident {
  pipeline: Promise<LoadedDiffusionPipeline>;
  users: number;
  timer?: NodeJS.Timeout;
}

/**
 * The diffusion models of `settings` on the local provider's ONNX sessions: one resident pipeline per
 * model (text encoders, UNet and VAE, each in its worker), loaded on the first run and released after
 * `idleMs` without runs, so memory holds at most the models in recent use.
 *
 * @throws DarkroomError `configuration` for bad settings (see `readDiffusionSettings`).
 * @example
 * const diffusion = createDiffusionModels({ models: { sd15: '/models/sd15-onnx' }, idleMs: 60_000 }, sessions);
 * const { images } = await diffusion.run('sd15', { prompt: 'a lighthouse', width: 512, height: 512, seeds: [7], signal });
 */
export function createDiffusionModels(settings: DiffusionSettings, sessions: OnnxSessions): DiffusionModels {
  const { entries, idleMs } = readDiffusionSettings(settings);
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const folders = new Map<string, Promise<DiffusionModelFolder>>();
  const residents = new Map<string, Resident>();
  /** Per model, the end of the last run accepted: runs take turns. */
  const turns = new Map<string, Promise<void>>();
  let closed = false;

  const folder = (id: string) => {
    const entry = byId.get(id);
    if (!entry) return Promise.reject(unknownModel(id));
    let read = folders.get(id);
    if (!read) {
      read = runtime().then(({ readModelFolder }) => readModelFolder(entry.path, id)).catch((error: unknown) => {
        folders.delete(id);
        throw error;
      });
      folders.set(id, read);
    }
    return read;
  };

  const unload = async (id: string, resident: Resident) => {
    if (residents.get(id) !== resident) return;
    residents.delete(id);
    const pipeline = await resident.pipeline.catch(() => undefined);
    if (pipeline) await Promise.all(pipeline.sources.map((source) => sessions.release(source)));
  };

  const acquire = (id: string, read: DiffusionModelFolder): Resident => {
    let resident = residents.get(id);
    if (!resident) {
      // Not bound to the run that starts it: a cancelled first run leaves the load to the next one.
      const loading = runtime().then(({ loadDiffusionPipeline }) => loadDiffusionPipeline(read, sessions, new AbortController().signal));
      resident = { pipeline: loading, users: 0 };
      const created = resident;
      loading.catch(() => {
        if (residents.get(id) === created) residents.delete(id);
      });
      residents.set(id, resident);
    }
    clearTimeout(resident.timer);
    resident.users += 1;
    return resident;
  };

  const releaseUse = (id: string, resident: Resident) => {
    resident.users -= 1;
    if (resident.users > 0 || closed || residents.get(id) !== resident) return;
    if (idleMs === 0) void unload(id, resident);
    else if (Number.isFinite(idleMs)) resident.timer = setTimeout(() => void unload(id, resident), idleMs).unref();
  };

  return {
    entries,
    get: (id) => byId.get(id),
    folder,
    async run(id, request) {
      const entry = byId.get(id);
      if (!entry) throw unknownModel(id);
      const read = await untilAborted(folder(id), request.signal);
      const previous = turns.get(id) ?? Promise.resolve();
      let finished!: () => void;
      const mine = new Promise<void>((resolve) => (finished = resolve));
      const turn = previous.then(() => mine);
      turns.set(id, turn);
      let resident: Resident | undefined;
      try {
        await untilAborted(previous, request.signal);
        resident = acquire(id, read);
        const pipeline = await untilAborted(resident.pipeline, request.signal);
        const steps = request.steps ?? entry.steps;
        const guidance = request.guidance ?? entry.guidance;
        const { runDiffusion, schedulerKindOfClass } = await runtime();
        const images = await runDiffusion(pipeline, { ...request, steps, guidance, ...(entry.scheduler ? { scheduler: entry.scheduler } : {}) });
        const className = read.schedulerConfig._class_name;
        const scheduler = entry.scheduler ?? (typeof className === 'string' ? schedulerKindOfClass[className] : undefined);
        return { images, folder: read, steps, guidance, scheduler, executionProviders: pipeline.unet.executionProviders };
      } finally {
        if (resident) releaseUse(id, resident);
        finished();
        if (turns.get(id) === turn) void turn.then(() => turns.get(id) === turn && turns.delete(id));
      }
    },
    resident: () => [...residents.keys()],
    close() {
      closed = true;
      for (const resident of residents.values()) clearTimeout(resident.timer);
    },
  };
}
