import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxSessions } from './create-onnx-sessions.js';
import { attribute, bytesField, intField, node, stringField } from './testing-onnx-protobuf.js';

// Models whose inputs are not float32 (fp16 exports, int64 token ids), written by hand: ONNX element
// types FLOAT16 = 10, INT64 = 7, FLOAT = 1.
const directory = mkdtempSync(join(tmpdir(), 'darkroom-feed-types-'));
const sessions = createOnnxSessions({ threads: 1 });
afterAll(async () => {
  await sessions.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A graph input (field 11) or output (field 12): name, element type, fixed dims. */
const value = (field: 11 | 12, [name, type, dims]: [string, number, number[]]) =>
  bytesField(field, [...stringField(1, name), ...bytesField(2, bytesField(1, [...intField(1, type), ...bytesField(2, dims.flatMap((dim) => bytesField(1, intField(1, dim))))]))]);
function model(file: string, nodes: number[][], input: [string, number, number[]], output: [string, number, number[]]): string {
  const graph = [...nodes.flatMap((entry) => bytesField(1, entry)), ...stringField(2, 'feed-types'), ...value(11, input), ...value(12, output)];
  const path = join(directory, file);
  writeFileSync(path, new Uint8Array([...intField(1, 8), ...stringField(2, 'darkroom-tests'), ...bytesField(7, graph), ...bytesField(8, [...stringField(1, ''), ...intField(2, 17)])]));
  return path;
}

describe('ONNX feeds of other element types', () => {
  it('converts float32 feeds to a float16 input and widens the float16 output', async () => {
    const path = model('half.onnx', [node('Add', ['x', 'x'], ['y'])], ['x', 10, [3]], ['y', 10, [3]]);
    const half = await sessions.get(path);
    expect(half.inputs).toEqual([{ name: 'x', type: 'float16', shape: [3] }]);
    const { y } = await half.run({ x: { data: Float32Array.of(1.5, -2.25, 0.1), dims: [3] } }, ['y'], new AbortController().signal);
    expect(y!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(y!.data.subarray(0, 2))).toEqual([3, -4.5]);
    expect(y!.data[2]).toBeCloseTo(0.2, 3);
  });

  it('converts int32 ids to an int64 input, and unloads a released model', async () => {
    const path = model('ids.onnx', [node('Cast', ['ids'], ['y'], [attribute.int('to', 1)])], ['ids', 7, [3]], ['y', 1, [3]]);
    const ids = await sessions.get(path);
    const { y } = await ids.run({ ids: { data: Int32Array.of(49406, 320, 49407), dims: [3] } }, ['y'], new AbortController().signal);
    expect(Array.from(y!.data)).toEqual([49406, 320, 49407]);
    expect(sessions.loaded()).toContain(path);
    await sessions.release(path);
    expect(sessions.loaded()).not.toContain(path);
    await expect(ids.run({ ids: { data: Int32Array.of(1, 2, 3), dims: [3] } }, ['y'], new AbortController().signal)).rejects.toMatchObject({ code: 'provider_unavailable' });
    // Loaded again on the next get.
    const again = await sessions.get(path);
    await expect(again.run({ ids: { data: Int32Array.of(1, 2, 3), dims: [3] } }, ['y'], new AbortController().signal)).resolves.toMatchObject({ y: { dims: [3] } });
  });
});
