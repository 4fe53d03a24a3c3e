import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DarkroomError } from '@darkroom/core';
import { readModelFolder } from './read-model-folder.js';
import { writeTinyDiffusionModel, type TinyDiffusionModelOptions } from './testing-diffusion-models.js';

const directory = mkdtempSync(join(tmpdir(), 'darkroom-model-folder-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let count = 0;
const tiny = (options: TinyDiffusionModelOptions) => writeTinyDiffusionModel(join(directory, String((count += 1))), options).path;

/** The error readModelFolder throws, checked to be a configuration error naming `file`. */
async function failure(path: string, file: string): Promise<DarkroomError> {
  const error = await readModelFolder(path, 'tiny').then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(DarkroomError.isInstance(error), String(error)).toBe(true);
  const darkroom = error as DarkroomError;
  expect(darkroom.code).toBe('configuration');
  expect(darkroom.details).toEqual({ model: 'tiny', file: join(path, file) });
  expect(darkroom.message).toMatch(/^Diffusion model "tiny": /);
  expect(darkroom.message).toContain('a complete Optimum ONNX export of a Stable Diffusion model');
  return darkroom;
}

describe('readModelFolder', () => {
  it('reads an SD export: absolute paths, parsed configs, sizes from the configs', async () => {
    const path = tiny({ family: 'sd' });
    const model = await readModelFolder(path, 'tiny');
    expect(model).toEqual({
      id: 'tiny',
      path,
      family: 'sd',
      inpainting: false,
      files: {
        textEncoder: join(path, 'text_encoder/model.onnx'),
        unet: join(path, 'unet/model.onnx'),
        vaeDecoder: join(path, 'vae_decoder/model.onnx'),
        vaeEncoder: join(path, 'vae_encoder/model.onnx'),
        tokenizer: join(path, 'tokenizer'),
      },
      schedulerConfig: JSON.parse(readFileSync(join(path, 'scheduler/scheduler_config.json'), 'utf8')),
      vaeScaleFactor: 8,
      latentChannels: 4,
      scalingFactor: 0.18215,
      defaultSize: 64,
      maxTokens: 77,
    });
    expect(model.schedulerConfig._class_name).toBe('PNDMScheduler');
    expect(await readModelFolder(relative(process.cwd(), path), 'tiny')).toEqual(model);
  });

  it('reads an SDXL export (text_encoder_2 present): both encoders and tokenizers, SDXL scaling factor', async () => {
    const path = tiny({ family: 'sdxl', schedulerConfig: { timestep_spacing: 'trailing' } });
    const model = await readModelFolder(path, 'tiny');
    expect(model.family).toBe('sdxl');
    expect(model.files.textEncoder2).toBe(join(path, 'text_encoder_2/model.onnx'));
    expect(model.files.tokenizer2).toBe(join(path, 'tokenizer_2'));
    expect(model.scalingFactor).toBe(0.13025);
    expect(model.schedulerConfig).toMatchObject({ _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'trailing' });
    expect(model.inpainting).toBe(false);
  });

  it('tells an inpainting UNet by its 9 channels: from unet/config.json, the ONNX input shape, or the conv_in weight', async () => {
    expect((await readModelFolder(tiny({ family: 'sd', inpainting: true }), 'tiny')).inpainting).toBe(true);
    expect((await readModelFolder(tiny({ family: 'sdxl', inpainting: true }), 'tiny')).inpainting).toBe(true);
    const withoutConfigs = await readModelFolder(tiny({ family: 'sd', inpainting: true, withoutComponentConfigs: true }), 'tiny');
    expect(withoutConfigs.inpainting).toBe(true);
    // diffusers' conversion script: no config.json, a symbolic channel axis, int32 ids, float [batch] timestep.
    const legacy = await readModelFolder(tiny({ family: 'sd', inpainting: true, withoutComponentConfigs: true, symbolicChannels: true, inputIds: 'int32', timestep: 'float-vector', vaeEncoderOutput: 'latent_sample' }), 'tiny');
    expect(legacy.inpainting).toBe(true);
    const plain = await readModelFolder(tiny({ family: 'sd', withoutComponentConfigs: true, symbolicChannels: true }), 'tiny');
    expect(plain.inpainting).toBe(false);
  });

  it('falls back to the ONNX shapes and SD defaults without component configs', async () => {
    const model = await readModelFolder(tiny({ family: 'sd', withoutComponentConfigs: true }), 'tiny');
    expect([model.vaeScaleFactor, model.latentChannels, model.scalingFactor, model.defaultSize, model.maxTokens]).toEqual([8, 4, 0.18215, 512, 77]);
    const xl = await readModelFolder(tiny({ family: 'sdxl', withoutComponentConfigs: true }), 'tiny');
    expect([xl.scalingFactor, xl.defaultSize]).toEqual([0.13025, 1024]);
  });

  it('accepts an export without vae_encoder, and UNet weights in external data', async () => {
    const model = await readModelFolder(tiny({ family: 'sd', withoutVaeEncoder: true, unetExternalData: true }), 'tiny');
    expect(model.files.vaeEncoder).toBeUndefined();
    expect('vaeEncoder' in model.files).toBe(false);
  });

  it('names the missing folder or file and what a complete export holds', async () => {
    const missing = join(directory, 'nowhere');
    const error = await readModelFolder(missing, 'tiny').catch((thrown: unknown) => thrown as DarkroomError);
    expect(error).toMatchObject({ code: 'configuration', details: { model: 'tiny', file: missing }, message: expect.stringMatching(/nowhere does not exist/) });

    for (const file of ['model_index.json', 'unet/model.onnx', 'text_encoder/model.onnx', 'vae_decoder/model.onnx', 'scheduler/scheduler_config.json', 'tokenizer/merges.txt', 'tokenizer/vocab.json']) {
      const path = tiny({ family: 'sd' });
      rmSync(join(path, file));
      expect((await failure(path, file)).message, file).toMatch(/ is missing/);
    }
    const xl = tiny({ family: 'sdxl' });
    rmSync(join(xl, 'tokenizer_2/tokenizer.json'));
    expect((await failure(xl, 'tokenizer_2/vocab.json')).message).toMatch(/vocab\.json is missing \(the CLIP tokenizer's vocabulary; or a tokenizer\.json\)/);
    const refiner = tiny({ family: 'sdxl' });
    rmSync(join(refiner, 'text_encoder/model.onnx'));
    expect((await failure(refiner, 'text_encoder/model.onnx')).message).toMatch(/only text_encoder_2 \(like the SDXL refiner\)/);
    const external = tiny({ family: 'sd', unetExternalData: true });
    rmSync(join(external, 'unet/model.onnx_data'));
    expect((await failure(external, 'unet/model.onnx_data')).message).toMatch(/model\.onnx_data is missing \(the external weights .*unet\/model\.onnx names\)/);
  });

  it('names a file that is unreadable or is not what the layout says', async () => {
    const json = tiny({ family: 'sd' });
    writeFileSync(join(json, 'scheduler/scheduler_config.json'), '{ "_class_name": ');
    expect((await failure(json, 'scheduler/scheduler_config.json')).message).toMatch(/is not valid JSON/);
    const garbage = tiny({ family: 'sd' });
    writeFileSync(join(garbage, 'unet/model.onnx'), 'not a model');
    expect((await failure(garbage, 'unet/model.onnx')).message).toMatch(/cannot be read as an ONNX model/);
    const swapped = tiny({ family: 'sd' });
    writeFileSync(join(swapped, 'vae_decoder/model.onnx'), readFileSync(join(swapped, 'text_encoder/model.onnx')));
    expect((await failure(swapped, 'vae_decoder/model.onnx')).message).toMatch(/has no input latent_sample \(its inputs: input_ids\)/);
    const xlUnet = tiny({ family: 'sdxl' });
    writeFileSync(join(xlUnet, 'unet/model.onnx'), readFileSync(join(tiny({ family: 'sd' }), 'unet/model.onnx')));
    expect((await failure(xlUnet, 'unet/model.onnx')).message).toMatch(/has no input text_embeds, time_ids/);
    const channels = tiny({ family: 'sd' });
    const config = JSON.parse(readFileSync(join(channels, 'unet/config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(channels, 'unet/config.json'), JSON.stringify({ ...config, in_channels: 8 }));
    expect((await failure(channels, 'unet/config.json')).message).toMatch(/8 input channels: only 4 \(text-to-image\) and 9 \(inpainting\)/);
    const transformer = tiny({ family: 'sd' });
    writeFileSync(join(transformer, 'model_index.json'), JSON.stringify({ _class_name: 'StableDiffusion3Pipeline', transformer: ['diffusers', 'SD3Transformer2DModel'] }));
    expect((await failure(transformer, 'model_index.json')).message).toMatch(/StableDiffusion3Pipeline, a diffusion transformer/);
  });
});
