import { ApiKeyVerifier } from '../auth/api-keys.js';
import { createServer } from '../create-server.js';
import { listen } from '../listen.js';
import { jsonLogger } from '../middleware/request-context.js';
import { readServerConfig } from '../read-server-config.js';
import { createConfiguredEngine } from './create-configured-engine.js';
import { shutDownOnSignal } from './shut-down-on-signal.js';

/**
 * `darkroom serve`: the HTTP API, running jobs in this process too unless `apiOnly` (then workers
 * started with `darkroom worker` on the same database run them).
 */
export async function runServe(options: { configFile?: string; apiOnly: boolean; changeDeployment?: boolean }): Promise<void> {
  const config = readServerConfig(process.env, options.configFile ? { configFile: options.configFile } : {});
  const { engine, deployment, closeServices } = await createConfiguredEngine(config, options.apiOnly ? { autoStart: false } : {}, { changeDeployment: options.changeDeployment ?? false });
  const apiKeys = config.apiKeys.length ? new ApiKeyVerifier(config.apiKeys) : undefined;
  const server = createServer({
    engine,
    ...(apiKeys ? { apiKeys } : {}),
    maxBodyBytes: config.maxBodyBytes,
    rateLimit: config.rateLimitPerMinute > 0 ? { limit: config.rateLimitPerMinute, windowSeconds: 60 } : false,
    imageUrls: { maxBytes: Math.min(config.maxBodyBytes, 40 * 1024 * 1024), maxImages: config.maxImagesPerRequest },
    ...(config.webhookSecret ? { webhooks: { secret: config.webhookSecret } } : {}),
    ...(config.urlSigningSecret ? { urlSigningSecret: config.urlSigningSecret } : {}),
    basePath: config.basePath,
    log: jsonLogger,
  });
  const listener = listen(server.fetch, { port: config.port, hostname: config.host }, (info) => {
    jsonLogger({
      level: 'info',
      message: 'darkroom listening',
      url: `http://${config.host}:${info.port}${config.basePath}`,
      data_dir: config.dataDir,
      ...deployment,
      jobs: options.apiOnly ? 'run by workers (api-only)' : 'run in this process',
      images: config.cloudinary ? 'cloudinary' : 'local disk',
      providers: [...new Set(engine.models().map((model) => model.provider))],
      auth: apiKeys ? `API keys (${apiKeys.size} configured)` : 'none: single-user development mode (loopback only; set DARKROOM_API_KEYS to serve other machines)',
      webhooks: config.webhookSecret ? 'on' : 'off',
      ...(config.configFile ? { config_file: config.configFile } : {}),
      playground: `http://${config.host}:${info.port}${config.basePath}/`,
      docs: `http://${config.host}:${info.port}${config.basePath}/docs`,
    });
  });
  listener.once('error', (error: NodeJS.ErrnoException) => {
    // The port is taken (or not ours to take): say which setting to change, and stop cleanly.
    const reason = error.code === 'EADDRINUSE' ? 'is in use by another program' : error.code === 'EACCES' ? 'needs privileges this user lacks' : `cannot be listened on (${error.message})`;
    process.stderr.write(`Invalid configuration: PORT: ${config.port} on ${config.host} ${reason}; set PORT (and HOST) to a free port\n`);
    void engine.close().finally(() => closeServices().finally(() => process.exit(1)));
  });
  shutDownOnSignal(engine, {
    before: () => {
      server.drain();
      listener.close();
    },
    after: async () => {
      await server.close();
      await closeServices();
    },
  });
}
