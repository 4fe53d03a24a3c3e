// A small ONNX writer (protobuf, byte by byte) for the tiny models tests build, so no test needs a model
// download. Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto,
// ValueInfoProto, AttributeProto). Test-only: excluded from the build like every `testing-*.ts`.

type Bytes = number[];

/** ONNX TensorProto.DataType numbers of the element types these tests use. */
export const elementType = { float32: 1, int32: 6, int64: 7 } as const;
export type ElementTypeName = keyof typeof elementType;

/** Protobuf varint; a negative int64 is its 64-bit two's complement (ten bytes), as protobuf writes it. */
export const varint = (value: number | bigint): Bytes => {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: Bytes = [];
  while (rest > 127n) {
    bytes.push(Number(rest & 127n) | 128);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
export const bytesField = (field: number, bytes: Bytes | Uint8Array): Bytes => [...key(field, 2), ...varint(bytes.length), ...bytes];
export const stringField = (field: number, text: string): Bytes => bytesField(field, [...new TextEncoder().encode(text)]);
export const intField = (field: number, value: number | bigint): Bytes => [...key(field, 0), ...varint(value)];
const floatField = (field: number, value: number): Bytes => [...key(field, 5), ...new Uint8Array(new Float32Array([value]).buffer)];

/** A TensorProto with its values as raw little-endian bytes. */
export function tensor(name: string, type: ElementTypeName, dims: number[], values: ArrayLike<number>): Bytes {
  const raw =
    type === 'float32'
      ? new Float32Array(Array.from(values))
      : type === 'int32'
        ? new Int32Array(Array.from(values))
        : new BigInt64Array(Array.from(values, (value) => BigInt(value)));
  return [...dims.flatMap((dim) => intField(1, dim)), ...intField(2, elementType[type]), ...stringField(8, name), ...bytesField(9, new Uint8Array(raw.buffer))];
}
export const floatTensor = (name: string, dims: number[], values: ArrayLike<number>) => tensor(name, 'float32', dims, values);

/**
 * A float32 TensorProto whose values live in an external data file beside the model (data_location
 * EXTERNAL, external_data `location`/`offset`/`length`), as exporters store weights of models over 2 GB.
 * Write `new Float32Array(values)` at `offset` of `location` yourself.
 */
export function externalFloatTensor(name: string, dims: number[], location: string, offset: number, length: number): Bytes {
  const entry = (entryKey: string, value: string) => bytesField(13, [...stringField(1, entryKey), ...stringField(2, value)]);
  return [...dims.flatMap((dim) => intField(1, dim)), ...intField(2, elementType.float32), ...stringField(8, name), ...entry('location', location), ...entry('offset', String(offset)), ...entry('length', String(length)), ...intField(14, 1)];
}
export const int64Tensor = (name: string, dims: number[], values: ArrayLike<number>) => tensor(name, 'int64', dims, values);

/** A graph input or output: a name, an element type and dims (numbers are fixed, strings are symbolic). */
export interface ValueSpec {
  name: string;
  type?: ElementTypeName;
  dims: Array<number | string>;
}
const dimension = (dim: number | string) => bytesField(1, typeof dim === 'number' ? intField(1, dim) : stringField(2, dim));
export const valueInfo = ({ name, type = 'float32', dims }: ValueSpec): Bytes =>
  [...stringField(1, name), ...bytesField(2, bytesField(1, [...intField(1, elementType[type]), ...bytesField(2, dims.flatMap(dimension))]))];

/** AttributeProto of each kind the tiny models use (AttributeType: FLOAT 1, INT 2, STRING 3, INTS 7). */
export const attribute = {
  float: (name: string, value: number): Bytes => [...stringField(1, name), ...intField(20, 1), ...floatField(2, value)],
  int: (name: string, value: number): Bytes => [...stringField(1, name), ...intField(20, 2), ...intField(3, value)],
  string: (name: string, value: string): Bytes => [...stringField(1, name), ...intField(20, 3), ...stringField(4, value)],
  ints: (name: string, values: number[]): Bytes => [...stringField(1, name), ...intField(20, 7), ...values.flatMap((value) => intField(8, value))],
};

/** A NodeProto: `op` of the default domain, its inputs and outputs by name (`''` skips an optional input). */
export const node = (op: string, inputs: string[], outputs: string[], attributes: Bytes[] = []): Bytes =>
  [...inputs.flatMap((input) => stringField(1, input)), ...outputs.flatMap((output) => stringField(2, output)), ...stringField(4, op), ...attributes.flatMap((entry) => bytesField(5, entry))];

export interface ModelSpec {
  nodes: Bytes[];
  initializers?: Bytes[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  /** The default domain's opset (13 unless told; onnxruntime 1.30's CPU provider runs 7–23). */
  opset?: number;
}

/** A ModelProto (IR version 8) holding one graph. */
export function onnxModel({ nodes, initializers = [], inputs, outputs, opset = 13 }: ModelSpec): Uint8Array {
  const graph = [
    ...nodes.flatMap((entry) => bytesField(1, entry)),
    ...stringField(2, 'darkroom-test'),
    ...initializers.flatMap((entry) => bytesField(5, entry)),
    ...inputs.flatMap((input) => bytesField(11, valueInfo(input))),
    ...outputs.flatMap((output) => bytesField(12, valueInfo(output))),
  ];
  return new Uint8Array([...intField(1, 8), ...stringField(2, 'darkroom-tests'), ...bytesField(7, graph), ...bytesField(8, [...stringField(1, ''), ...intField(2, opset)])]);
}
