// Object removal quality and speed (issue 18): holes cut from real photos where the truth is known,
// filled by PatchMatch completion (the local provider's default), the diffusion fill and OpenCV's Telea
// inpainting (radius 3; the baseline, bench only). Texture ratio ÷ the truth's, PSNR inside the hole,
// any trace of the removed object, time; then 1 MP with a 10 % hole and a large expand through the
// real provider path (pixel worker pool), and the peak RSS.
import { join } from 'node:path';
import cvModule from '@techstark/opencv-js';
import sharp from 'sharp';
import { inspectImage, type CapabilityRequest } from '@darkroom/core';
import { createLocalProvider } from '@darkroom/provider-local';
import { inpaintPixels } from '../packages/providers/local/src/inpaint-pixels.ts';
import { patchMatchPixels } from '../packages/providers/local/src/patch-match-pixels.ts';
import { textureRatio } from '../packages/providers/local/src/texture-ratio.ts';
import { mean, time } from './measure.ts';

const fixtures = join(import.meta.dirname, '../../shared/fixtures/images');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- opencv.js ships loose typings; only Mat, inpaint and the constant are used.
let cv: any = cvModule;
if (cv instanceof Promise) cv = await cv;
if (!cv.Mat) await new Promise<void>((resolve) => { cv.onRuntimeInitialized = () => resolve(); });

/** A fixture as interleaved 8-bit RGB. */
async function rgb(name: string) {
  const { data, info } = await sharp(join(fixtures, name)).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}

/**
 * The square hole covering `fraction` of the image placed in the most (`textured`) or least (`smooth`)
 * textured area, among positions on a grid at least a quarter side from the borders. An area's texture
 * is the smaller of the Laplacian variances inside the square and in the 12-pixel ring around it (the
 * ring `textureRatio` compares with), so a textured area is textured inside and around, not one edge.
 */
function placeHole(pixels: Uint8Array, width: number, height: number, fraction: number, kind: 'textured' | 'smooth') {
  const side = Math.round(Math.sqrt(fraction * width * height));
  const grey = (index: number) => (pixels[index * 3]! + pixels[index * 3 + 1]! + pixels[index * 3 + 2]!) / 3;
  const margin = Math.ceil(side / 4);
  const ring = 12;
  const step = Math.max(4, Math.floor(side / 6));
  let best = { x: margin, y: margin, score: kind === 'textured' ? -Infinity : Infinity };
  for (let y0 = margin; y0 + side + margin <= height; y0 += step) {
    for (let x0 = margin; x0 + side + margin <= width; x0 += step) {
      const inside = [0, 0, 0], around = [0, 0, 0];
      for (let y = y0 - ring; y < y0 + side + ring; y += 2) {
        for (let x = x0 - ring; x < x0 + side + ring; x += 2) {
          const index = y * width + x;
          const laplacian = 4 * grey(index) - grey(index - 1) - grey(index + 1) - grey(index - width) - grey(index + width);
          const where = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side ? inside : around;
          where[0]! += 1;
          where[1]! += laplacian;
          where[2]! += laplacian * laplacian;
        }
      }
      const variance = ([count, sum, squares]: number[]) => squares! / count! - (sum! / count!) ** 2;
      const score = Math.min(variance(inside), variance(around));
      if (kind === 'textured' ? score > best.score : score < best.score) best = { x: x0, y: y0, score };
    }
  }
  const mask = new Uint8Array(width * height);
  for (let y = best.y; y < best.y + side; y += 1) mask.fill(255, y * width + best.x, y * width + best.x + side);
  return { mask, side, x: best.x, y: best.y };
}

/** PSNR (dB) over the hole's pixels, all three channels. */
function psnr(filled: Uint8Array | Uint16Array, truth: Uint8Array, mask: Uint8Array) {
  let squares = 0, count = 0;
  for (let index = 0; index < mask.length; index += 1) {
    if (!mask[index]) continue;
    for (let channel = 0; channel < 3; channel += 1) {
      const difference = filled[index * 3 + channel]! - truth[index * 3 + channel]!;
      squares += difference * difference;
      count += 1;
    }
  }
  return 10 * Math.log10((255 * 255) / Math.max(1e-9, squares / count));
}

/** Share of hole pixels within 80 (Euclidean RGB) of the removed object's magenta: a trace of it. */
function trace(filled: Uint8Array | Uint16Array, mask: Uint8Array) {
  let near = 0, count = 0;
  for (let index = 0; index < mask.length; index += 1) {
    if (!mask[index]) continue;
    count += 1;
    const [r, g, b] = [filled[index * 3]! - 255, filled[index * 3 + 1]!, filled[index * 3 + 2]! - 255];
    if (r * r + g * g + b * b < 80 * 80) near += 1;
  }
  return near / count;
}

