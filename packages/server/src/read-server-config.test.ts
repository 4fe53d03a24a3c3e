import { describe, expect, it } from 'vitest';
import { readServerConfig } from './read-server-config.js';

describe('server configuration', () => {
  it('defaults to 127.0.0.1:9999 with data under ./data', () => {
    expect(readServerConfig({})).toMatchObject({ port: 9999, host: '127.0.0.1', dataDir: expect.stringMatching(/\/data$/), plugins: [] });
  });

  it('reads overrides and plugin names', () => {
    expect(readServerConfig({ PORT: '8080', HOST: '0.0.0.0', DARKROOM_DATA_DIR: '/tmp/x', DARKROOM_PLUGINS: 'a, b', DARKROOM_DATABASE_URL: 'postgres://u@h/db' })).toEqual({
      port: 8080, host: '0.0.0.0', dataDir: '/tmp/x', plugins: ['a', 'b'], databaseUrl: 'postgres://u@h/db', routing: {}, cloudinary: false,
    });
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

  it('names the bad setting', () => {
    expect(() => readServerConfig({ PORT: 'ninety' })).toThrow(/PORT/);
    expect(() => readServerConfig({ DARKROOM_DATABASE_URL: 'mysql://x' })).toThrow(/DARKROOM_DATABASE_URL: must be a postgres/);
  });
});
