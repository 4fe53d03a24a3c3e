// Tiny ONNX models written byte by byte (protobuf), so tests need no model download.

const varint = (value: number): number[] => {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 127) {
    bytes.push((rest & 127) | 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, bytes: number[] | Uint8Array) => [...key(field, 2), ...varint(bytes.length), ...bytes];
const stringField = (field: number, text: string) => bytesField(field, [...new TextEncoder().encode(text)]);
const intField = (field: number, value: number) => [...key(field, 0), ...varint(value)];

const floatTensor = (name: string, dims: number[], values: number[]) =>
  [...dims.flatMap((dim) => intField(1, dim)), ...intField(2, 1), ...stringField(8, name), ...bytesField(9, new Uint8Array(new Float32Array(values).buffer))];
const dimension = (dim: number | string) => bytesField(1, typeof dim === 'number' ? intField(1, dim) : stringField(2, dim));
const valueInfo = (name: string, dims: Array<number | string>) =>
  [...stringField(1, name), ...bytesField(2, bytesField(1, [...intField(1, 1), ...bytesField(2, dims.flatMap(dimension))]))];
const stringAttribute = (name: string, value: string) => [...stringField(1, name), ...intField(20, 3), ...stringField(4, value)];
const node = (op: string, inputs: string[], outputs: string[], attributes: number[][] = []) =>
  [...inputs.flatMap((input) => stringField(1, input)), ...outputs.flatMap((output) => stringField(2, output)), ...stringField(4, op), ...attributes.flatMap((attribute) => bytesField(5, attribute))];

function model(nodes: number[][], initializers: number[][], outputDims: Array<number | string>): Uint8Array {
  const graph = [
    ...nodes.flatMap((entry) => bytesField(1, entry)),
    ...stringField(2, 'test'),
    ...initializers.flatMap((entry) => bytesField(5, entry)),
    ...bytesField(11, valueInfo('input', [1, 3, 'height', 'width'])),
    ...bytesField(12, valueInfo('output', outputDims)),
  ];
  return new Uint8Array([...intField(1, 8), ...stringField(2, 'darkroom-tests'), ...bytesField(7, graph), ...bytesField(8, [...stringField(1, ''), ...intField(2, 13)])]);
}

/** output = 1 − input: a "style" that inverts colours, any size. */
export const invertModel = () => model([node('Sub', ['one', 'input'], ['output'])], [floatTensor('one', [], [1])], [1, 3, 'height', 'width']);

/** output = input enlarged 2× by pixel replication: a stand-in super-resolution model. */
export const doubleModel = () =>
  model(
    [node('Resize', ['input', '', 'scales'], ['output'], [stringAttribute('mode', 'nearest'), stringAttribute('coordinate_transformation_mode', 'asymmetric'), stringAttribute('nearest_mode', 'floor')])],
    [floatTensor('scales', [4], [1, 1, 2, 2])],
    [1, 3, 'height2', 'width2'],
  );
