import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { capabilities, type RoutingConfig } from '@darkroom/core';
import { z } from 'zod';
import type { DiffusionSettings } from '@darkroom/provider-local';
import { parseApiKeys, type ApiKeyEntry } from './auth/api-keys.js';
import { parseDiffusionModels } from './parse-diffusion-models.js';
import { basePathProblem } from './parse-base-path.js';
import { multipartLimits } from './read-multipart-form.js';
import { defaultImageUrlPolicy } from './safety/resolve-image-urls.js';
import { webhookSecretPattern } from './webhooks/sign-webhook.js';

const imageModel = z.object({
  path: z.string().min(1),
  scale: z.number().int().min(1).max(8).optional(),
  tile: z.number().int().min(16).max(4096).optional(),
  overlap: z.number().int().min(0).max(512).optional(),
  range: z.enum(['zero-one', 'minus-one-one', 'zero-255']).optional(),
}).strict();

/** ONNX model files for the local provider, as JSON (see LocalProviderSettings.models). */
const localModels = z
  .object({
    backgroundRemoval: z.union([z.string().min(1), z.literal(false)]).optional(),
    superResolution: imageModel.optional(),
    styles: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,63}$/), imageModel).optional(),
    imageToImage: imageModel.optional(),
  })
  .strict();

const serverConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(9999),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * The path the server answers under, e.g. /studio (behind a proxy or beside other apps); every URL it
   * writes carries it. Surrounding whitespace (an env file's stray space or newline) is trimmed first;
   * createServer's `basePath` refuses it instead. The rules are parseBasePath's.
   */
  DARKROOM_BASE_PATH: z
    .string()
    .optional()
    .superRefine((value, context) => {
      const problem = value === undefined ? undefined : basePathProblem(value.trim());
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => (value === undefined || value.trim() === '/' ? '' : value.trim())),
  DARKROOM_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * When a SQLite commit is on disk: `normal` (survives the process dying; a power loss can drop the
   * last commits) or `full` (flushed before every commit returns; several times slower per commit).
   */
  DARKROOM_SQLITE_SYNCHRONOUS: z.enum(['normal', 'full'], { error: 'must be normal or full' }).default('normal'),
  /** PostgreSQL instead of the embedded SQLite: postgres://user@host:5432/database */
  DARKROOM_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for SQLite under DARKROOM_DATA_DIR)')
    .optional(),
  /**
   * Redis for the distributed engine: jobs on BullMQ, events over pub/sub. Needs DARKROOM_DATABASE_URL,
   * where step checkpoints and everything else live for every process. redis://[user:password@]host:6379[/db]
   */
  DARKROOM_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL (leave it unset to queue jobs in the database)').optional(),
  /** MongoDB for chat sessions and messages (seed 000's session documents): mongodb://host:27017/darkroom */
  DARKROOM_MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL (leave it unset to keep conversations in the database)').optional(),
  /** JSON: ONNX models for the local provider, e.g. {"backgroundRemoval":"/models/isnet.onnx"}. */
  DARKROOM_LOCAL_MODELS: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text.trim() === '') return undefined;
      try {
        return localModels.parse(JSON.parse(text));
      } catch (error) {
        context.addIssue({ code: 'custom', message: `must be JSON like {"backgroundRemoval":"/models/isnet.onnx"}: ${error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 300) : String(error)}` });
        return z.NEVER;
      }
    }),
  /**
   * Local diffusion models (Optimum ONNX exports): "sd15=/models/sd15-onnx,turbo=/models/sd-turbo?steps=1&guidance=0".
   * The first (or the one marked default) serves requests that name no model.
   */
  DARKROOM_DIFFUSION_MODELS: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text.trim() === '') return undefined;
      try {
        return parseDiffusionModels(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** How long a diffusion model stays loaded unused, in ms (default 300000; 0 unloads after every request). */
  DARKROOM_DIFFUSION_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).optional(),
  /** Denoising steps of diffusion models that set none (default 25, 4 for LCM). */
  DARKROOM_DIFFUSION_STEPS: z.coerce.number().int().min(1).max(100).optional(),
  /** Guidance scale of diffusion models that set none (default 7.5, 8 for LCM). */
  DARKROOM_DIFFUSION_GUIDANCE: z.coerce.number().min(0).max(30).optional(),
  /** Providers to try per capability, e.g. "upscale=runware,local; text-to-image=runware". */
  DARKROOM_ROUTING: z
    .string()
    .optional()
    .transform((text, context) => {
      const routing: RoutingConfig = {};
      for (const rule of (text ?? '').split(/[;\n]/).map((part) => part.trim()).filter(Boolean)) {
        const [capability, providers] = rule.split('=').map((part) => part.trim()) as [string, string | undefined];
        if (!(capabilities as readonly string[]).includes(capability) || !providers) {
          context.addIssue({ code: 'custom', message: `"${rule}" must look like upscale=runware,local; capabilities: ${capabilities.join(', ')}` });
          return z.NEVER;
        }
        routing[capability as keyof RoutingConfig] = providers.split(',').map((name) => name.trim()).filter(Boolean);
      }
      return routing;
    }),
  GEMINI_API_KEY: z.string().min(1).optional(),
  GEMINI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  GEMINI_IMAGE_MODEL: z.string().min(1).optional(),
  GEMINI_TEXT_MODEL: z.string().min(1).optional(),
  PARASAIL_API_KEY: z.string().min(1).optional(),
  PARASAIL_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  PARASAIL_TEXT_MODEL: z.string().min(1).optional(),
  PARASAIL_VISION_MODEL: z.string().min(1).optional(),
  CLOUDINARY_URL: z.string().regex(/^cloudinary:\/\/[^:]+:[^@]+@[^?]+/, 'must look like cloudinary://API_KEY:API_SECRET@CLOUD_NAME').optional(),
  RUNWARE_API_KEY: z.string().min(1).optional(),
  RUNWARE_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** API keys as user:key pairs, comma-separated; without keys (here or in a keys file) the server is single-user. */
  DARKROOM_API_KEYS: z.string().optional(),
  /** A file of user:key lines. */
  DARKROOM_API_KEYS_FILE: z.string().min(1).optional(),
  /** Work units per minute per API key (a request costs 1, a chat turn its steps, a feature call its images); 0 turns the limit off. */
  DARKROOM_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** Most steps one chat message may run; a message asking for more gets a reply asking to split it. */
  DARKROOM_MAX_STEPS_PER_TURN: z.coerce.number().int().min(1).max(100).default(4),
  /** Largest request body in bytes. */
  DARKROOM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(50 * 1024 * 1024),
  /** Largest image in pixels (decompression-bomb guard). */
  DARKROOM_MAX_IMAGE_PIXELS: z.coerce.number().int().min(1).max(1_000_000_000).default(40_000_000),
  DARKROOM_MAX_OUTPUT_PIXELS: z.coerce.number().int().min(1).max(1_000_000_000).default(50_000_000),
  /** Most images one request may carry, every image field and list item counted (a multipart form takes at most 16 files). */
  DARKROOM_MAX_IMAGES_PER_REQUEST: z.coerce.number().int().min(1).max(multipartLimits.files).default(defaultImageUrlPolicy.maxImages),
  /** Jobs one user may have waiting to start (async and sync requests alike); beyond, 429 with Retry-After; 0 turns the limit off. */
  DARKROOM_MAX_QUEUED_JOBS_PER_USER: z.coerce.number().int().min(0).max(1_000_000).default(32),
  /** Jobs of one user running at once; 0 turns the limit off. Unset: the runner's concurrency minus one (so another user always finds a slot), none in single-user mode. */
  DARKROOM_MAX_RUNNING_JOBS_PER_USER: z.coerce.number().int().min(0).max(10_000).optional(),
  /**
   * How long a worker's hold (lease) on a running job lasts without renewal, in ms; renewed every
   * third of it. A worker that dies (SIGKILL, lost machine) has its jobs taken up by another worker
   * about this long later (the sweep runs at least this often). Shorter: faster recovery; longer:
   * more patience with a worker whose event loop stalls. Unset: the engine's 30 s.
   */
  DARKROOM_JOB_LEASE_MS: z.coerce.number().int().min(1000, 'must be at least 1000 (ms): a shorter lease expires under a busy but healthy worker').max(3_600_000).optional(),
  /** Standard Webhooks secret (whsec_…) that signs per-job webhooks; webhooks are off without it. */
  DARKROOM_WEBHOOK_SECRET: z.string().regex(webhookSecretPattern, 'must be a Standard Webhooks secret: whsec_ followed by base64 of at least 24 random bytes').optional(),
  /** Secret that signs expiring image URLs (so they survive restarts and work across servers). */
  DARKROOM_URL_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)').optional(),
  /** Extra plugin packages to load by name, comma-separated. */
  DARKROOM_PLUGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean)),
});

function readKeysFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Invalid configuration: DARKROOM_API_KEYS_FILE: ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export interface ServerConfig {
  port: number;
  host: string;
  /** The path prefix the server answers under (`/studio`); `''` at the root. */
  basePath: string;
  dataDir: string;
  /** SQLite's `synchronous` (DARKROOM_SQLITE_SYNCHRONOUS); unused with `databaseUrl`. */
  sqliteSynchronous: 'normal' | 'full';
  plugins: string[];
  databaseUrl?: string;
  /** Jobs on BullMQ and events over Redis pub/sub (with `databaseUrl`). */
  redisUrl?: string;
  /** Conversations in MongoDB. */
  mongodbUrl?: string;
  localModels?: z.infer<typeof localModels>;
  /** The local provider's diffusion models (DARKROOM_DIFFUSION_*). */
  diffusion?: DiffusionSettings;
  routing: RoutingConfig;
  /** Runware is configured when a key is given (the key itself stays in the environment). */
  runware?: { baseURL?: string };
  /** Gemini is configured when a key is given (the key itself stays in the environment). */
  gemini?: { baseURL?: string; imageModel?: string; textModel?: string };
  /** Parasail is configured when a key is given (the key itself stays in the environment). */
  parasail?: { baseURL?: string; textModel?: string; visionModel?: string };
  /** Images go to Cloudinary instead of local disk (the URL with its secret stays in the environment). */
  cloudinary: boolean;
  /** Configured API keys (empty: single-user development mode). */
  apiKeys: ApiKeyEntry[];
  /** Work units per minute per key; 0 = no limit. */
  rateLimitPerMinute: number;
  /** Most steps one chat message may run. */
  maxStepsPerTurn: number;
  maxBodyBytes: number;
  maxImagePixels: number;
  /** Largest result image, in pixels: bigger upscales, expands and generations are refused (413) before any work. */
  maxOutputPixels: number;
  /** Most images one request may carry (DARKROOM_MAX_IMAGES_PER_REQUEST, default 8): the server's `imageUrls.maxImages`. */
  maxImagesPerRequest: number;
  /** Jobs one user may have waiting to start (`Infinity`: no limit). */
  maxQueuedJobsPerUser: number;
  /** Jobs of one user running at once (`Infinity`: no limit, the default without API keys; absent: the engine's default). */
  maxRunningJobsPerUser?: number;
  /** The lease of a running job, in ms (absent: the engine's default). */
  jobLeaseMs?: number;
  webhookSecret?: string;
  urlSigningSecret?: string;
  /** The config file read, if any. */
  configFile?: string;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export const isLoopbackHost = (host: string) => loopbackHosts.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * A JSON config file whose keys are the environment variables' names (e.g. {"PORT": 8080,
 * "DARKROOM_ROUTING": "upscale=runware,local"}). The environment wins over the file.
 */
function readConfigFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid configuration: DARKROOM_CONFIG: ${path} could not be read as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Invalid configuration: DARKROOM_CONFIG: ${path} must hold a JSON object`);
  const known = new Set(Object.keys(serverConfig.shape));
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) throw new Error(`Invalid configuration: ${path}: unknown setting ${key}; known settings: ${[...known].join(', ')}`);
    values[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return values;
}

/** Reads PORT, HOST, DARKROOM_* and the providers' settings (GEMINI_*, PARASAIL_*, RUNWARE_*, CLOUDINARY_URL); a bad value is an error naming the setting. */
export function readServerConfig(environment: NodeJS.ProcessEnv = process.env, options: { configFile?: string } = {}): ServerConfig {
  const configFile = options.configFile ?? environment.DARKROOM_CONFIG;
  const merged = { ...(configFile ? readConfigFile(configFile) : {}), ...Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined)) };
  const parsed = serverConfig.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const apiKeys = [
    ...(parsed.data.DARKROOM_API_KEYS ? parseApiKeys(parsed.data.DARKROOM_API_KEYS) : []),
    ...(parsed.data.DARKROOM_API_KEYS_FILE ? parseApiKeys(readKeysFile(parsed.data.DARKROOM_API_KEYS_FILE), parsed.data.DARKROOM_API_KEYS_FILE) : []),
  ];
  if (apiKeys.length === 0 && !isLoopbackHost(parsed.data.HOST)) {
    throw new Error(`Invalid configuration: HOST: ${parsed.data.HOST} is not loopback, and without API keys the server has no authentication; set DARKROOM_API_KEYS (user:key,...) or DARKROOM_API_KEYS_FILE, or listen on 127.0.0.1`);
  }
  if (parsed.data.DARKROOM_REDIS_URL && !parsed.data.DARKROOM_DATABASE_URL) {
    throw new Error('Invalid configuration: DARKROOM_REDIS_URL: the distributed engine also needs DARKROOM_DATABASE_URL (postgres://…): BullMQ queues jobs in Redis, while step checkpoints, the gallery and assets must be in one database every API server and worker shares');
  }
  return { port: parsed.data.PORT, host: parsed.data.HOST, basePath: parsed.data.DARKROOM_BASE_PATH, dataDir: resolve(parsed.data.DARKROOM_DATA_DIR), sqliteSynchronous: parsed.data.DARKROOM_SQLITE_SYNCHRONOUS, plugins: parsed.data.DARKROOM_PLUGINS,
    apiKeys,
    rateLimitPerMinute: parsed.data.DARKROOM_RATE_LIMIT,
    maxStepsPerTurn: parsed.data.DARKROOM_MAX_STEPS_PER_TURN,
    maxBodyBytes: parsed.data.DARKROOM_MAX_BODY_BYTES,
    maxImagePixels: parsed.data.DARKROOM_MAX_IMAGE_PIXELS,
    maxOutputPixels: parsed.data.DARKROOM_MAX_OUTPUT_PIXELS,
    maxImagesPerRequest: parsed.data.DARKROOM_MAX_IMAGES_PER_REQUEST,
    maxQueuedJobsPerUser: parsed.data.DARKROOM_MAX_QUEUED_JOBS_PER_USER || Infinity,
    ...(parsed.data.DARKROOM_MAX_RUNNING_JOBS_PER_USER !== undefined
      ? { maxRunningJobsPerUser: parsed.data.DARKROOM_MAX_RUNNING_JOBS_PER_USER || Infinity }
      : apiKeys.length === 0 ? { maxRunningJobsPerUser: Infinity } : {}),
    ...(parsed.data.DARKROOM_JOB_LEASE_MS !== undefined ? { jobLeaseMs: parsed.data.DARKROOM_JOB_LEASE_MS } : {}),
    ...(parsed.data.DARKROOM_WEBHOOK_SECRET ? { webhookSecret: parsed.data.DARKROOM_WEBHOOK_SECRET } : {}),
    ...(parsed.data.DARKROOM_URL_SIGNING_SECRET ? { urlSigningSecret: parsed.data.DARKROOM_URL_SIGNING_SECRET } : {}),
    ...(configFile ? { configFile } : {}),
    ...(parsed.data.DARKROOM_DATABASE_URL ? { databaseUrl: parsed.data.DARKROOM_DATABASE_URL } : {}),
    ...(parsed.data.DARKROOM_REDIS_URL ? { redisUrl: parsed.data.DARKROOM_REDIS_URL } : {}),
    ...(parsed.data.DARKROOM_MONGODB_URL ? { mongodbUrl: parsed.data.DARKROOM_MONGODB_URL } : {}),
    ...(parsed.data.DARKROOM_LOCAL_MODELS ? { localModels: parsed.data.DARKROOM_LOCAL_MODELS } : {}),
    ...(parsed.data.DARKROOM_DIFFUSION_MODELS
      ? {
          diffusion: {
            models: parsed.data.DARKROOM_DIFFUSION_MODELS,
            ...(parsed.data.DARKROOM_DIFFUSION_IDLE_MS !== undefined ? { idleMs: parsed.data.DARKROOM_DIFFUSION_IDLE_MS } : {}),
            ...(parsed.data.DARKROOM_DIFFUSION_STEPS !== undefined ? { steps: parsed.data.DARKROOM_DIFFUSION_STEPS } : {}),
            ...(parsed.data.DARKROOM_DIFFUSION_GUIDANCE !== undefined ? { guidance: parsed.data.DARKROOM_DIFFUSION_GUIDANCE } : {}),
          },
        }
      : {}),
    routing: parsed.data.DARKROOM_ROUTING,
    cloudinary: parsed.data.CLOUDINARY_URL !== undefined,
    ...(parsed.data.RUNWARE_API_KEY ? { runware: parsed.data.RUNWARE_BASE_URL ? { baseURL: parsed.data.RUNWARE_BASE_URL } : {} } : {}),
    ...(parsed.data.GEMINI_API_KEY
      ? {
          gemini: {
            ...(parsed.data.GEMINI_BASE_URL ? { baseURL: parsed.data.GEMINI_BASE_URL } : {}),
            ...(parsed.data.GEMINI_IMAGE_MODEL ? { imageModel: parsed.data.GEMINI_IMAGE_MODEL } : {}),
            ...(parsed.data.GEMINI_TEXT_MODEL ? { textModel: parsed.data.GEMINI_TEXT_MODEL } : {}),
          },
        }
      : {}),
    ...(parsed.data.PARASAIL_API_KEY
      ? {
          parasail: {
            ...(parsed.data.PARASAIL_BASE_URL ? { baseURL: parsed.data.PARASAIL_BASE_URL } : {}),
            ...(parsed.data.PARASAIL_TEXT_MODEL ? { textModel: parsed.data.PARASAIL_TEXT_MODEL } : {}),
            ...(parsed.data.PARASAIL_VISION_MODEL ? { visionModel: parsed.data.PARASAIL_VISION_MODEL } : {}),
          },
        }
      : {}),
  };
}
