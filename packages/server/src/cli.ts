#!/usr/bin/env node
import { serve } from '@hono/node-server';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';
import { readServerConfig } from './read-server-config.js';

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command !== 'serve') {
    process.stderr.write(`Unknown command ${command}. Usage: darkroom serve\n`);
    process.exitCode = 2;
    return;
  }
  const config = readServerConfig();
  const engine = await createDefaultEngine({
    dataDir: config.dataDir,
    plugins: config.plugins,
    ...(config.databaseUrl ? { store: { kind: 'postgres' as const, connectionString: config.databaseUrl } } : {}),
    ...(config.localModels ? { local: { models: config.localModels } } : {}),
    ...(config.runware ? { runware: config.runware } : {}),
    ...(config.gemini ? { gemini: config.gemini } : {}),
    ...(config.parasail ? { parasail: config.parasail } : {}),
    ...(config.cloudinary ? { cloudinary: {} } : {}),
    routing: config.routing,
  });
  if (!['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', message: `listening on ${config.host} in single-user mode: there is no authentication yet; keep this on loopback` })}\n`);
  }
  const app = createServer({ engine });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    process.stdout.write(
      `${JSON.stringify({ level: 'info', message: 'darkroom listening', url: `http://${config.host}:${info.port}`, data_dir: config.dataDir, database: config.databaseUrl ? 'postgres' : 'sqlite', images: config.cloudinary ? 'cloudinary' : 'local disk', providers: engine.models().map((model) => model.provider).filter((name, index, all) => all.indexOf(name) === index), mode: 'single-user development (no API keys)' })}\n`,
    );
  });
  const shutdown = async (signal: string) => {
    process.stdout.write(`${JSON.stringify({ level: 'info', message: `${signal}: shutting down` })}\n`);
    server.close();
    await engine.close({ drain: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
