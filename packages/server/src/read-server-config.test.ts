import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServerConfig } from './read-server-config.js';

describe('server configuration', () => {
  it('defaults to 127.0.0.1:9999 with data under ./data', () => {
    expect(readServerConfig({})).toMatchObject({ port: 9999, host: '127.0.0.1', dataDir: expect.stringMatching(/\/data$/), plugins: [] });
  });

  it('reads the steps allowed per chat message (default 4) and refuses a cap below 1', () => {
    expect(readServerConfig({}).maxStepsPerTurn).toBe(4);
    expect(readServerConfig({ DARKROOM_MAX_STEPS_PER_TURN: '6' }).maxStepsPerTurn).toBe(6);
    expect(() => readServerConfig({ DARKROOM_MAX_STEPS_PER_TURN: '0' })).toThrow(/DARKROOM_MAX_STEPS_PER_TURN/);
  });

  it('reads the images allowed per request (default 8, 1 to 16: the files a form may carry)', () => {
    expect(readServerConfig({}).maxImagesPerRequest).toBe(8);
    expect(readServerConfig({ DARKROOM_MAX_IMAGES_PER_REQUEST: '12' }).maxImagesPerRequest).toBe(12);
    for (const bad of ['0', '17', 'many']) expect(() => readServerConfig({ DARKROOM_MAX_IMAGES_PER_REQUEST: bad }), bad).toThrow(/DARKROOM_MAX_IMAGES_PER_REQUEST/);
  });

  it('reads the SQLite durability setting (default normal) and refuses anything but normal or full', () => {
    expect(readServerConfig({}).sqliteSynchronous).toBe('normal');
    expect(readServerConfig({ DARKROOM_SQLITE_SYNCHRONOUS: 'full' }).sqliteSynchronous).toBe('full');
    expect(() => readServerConfig({ DARKROOM_SQLITE_SYNCHRONOUS: 'off' })).toThrow(/DARKROOM_SQLITE_SYNCHRONOUS: must be normal or full/);
  });

  it('reads overrides and plugin names', () => {
    expect(readServerConfig({ PORT: '8080', HOST: '0.0.0.0', DARKROOM_DATA_DIR: '/tmp/x', DARKROOM_PLUGINS: 'a, b', DARKROOM_DATABASE_URL: 'postgres://u@h/db', DARKROOM_API_KEYS: 'ann:0123456789abcdef0123' })).toMatchObject({
      port: 8080, host: '0.0.0.0', dataDir: '/tmp/x', plugins: ['a', 'b'], databaseUrl: 'postgres://u@h/db', routing: {}, cloudinary: false, rateLimitPerMinute: 600,
    });
  });

  it('refuses to listen beyond loopback without API keys, and reads keys from the environment and a keys file', () => {
    expect(() => readServerConfig({ HOST: '0.0.0.0' })).toThrow(/HOST: 0.0.0.0 is not loopback.*DARKROOM_API_KEYS/);
    expect(readServerConfig({ HOST: '127.0.0.1' }).apiKeys).toEqual([]);
    const folder = mkdtempSync(join(tmpdir(), 'darkroom-keys-'));
    writeFileSync(join(folder, 'keys'), '# team\nbob:bbbbbbbbbbbbbbbbbbbb\n');
    const config = readServerConfig({ HOST: '0.0.0.0', DARKROOM_API_KEYS: 'ann:aaaaaaaaaaaaaaaaaaaa', DARKROOM_API_KEYS_FILE: join(folder, 'keys') });
    expect(config.apiKeys.map((entry) => entry.userId)).toEqual(['ann', 'bob']);
    expect(() => readServerConfig({ DARKROOM_API_KEYS_FILE: join(folder, 'missing') })).toThrow(/DARKROOM_API_KEYS_FILE: .* could not be read/);
    expect(() => readServerConfig({ DARKROOM_WEBHOOK_SECRET: 'hunter2' })).toThrow(/DARKROOM_WEBHOOK_SECRET: must be a Standard Webhooks secret/);
  });

  it('reads a JSON config file, the environment winning, and names unknown or bad settings', () => {
    const folder = mkdtempSync(join(tmpdir(), 'darkroom-config-'));
    const file = join(folder, 'darkroom.json');
    writeFileSync(file, JSON.stringify({ PORT: 7000, DARKROOM_RATE_LIMIT: 30, DARKROOM_ROUTING: 'upscale=local' }));
    expect(readServerConfig({ DARKROOM_CONFIG: file, PORT: '7001' })).toMatchObject({ port: 7001, rateLimitPerMinute: 30, routing: { upscale: ['local'] }, configFile: file });
    writeFileSync(file, JSON.stringify({ PROT: 7000 }));
    expect(() => readServerConfig({}, { configFile: file })).toThrow(/unknown setting PROT/);
    writeFileSync(file, JSON.stringify({ DARKROOM_RATE_LIMIT: -1 }));
    expect(() => readServerConfig({}, { configFile: file })).toThrow(/DARKROOM_RATE_LIMIT/);
    writeFileSync(file, '{ not json');
    expect(() => readServerConfig({}, { configFile: file })).toThrow(/could not be read as JSON/);
  });

  it('reads routing and the Runware settings, keeping the key out of the configuration', () => {
    const config = readServerConfig({ DARKROOM_ROUTING: 'upscale=runware,local; text-to-image = runware', RUNWARE_API_KEY: 'secret', RUNWARE_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(config.routing).toEqual({ upscale: ['runware', 'local'], 'text-to-image': ['runware'] });
    expect(config.runware).toEqual({ baseURL: 'http://127.0.0.1:9/v1' });
    expect(JSON.stringify(config)).not.toContain('secret');
    expect(readServerConfig({ CLOUDINARY_URL: 'cloudinary://k:s@cloud' }).cloudinary).toBe(true);
    expect(() => readServerConfig({ CLOUDINARY_URL: 'https://cloudinary.com' })).toThrow(/CLOUDINARY_URL: must look like/);
    expect(() => readServerConfig({ DARKROOM_ROUTING: 'teleport=runware' })).toThrow(/DARKROOM_ROUTING: "teleport=runware" must look like/);
  });

  it('reads the local provider\'s models as JSON', () => {
    expect(readServerConfig({ DARKROOM_LOCAL_MODELS: '{"backgroundRemoval":"/m/isnet.onnx","superResolution":{"path":"/m/sr.onnx","scale":4}}' }).localModels).toEqual({
      backgroundRemoval: '/m/isnet.onnx',
      superResolution: { path: '/m/sr.onnx', scale: 4 },
    });
    expect(() => readServerConfig({ DARKROOM_LOCAL_MODELS: '{"backgroundRemoval":' })).toThrow(/DARKROOM_LOCAL_MODELS: must be JSON/);
    expect(() => readServerConfig({ DARKROOM_LOCAL_MODELS: '{"superResolution":{"path":"x","scale":99}}' })).toThrow(/DARKROOM_LOCAL_MODELS/);
  });

  it('reads the local diffusion models, each with its own defaults after a "?", and their idle time, steps and guidance', () => {
    const config = readServerConfig({
      DARKROOM_DIFFUSION_MODELS: 'sd15=/models/sd15-onnx, turbo=/models/sd-turbo?steps=1&guidance=0&scheduler=euler-ancestral&default',
      DARKROOM_DIFFUSION_IDLE_MS: '60000',
      DARKROOM_DIFFUSION_STEPS: '30',
    });
    expect(config.diffusion).toEqual({
      models: [{ id: 'sd15', path: '/models/sd15-onnx' }, { id: 'turbo', path: '/models/sd-turbo', steps: 1, guidance: 0, scheduler: 'euler-ancestral', default: true }],
      idleMs: 60_000,
      steps: 30,
    });
    expect(readServerConfig({ DARKROOM_DIFFUSION_IDLE_MS: '5' }).diffusion).toBeUndefined();
    expect(() => readServerConfig({ DARKROOM_DIFFUSION_MODELS: '/models/sd15' })).toThrow(/DARKROOM_DIFFUSION_MODELS: "\/models\/sd15" must look like id=\/path\/to\/folder/);
    expect(() => readServerConfig({ DARKROOM_DIFFUSION_MODELS: 'sd=/m?cfg=7' })).toThrow(/cfg=7 is not a setting; use steps=N, guidance=G/);
    expect(() => readServerConfig({ DARKROOM_DIFFUSION_MODELS: 'sd=/m', DARKROOM_DIFFUSION_STEPS: '500' })).toThrow(/DARKROOM_DIFFUSION_STEPS/);
  });

  it('reads the per-user job limits (0 turns one off; one user alone is not limited in what runs)', () => {
    expect(readServerConfig({})).toMatchObject({ maxQueuedJobsPerUser: 32 });
    expect(readServerConfig({}).maxRunningJobsPerUser).toBe(Infinity);
    expect(readServerConfig({ DARKROOM_API_KEYS: 'ann:0123456789abcdef0123' }).maxRunningJobsPerUser).toBeUndefined();
    expect(readServerConfig({ DARKROOM_MAX_QUEUED_JOBS_PER_USER: '5', DARKROOM_MAX_RUNNING_JOBS_PER_USER: '2' })).toMatchObject({ maxQueuedJobsPerUser: 5, maxRunningJobsPerUser: 2 });
    expect(readServerConfig({ DARKROOM_MAX_QUEUED_JOBS_PER_USER: '0', DARKROOM_MAX_RUNNING_JOBS_PER_USER: '0' })).toMatchObject({ maxQueuedJobsPerUser: Infinity, maxRunningJobsPerUser: Infinity });
    expect(() => readServerConfig({ DARKROOM_MAX_RUNNING_JOBS_PER_USER: '-1' })).toThrow(/DARKROOM_MAX_RUNNING_JOBS_PER_USER/);
  });

  it('reads the job lease (unset: the engine default) and refuses one under a second', () => {
    expect(readServerConfig({}).jobLeaseMs).toBeUndefined();
    expect(readServerConfig({ DARKROOM_JOB_LEASE_MS: '2500' }).jobLeaseMs).toBe(2500);
    expect(() => readServerConfig({ DARKROOM_JOB_LEASE_MS: '200' })).toThrow(/DARKROOM_JOB_LEASE_MS: must be at least 1000/);
    expect(() => readServerConfig({ DARKROOM_JOB_LEASE_MS: '1.5s' })).toThrow(/DARKROOM_JOB_LEASE_MS/);
  });

  it('reads the base path the server answers under (unset or "/": the root), and says how to write a bad one', () => {
    expect(readServerConfig({}).basePath).toBe('');
    expect(readServerConfig({ DARKROOM_BASE_PATH: '/' }).basePath).toBe('');
    expect(readServerConfig({ DARKROOM_BASE_PATH: '/studio' }).basePath).toBe('/studio');
    expect(readServerConfig({ DARKROOM_BASE_PATH: '/apps/photo-studio' }).basePath).toBe('/apps/photo-studio');
    expect(() => readServerConfig({ DARKROOM_BASE_PATH: 'studio' })).toThrow(/Invalid configuration: DARKROOM_BASE_PATH: must start with "\/": write "\/studio"/);
    expect(() => readServerConfig({ DARKROOM_BASE_PATH: '/studio/' })).toThrow(/DARKROOM_BASE_PATH: must not end with "\/": write "\/studio"/);
    expect(() => readServerConfig({ DARKROOM_BASE_PATH: '/a/../b' })).toThrow(/DARKROOM_BASE_PATH: must not contain a "\." or "\.\." segment/);
    expect(() => readServerConfig({ DARKROOM_BASE_PATH: '/studio?x=1' })).toThrow(/DARKROOM_BASE_PATH: must be a path only/);
  });

  it('trims the base path it reads (an env file\'s stray spaces), and suggests only a valid one', () => {
    expect(readServerConfig({ DARKROOM_BASE_PATH: ' /studio ' }).basePath).toBe('/studio');
    expect(readServerConfig({ DARKROOM_BASE_PATH: '/studio\n' }).basePath).toBe('/studio');
    expect(readServerConfig({ DARKROOM_BASE_PATH: ' / ' }).basePath).toBe('');
    expect(readServerConfig({ DARKROOM_BASE_PATH: '  ' }).basePath).toBe('');
    expect(() => readServerConfig({ DARKROOM_BASE_PATH: ' studio/ ' })).toThrow(/DARKROOM_BASE_PATH: must start with "\/": write "\/studio"/);
    expect(() => readServerConfig({ DARKROOM_BASE_PATH: 'https://x/studio' })).toThrow(/DARKROOM_BASE_PATH: must be a path, not a URL: write "\/studio"/);
    const backslash = (() => {
      try {
        readServerConfig({ DARKROOM_BASE_PATH: '\\studio' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(backslash).toMatch(/DARKROOM_BASE_PATH: must start with "\/": a base path is "\/" followed by/);
    expect(backslash).not.toContain('write');
  });

  it('names the bad setting', () => {
    expect(() => readServerConfig({ PORT: 'ninety' })).toThrow(/PORT/);
    expect(() => readServerConfig({ DARKROOM_DATABASE_URL: 'mysql://x' })).toThrow(/DARKROOM_DATABASE_URL: must be a postgres/);
    expect(() => readServerConfig({ DARKROOM_REDIS_URL: 'localhost:6379', DARKROOM_DATABASE_URL: 'postgres://u@h/db' })).toThrow(/DARKROOM_REDIS_URL: must be a redis:\/\//);
    expect(() => readServerConfig({ DARKROOM_MONGODB_URL: 'http://x' })).toThrow(/DARKROOM_MONGODB_URL: must be a mongodb:\/\//);
  });

  it('reads the distributed settings, and refuses Redis without a shared database', () => {
    expect(readServerConfig({ DARKROOM_REDIS_URL: 'redis://127.0.0.1:6379/2', DARKROOM_DATABASE_URL: 'postgres://u@h/db', DARKROOM_MONGODB_URL: 'mongodb://m:27017/darkroom' })).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379/2',
      databaseUrl: 'postgres://u@h/db',
      mongodbUrl: 'mongodb://m:27017/darkroom',
    });
    expect(() => readServerConfig({ DARKROOM_REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/DARKROOM_REDIS_URL: the distributed engine also needs DARKROOM_DATABASE_URL/);
  });
});
