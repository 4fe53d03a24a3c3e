#!/usr/bin/env node
import { ApiKeyVerifier } from './auth/api-keys.js';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';
import { listen } from './listen.js';
import { jsonLogger } from './middleware/request-context.js';
import { readServerConfig } from './read-server-config.js';

const usage = 'Usage: darkroom serve [--config darkroom.json]';

function parseArguments(argv: string[]): { command: string; configFile?: string } {
  const [command = 'serve', ...rest] = argv;
  let configFile: string | undefined;
  for (let index = 0; index < rest.length; index += 1) {
    if (rest[index] === '--config' && rest[index + 1]) configFile = rest[++index];
    else throw new Error(`Unknown argument ${rest[index]}. ${usage}`);
  }
  return { command, ...(configFile ? { configFile } : {}) };
}

async function main(argv: string[]): Promise<void> {
  const { command, configFile } = parseArguments(argv);
  if (command !== 'serve') {
    process.stderr.write(`Unknown command ${command}. ${usage}\n`);
    process.exitCode = 2;
    return;
  }
  const config = readServerConfig(process.env, configFile ? { configFile } : {});
  const engine = await createDefaultEngine({
    dataDir: config.dataDir,
    plugins: config.plugins,
    imageLimits: { maxPixels: config.maxImagePixels, maxOutputPixels: config.maxOutputPixels },
    jobs: { maxQueuedPerUser: config.maxQueuedJobsPerUser },
    ...(config.maxRunningJobsPerUser !== undefined ? { runner: { maxRunningPerUser: config.maxRunningJobsPerUser } } : {}),
    maxStepsPerTurn: config.maxStepsPerTurn,
    ...(config.databaseUrl ? { store: { kind: 'postgres' as const, connectionString: config.databaseUrl } } : {}),
    ...(config.localModels ? { local: { models: config.localModels } } : {}),
    ...(config.runware ? { runware: config.runware } : {}),
    ...(config.gemini ? { gemini: config.gemini } : {}),
    ...(config.parasail ? { parasail: config.parasail } : {}),
    ...(config.cloudinary ? { cloudinary: {} } : {}),
    routing: config.routing,
  });
  const apiKeys = config.apiKeys.length ? new ApiKeyVerifier(config.apiKeys) : undefined;
  const server = createServer({
    engine,
    ...(apiKeys ? { apiKeys } : {}),
    maxBodyBytes: config.maxBodyBytes,
    rateLimit: config.rateLimitPerMinute > 0 ? { limit: config.rateLimitPerMinute, windowSeconds: 60 } : false,
    imageUrls: { maxBytes: Math.min(config.maxBodyBytes, 40 * 1024 * 1024) },
    ...(config.webhookSecret ? { webhooks: { secret: config.webhookSecret } } : {}),
    ...(config.urlSigningSecret ? { urlSigningSecret: config.urlSigningSecret } : {}),
    log: jsonLogger,
  });
  const listener = listen(server.app.fetch, { port: config.port, hostname: config.host }, (info) => {
    jsonLogger({
      level: 'info',
      message: 'darkroom listening',
      url: `http://${config.host}:${info.port}`,
      data_dir: config.dataDir,
      database: config.databaseUrl ? 'postgres' : 'sqlite',
      images: config.cloudinary ? 'cloudinary' : 'local disk',
      providers: [...new Set(engine.models().map((model) => model.provider))],
      auth: apiKeys ? `API keys (${apiKeys.size} configured)` : 'none: single-user development mode (loopback only; set DARKROOM_API_KEYS to serve other machines)',
      webhooks: config.webhookSecret ? 'on' : 'off',
      ...(config.configFile ? { config_file: config.configFile } : {}),
      docs: `http://${config.host}:${info.port}/docs`,
    });
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLogger({ level: 'info', message: `${signal}: shutting down; running jobs may finish for up to 25 s, then go back to the queue` });
    server.drain();
    listener.close();
    const drained = engine.close({ drain: true }).then(() => true);
    const handedBack = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 25_000).unref());
    if (!(await Promise.race([drained, handedBack]))) {
      jsonLogger({ level: 'warn', message: 'jobs still running after 25 s: handing them back to the queue' });
      await engine.close({ drain: false }).catch(() => undefined);
    }
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
