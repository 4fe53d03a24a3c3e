export { createServer, type ServerOptions, type DarkroomServer } from './create-server.js';
export { listen, listenerTimeouts, type ListenerTimeouts } from './listen.js';
export { createDefaultEngine } from './create-default-engine.js';
export { readServerConfig, type ServerConfig } from './read-server-config.js';
export { ApiKeyVerifier, parseApiKeys, type ApiKeyEntry } from './auth/api-keys.js';
export { fetchPublicUrl, type PublicFetchOptions } from './safety/fetch-public-url.js';
export { isPublicAddress } from './safety/is-public-address.js';
export { signWebhook, createWebhookSecret } from './webhooks/sign-webhook.js';
