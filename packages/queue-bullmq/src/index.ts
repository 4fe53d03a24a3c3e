export { createRedisEventTransport, redisEventMaxBytes, type RedisEventTransportOptions } from './create-redis-event-transport.js';
export { createBullmqJobQueue, type BullmqJobQueueOptions } from './create-bullmq-job-queue.js';
export { createBullmqJobBackend, type BullmqJobBackendOptions } from './create-bullmq-job-backend.js';
export { describeRedis, redisUnavailableError } from './redis-unavailable-error.js';
