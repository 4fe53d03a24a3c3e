import { resolve } from 'node:path';
import { capabilities, type RoutingConfig } from '@darkroom/core';
import { z } from 'zod';

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
  DARKROOM_DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL instead of the embedded SQLite: postgres://user@host:5432/database */
  DARKROOM_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for SQLite under DARKROOM_DATA_DIR)')
    .optional(),
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
  /** Extra plugin packages to load by name, comma-separated. */
  DARKROOM_PLUGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean)),
});

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  plugins: string[];
  databaseUrl?: string;
  localModels?: z.infer<typeof localModels>;
  routing: RoutingConfig;
  /** Runware is configured when a key is given (the key itself stays in the environment). */
  runware?: { baseURL?: string };
  /** Gemini is configured when a key is given (the key itself stays in the environment). */
  gemini?: { baseURL?: string; imageModel?: string; textModel?: string };
  /** Parasail is configured when a key is given (the key itself stays in the environment). */
  parasail?: { baseURL?: string; textModel?: string; visionModel?: string };
  /** Images go to Cloudinary instead of local disk (the URL with its secret stays in the environment). */
  cloudinary: boolean;
}

/** Reads PORT, HOST, DARKROOM_* and the providers' settings (GEMINI_*, PARASAIL_*, RUNWARE_*, CLOUDINARY_URL); a bad value is an error naming the setting. */
export function readServerConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverConfig.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return { port: parsed.data.PORT, host: parsed.data.HOST, dataDir: resolve(parsed.data.DARKROOM_DATA_DIR), plugins: parsed.data.DARKROOM_PLUGINS,
    ...(parsed.data.DARKROOM_DATABASE_URL ? { databaseUrl: parsed.data.DARKROOM_DATABASE_URL } : {}),
    ...(parsed.data.DARKROOM_LOCAL_MODELS ? { localModels: parsed.data.DARKROOM_LOCAL_MODELS } : {}),
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
