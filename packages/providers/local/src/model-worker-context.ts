import type sharp from 'sharp';
import type { joinAlpha, splitAlpha } from './raw-image.js';

/** Interleaved pixels sent to a model's worker or received from it (8- or 16-bit samples). */
export interface WorkerPixels {
  pixels: Uint8Array | Uint16Array;
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA); masks use 1. */
  channels: number;
}

/** What a model worker program gets beside its input: the worker's session and the modules it has loaded. */
export interface ModelWorkerContext {
  session: {
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
    run(feeds: Record<string, unknown>, fetches?: string[]): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
  };
  ort: { Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown };
  /** sharp, loaded in the worker on first use. */
  sharp: typeof sharp;
  splitAlpha: typeof splitAlpha;
  joinAlpha: typeof joinAlpha;
  /**
   * A feed as a tensor of the element type the session declares for that input (float32 values
   * become float16, int64 or int32 as the model wants; int32 ids become int64).
   */
  toTensor(name: string, tensor: { data: Float32Array | Int32Array; dims: number[] }): unknown;
  /** An output's values as float32 (float16 outputs are widened). */
  toFloat32(value: { data: unknown; dims: readonly number[] }): Float32Array;
  /** Whether the caller has given up on this run (checked between steps, e.g. tiles). */
  cancelled(): boolean;
}

/** An error a program throws with a `DarkroomError` code for the caller (`configuration`, `cancelled`). */
export type ProgramError = Error & { code?: string };