function telea(pixels: Uint8Array, mask: Uint8Array, width: number, height: number) {
  const source = cv.matFromArray(height, width, cv.CV_8UC3, pixels);
  const holes = cv.matFromArray(height, width, cv.CV_8UC1, mask);
  const output = new cv.Mat();
  cv.inpaint(source, holes, output, 3, cv.INPAINT_TELEA);
  const result = new Uint8Array(output.data);
  source.delete();
  holes.delete();
  output.delete();
  return result;
}

// 1. Quality on the fixtures: each hole is first painted magenta (the "object"), then filled.
{
  const rows = [];
  const goals: string[] = [];
  for (const name of ['chelsea.png', 'coffee.png', 'grass.png', 'rocket.jpg']) {
    const { pixels: truth, width, height } = await rgb(name);
    for (const fraction of [0.05, 0.1]) {
      for (const kind of ['textured', 'smooth'] as const) {
        const { mask, side, x, y } = placeHole(truth, width, height, fraction, kind);
        const input = Uint8Array.from(truth);
        for (let index = 0; index < mask.length; index += 1) if (mask[index]) input.set([255, 0, 255], index * 3);
        const truthRatio = textureRatio(truth, mask, width, height, 3);
        const methods: Array<[string, () => Uint8Array | Uint16Array]> = [
          ['patchmatch', () => patchMatchPixels(input, mask, width, height, 3, 0)],
          ['diffusion', () => inpaintPixels(input, mask, width, height, 3)],
          ['opencv telea r3 (baseline)', () => telea(input, mask, width, height)],
        ];
        for (const [method, fill] of methods) {
          const started = performance.now();
          const filled = fill();
          const ms = performance.now() - started;
          const relative = textureRatio(filled, mask, width, height, 3) / truthRatio;
          rows.push({
            image: `${name} ${width}×${height}`,
            hole: `${kind} ${fraction * 100}% (${side}² at ${x},${y})`,
            method,
            'texture ÷ truth': relative.toFixed(2),
            'PSNR dB': psnr(filled, truth, mask).toFixed(2),
            'object trace': `${(trace(filled, mask) * 100).toFixed(1)}%`,
            ms: ms.toFixed(0),
          });
          if (method === 'patchmatch' && kind === 'textured') goals.push(`${relative >= 0.5 ? 'PASS' : 'FAIL'} ${name} ${fraction * 100}% textured: texture ${relative.toFixed(2)} × truth (goal ≥ 0.5)`);
        }
      }
    }
  }
  console.log('\nObject removal quality — square holes cut from the fixtures (truth known), the hole painted magenta first; PatchMatch (seed 0) vs diffusion vs OpenCV Telea r=3, in-process');
  console.table(rows);
  for (const goal of goals) console.log(goal);
}

// 2. Speed through the real provider path (decode, mask, pixel worker, encode): 1 MP, 10 % hole; a large expand.
{
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const local = createLocalProvider();
  const context = { signal: new AbortController().signal, model: 'bench' };
  const width = 1224, height = 817;
  const photo = await sharp(join(fixtures, 'coffee.png')).resize(width, height).png().toBuffer();
  const image = await inspectImage(new Uint8Array(photo));
  const side = Math.round(Math.sqrt(0.1 * width * height));
  const maskPng = await sharp({ create: { width, height, channels: 3, background: 'black' } })
    .composite([{ input: await sharp({ create: { width: side, height: side, channels: 3, background: 'white' } }).png().toBuffer(), left: 700, top: 200 }]).png().toBuffer();
  const mask = await inspectImage(new Uint8Array(maskPng));
  const patch = await time(rounds, () => local.handlers.inpaint!({ image, mask }, context), 1);
  const diffusion = await time(rounds, () => local.handlers.inpaint!({ image, mask, method: 'diffusion' }, context), 1);
  const expandTo = { left: 363, right: 363, top: 0, bottom: 0 };
  const expand = await time(rounds, () => local.handlers.outpaint!({ image, ...expandTo } as CapabilityRequest<'outpaint'>, context), 1);
  await local.close?.();
  const rows = [
    { case: `object removal ${width}×${height}, ${side}² hole (10 %), patchmatch`, 'mean ms': mean(patch).toFixed(0), 'ratio vs diffusion': (mean(patch) / mean(diffusion)).toFixed(2), goal: '≤ 2000 ms' },
    { case: `object removal ${width}×${height}, ${side}² hole (10 %), diffusion (baseline)`, 'mean ms': mean(diffusion).toFixed(0), 'ratio vs diffusion': '1.00', goal: '' },
    { case: `expand ${width}×${height} to 16:9 (+${expandTo.left}+${expandTo.right} px), patchmatch`, 'mean ms': mean(expand).toFixed(0), 'ratio vs diffusion': (mean(expand) / mean(diffusion)).toFixed(2), goal: '' },
  ];
  console.log(`\nObject removal and expand at 1 MP through the local provider (pixel worker pool), mean of ${rounds} runs after a warm-up`);
  console.table(rows);
  console.log(`${mean(patch) <= 2000 ? 'PASS' : 'FAIL'} 1 MP with a 10 % hole: ${mean(patch).toFixed(0)} ms (goal ≤ 2000 ms)`);
  console.log(`Peak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
