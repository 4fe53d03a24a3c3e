import { resolve } from 'node:path';
import { z } from 'zod';

const serverConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(9999),
  HOST: z.string().min(1).default('127.0.0.1'),
  DARKROOM_DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL instead of the embedded SQLite: postgres://user@host:5432/database */
  DARKROOM_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for SQLite under DARKROOM_DATA_DIR)')
    .optional(),
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
}

/** Reads PORT, HOST, DARKROOM_DATA_DIR, DARKROOM_DATABASE_URL and DARKROOM_PLUGINS; a bad value is an error naming the setting. */
export function readServerConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverConfig.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return { port: parsed.data.PORT, host: parsed.data.HOST, dataDir: resolve(parsed.data.DARKROOM_DATA_DIR), plugins: parsed.data.DARKROOM_PLUGINS,
    ...(parsed.data.DARKROOM_DATABASE_URL ? { databaseUrl: parsed.data.DARKROOM_DATABASE_URL } : {}),
  };
}
