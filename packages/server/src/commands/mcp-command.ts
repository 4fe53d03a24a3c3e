import { DarkroomError } from '@darkroom/core';
import { isLoopbackHost } from '../read-server-config.js';
import { openStudio, type ConnectionOptions } from './open-studio.js';

/**
 * `darkroom mcp`: every feature as an MCP tool (see `createMcpServer`), over stdio (the default: the
 * client starts this process; standard output carries the protocol, so messages go to standard
 * error) or streamable HTTP (`http`: `http://<host>:<port>/mcp`, loopback only, since tools read this
 * machine's files). Runs until stdin closes (stdio) or SIGINT/SIGTERM, then closes the engine.
 */
export async function mcpCommand(options: ConnectionOptions & { http: boolean; port: number; host: string }): Promise<void> {
  if (options.http && !isLoopbackHost(options.host)) {
    throw new DarkroomError({ code: 'invalid_input', message: `--host ${options.host} is not loopback: the MCP tools read this machine's files, so they are served on 127.0.0.1 or ::1 only` });
  }
  const studio = await openStudio(options, { runsJobs: true });
  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    stopping ??= studio.close().finally(() => process.exit(code));
    return stopping;
  };
  try {
    const features = await studio.features();
    if (options.http) {
      const { serveMcpHttp } = await import('../mcp/serve-mcp-http.js');
      const { listener, url } = await serveMcpHttp({ studio, features, port: options.port, hostname: options.host });
      process.stderr.write(`darkroom mcp: streamable HTTP at ${url} (${features.length} tools, ${studio.location})\n`);
      const shutdown = () => {
        listener.close();
        void stop(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return;
    }
    // Standard output carries the protocol: what a plugin or library logs goes to standard error.
    for (const method of ['log', 'info', 'debug'] as const) console[method] = (...args: unknown[]) => console.error(...args);
    const [{ StdioServerTransport }, { createMcpServer }] = await Promise.all([import('@modelcontextprotocol/sdk/server/stdio.js'), import('../mcp/create-mcp-server.js')]);
    const server = createMcpServer({ studio, features });
    server.onclose = () => void stop(0);
    process.stdin.once('end', () => void stop(0));
    process.once('SIGINT', () => void stop(0));
    process.once('SIGTERM', () => void stop(0));
    await server.connect(new StdioServerTransport());
    process.stderr.write(`darkroom mcp: stdio (${features.length} tools, ${studio.location})\n`);
  } catch (error) {
    await studio.close().catch(() => undefined);
    throw error;
  }
}
