import type { ModelWorkerContext, WorkerPixels } from './model-worker-context.js';

export interface ApplyModelTilesInput extends WorkerPixels {
  /** The model's path, for error messages. */
  path: string;
  /** Output size ÷ input size. */
  scale: number;
  /** Square tile side fed to the model. */
  tile: number;
  /** Pixels shared by neighbouring tiles, blended to hide seams. */
  overlap: number;
  /** value × multiply + add is what the model sees. */
  multiply: number;
  add: number;
  /** Below 1 (same-size models only): the result blended with the original. */
  strength: number;
  /** Keep an input's alpha (resized with the image when the model changes the size); else RGB out. */
  keepAlpha: boolean;
}

/**
 * Runs an image-to-image model over 8-bit pixels of any size; runs in the model's worker thread (its
 * source is sent there as is, so it uses nothing but its arguments). Tiles of `tile`² with `overlap`,
 * each tile's output weighted by a ramp across the overlap so seams blend away; images smaller than a
 * tile are padded by edge replication and cropped back. Stops between tiles once cancelled.
 */
export async function applyModelTiles(input: ApplyModelTilesInput, context: ModelWorkerContext): Promise<WorkerPixels> {
  const { session, ort, sharp, splitAlpha, joinAlpha } = context;
  const { scale, tile, overlap, multiply, add } = input;
  const fail = (code: string, message: string) => Object.assign(new Error(message), { code });
  const tileStarts = (size: number) => {
    if (size <= tile) return [0];
    const starts: number[] = [];
    for (let start = 0; start + tile < size; start += tile - overlap) starts.push(start);
    starts.push(size - tile);
    return starts;
  };
  const { colour, alpha } = splitAlpha(input);
  let source = colour;
  if (colour.width < tile || colour.height < tile) {
    const padded = await sharp(colour.pixels, { raw: { width: colour.width, height: colour.height, channels: 3 } })
      .extend({ right: Math.max(0, tile - colour.width), bottom: Math.max(0, tile - colour.height), extendWith: 'copy' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    source = { pixels: padded.data, width: padded.info.width, height: padded.info.height, channels: 3 };
  }
  const { width, height, pixels } = source;
  const outWidth = width * scale;
  const outHeight = height * scale;
  const sum = new Float32Array(outWidth * outHeight * 3);
  const weight = new Float32Array(outWidth * outHeight);
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const plane = tile * tile;
  for (const top of tileStarts(height)) {
    for (const left of tileStarts(width)) {
      if (context.cancelled()) throw fail('cancelled', 'The model run was cancelled');
      const tensor = new Float32Array(3 * plane);
      for (let y = 0; y < tile; y += 1) {
        for (let x = 0; x < tile; x += 1) {
          const from = ((top + y) * width + left + x) * 3;
          const to = y * tile + x;
          tensor[to] = pixels[from]! * multiply + add;
          tensor[to + plane] = pixels[from + 1]! * multiply + add;
          tensor[to + 2 * plane] = pixels[from + 2]! * multiply + add;
        }
      }
      const result = (await session.run({ [inputName]: new ort.Tensor('float32', tensor, [1, 3, tile, tile]) }, [outputName]))[outputName]!;
      const data = result.data as Float32Array;
      const outTile = tile * scale;
      if (result.dims.join('x') !== `1x3x${outTile}x${outTile}`) {
        throw fail('configuration', `Model ${input.path} answered ${result.dims.join('×')} for a ${tile}² tile; with scale ${scale} it should answer 1×3×${outTile}×${outTile}`);
      }
      const ramp = overlap * scale;
      const outPlane = outTile * outTile;
      for (let y = 0; y < outTile; y += 1) {
        // Ramps only on sides that touch another tile; full weight at the image's own borders.
        const wy = Math.min(top > 0 ? (y + 1) / (ramp + 1) : 1, top + tile < height ? (outTile - y) / (ramp + 1) : 1, 1);
        for (let x = 0; x < outTile; x += 1) {
          const wx = Math.min(left > 0 ? (x + 1) / (ramp + 1) : 1, left + tile < width ? (outTile - x) / (ramp + 1) : 1, 1);
          const w = wx * wy;
          const target = (top * scale + y) * outWidth + left * scale + x;
          const from = y * outTile + x;
          weight[target]! += w;
          sum[target * 3]! += data[from]! * w;
          sum[target * 3 + 1]! += data[from + outPlane]! * w;
          sum[target * 3 + 2]! += data[from + 2 * outPlane]! * w;
        }
      }
    }
  }
  const cropWidth = colour.width * scale;
  const cropHeight = colour.height * scale;
  const out = new Uint8Array(cropWidth * cropHeight * 3);
  const keep = scale === 1 && input.strength < 1 ? input.strength : 1;
  for (let y = 0; y < cropHeight; y += 1) {
    for (let x = 0; x < cropWidth; x += 1) {
      const target = y * outWidth + x;
      for (let channel = 0; channel < 3; channel += 1) {
        const value = (sum[target * 3 + channel]! / weight[target]! - add) / multiply;
        const index = (y * cropWidth + x) * 3 + channel;
        const modelled = value <= 0 ? 0 : value >= 255 ? 255 : Math.trunc(value + 0.5);
        out[index] = keep < 1 ? Math.round(colour.pixels[index]! * (1 - keep) + modelled * keep) : modelled;
      }
    }
  }
  const output = { pixels: out, width: cropWidth, height: cropHeight, channels: 3 };
  if (!alpha || !input.keepAlpha) return output;
  const resized =
    scale === 1
      ? alpha
      : await sharp(alpha, { raw: { width: colour.width, height: colour.height, channels: 1 } }).resize(cropWidth, cropHeight, { kernel: 'lanczos3' }).extractChannel(0).raw().toBuffer();
  return joinAlpha(output, resized);
}
