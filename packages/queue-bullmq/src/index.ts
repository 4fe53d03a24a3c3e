export { createRedisEventTransport, redisEventMaxBytes, type RedisEventTransportOptions } from './create-redis-event-transport.js';
