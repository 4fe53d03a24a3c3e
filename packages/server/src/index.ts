export { createServer, type ServerOptions } from './create-server.js';
export { createDefaultEngine } from './create-default-engine.js';
export { readServerConfig, type ServerConfig } from './read-server-config.js';
