import { resolve } from 'node:path';
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
}

/** Reads PORT, HOST, DARKROOM_DATA_DIR, DARKROOM_DATABASE_URL, DARKROOM_LOCAL_MODELS and DARKROOM_PLUGINS; a bad value is an error naming the setting. */
export function readServerConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverConfig.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return { port: parsed.data.PORT, host: parsed.data.HOST, dataDir: resolve(parsed.data.DARKROOM_DATA_DIR), plugins: parsed.data.DARKROOM_PLUGINS,
    ...(parsed.data.DARKROOM_DATABASE_URL ? { databaseUrl: parsed.data.DARKROOM_DATABASE_URL } : {}),
    ...(parsed.data.DARKROOM_LOCAL_MODELS ? { localModels: parsed.data.DARKROOM_LOCAL_MODELS } : {}),
  };
}
