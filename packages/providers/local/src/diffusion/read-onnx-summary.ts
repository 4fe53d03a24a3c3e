import { open, type FileHandle } from 'node:fs/promises';

/** A graph input or output: its name, element type (onnxruntime's names: `float32`, `int64`, …) and shape. */
export interface OnnxValueSummary {
  name: string;
  /** Undefined when the type is not a tensor or not one onnxruntime names. */
  type: string | undefined;
  /** A number per fixed dimension, a string per symbolic one (`batch_size`), undefined per unnamed one; `[]` for a scalar. */
  shape: Array<number | string | undefined>;
}

/** What a model file says about its graph, read without loading its weights. */
export interface OnnxSummary {
  /** Graph inputs that are not initializers (what a session's `inputNames` lists). */
  inputs: OnnxValueSummary[];
  outputs: OnnxValueSummary[];
  /** Each node's operator and input/output names, in graph order. */
  nodes: Array<{ op: string; inputs: string[]; outputs: string[] }>;
  /** Dims of each initializer (a weight), by name. */
  initializers: Map<string, number[]>;
  /** The external data files the initializers name (`location`, relative to the model's folder). */
  externalData: string[];
}

/** ONNX TensorProto.DataType → onnxruntime-common's Tensor.Type. */
const elementTypes: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16' };

/**
 * Reads an ONNX model's inputs, outputs, nodes, initializer dims and external data files from its
 * protobuf (field numbers of onnx/onnx.proto: ModelProto.graph 7; GraphProto node 1, initializer 5,
 * input 11, output 12; TensorProto dims 1, name 8, external_data 13), skipping over the weights' bytes,
 * so a multi-gigabyte UNet costs a few reads. No onnxruntime needed.
 *
 * @throws Error when the file cannot be read or is not an ONNX protobuf (callers turn it into a
 * `configuration` error naming the file).
 */
export async function readOnnxSummary(path: string): Promise<OnnxSummary> {
  const handle = await open(path, 'r');
  try {
    const file = new ProtobufFile(handle, (await handle.stat()).size);
    const summary: OnnxSummary = { inputs: [], outputs: [], nodes: [], initializers: new Map(), externalData: [] };
    let graphs = 0;
    for await (const field of file.fields(0, file.size)) {
      if (field.number !== 7 || field.wire !== 2) continue;
      graphs += 1;
      for await (const entry of file.fields(field.start, field.end)) {
        if (entry.wire !== 2) continue;
        if (entry.number === 1) summary.nodes.push(parseNode(await file.bytes(entry.start, entry.end - entry.start)));
        else if (entry.number === 11) summary.inputs.push(parseValueInfo(await file.bytes(entry.start, entry.end - entry.start)));
        else if (entry.number === 12) summary.outputs.push(parseValueInfo(await file.bytes(entry.start, entry.end - entry.start)));
        else if (entry.number === 5) {
          const tensor = await readTensorHeader(file, entry.start, entry.end);
          summary.initializers.set(tensor.name, tensor.dims);
          if (tensor.location !== undefined && !summary.externalData.includes(tensor.location)) summary.externalData.push(tensor.location);
        }
      }
    }
    if (graphs === 0) throw new Error('it holds no ONNX graph');
    summary.inputs = summary.inputs.filter((input) => !summary.initializers.has(input.name));
    return summary;
  } finally {
    await handle.close();
  }
}

interface Field {
  number: number;
  wire: number;
  /** The varint's value (wire type 0). */
  value: number;
  /** Where the payload starts and ends (wire types 1, 2, 5). */
  start: number;
  end: number;
}

function readVarint(bytes: Uint8Array, offset: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let index = offset; index < bytes.length && index < offset + 10; index += 1) {
    const byte = bytes[index]!;
    value += (byte & 127) * scale;
    scale *= 128;
    if (byte < 128) return [value >= 2 ** 63 ? value - 2 ** 64 : value, index + 1];
  }
  throw new Error('it is not an ONNX protobuf (a truncated varint)');
}

/** One field of a protobuf message in memory, from `offset`. */
function readField(bytes: Uint8Array, offset: number): Field & { next: number } {
  const [key, afterKey] = readVarint(bytes, offset);
  const number = Math.floor(key / 8);
  const wire = key % 8;
  if (wire === 0) {
    const [value, next] = readVarint(bytes, afterKey);
    return { number, wire, value, start: afterKey, end: next, next };
  }
  if (wire === 1 || wire === 5) {
    const end = afterKey + (wire === 1 ? 8 : 4);
    return { number, wire, value: 0, start: afterKey, end, next: end };
  }
  if (wire === 2) {
    const [length, start] = readVarint(bytes, afterKey);
    return { number, wire, value: length, start, end: start + length, next: start + length };
  }
  throw new Error(`it is not an ONNX protobuf (wire type ${wire})`);
}

function* fieldsOf(bytes: Uint8Array): Generator<Field> {
  let offset = 0;
  while (offset < bytes.length) {
    const field = readField(bytes, offset);
    if (field.end > bytes.length) throw new Error('it is not an ONNX protobuf (a field runs past its message)');
    yield field;
    offset = field.next;
  }
}

const text = (bytes: Uint8Array, field: Field) => new TextDecoder().decode(bytes.subarray(field.start, field.end));

function parseNode(bytes: Uint8Array): OnnxSummary['nodes'][number] {
  const node = { op: '', inputs: [] as string[], outputs: [] as string[] };
  for (const field of fieldsOf(bytes)) {
    if (field.wire !== 2) continue;
    if (field.number === 1) node.inputs.push(text(bytes, field));
    else if (field.number === 2) node.outputs.push(text(bytes, field));
    else if (field.number === 4) node.op = text(bytes, field);
  }
  return node;
}

/** ValueInfoProto: name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1, shape 2 → dim 1 → dim_value 1 | dim_param 2. */
function parseValueInfo(bytes: Uint8Array): OnnxValueSummary {
  const value: OnnxValueSummary = { name: '', type: undefined, shape: [] };
  for (const field of fieldsOf(bytes)) {
    if (field.number === 1 && field.wire === 2) value.name = text(bytes, field);
    if (field.number !== 2 || field.wire !== 2) continue;
    const typeBytes = bytes.subarray(field.start, field.end);
    for (const typeField of fieldsOf(typeBytes)) {
      if (typeField.number !== 1 || typeField.wire !== 2) continue;
      const tensorBytes = typeBytes.subarray(typeField.start, typeField.end);
      for (const tensorField of fieldsOf(tensorBytes)) {
        if (tensorField.number === 1 && tensorField.wire === 0) value.type = elementTypes[tensorField.value];
        if (tensorField.number !== 2 || tensorField.wire !== 2) continue;
        const shapeBytes = tensorBytes.subarray(tensorField.start, tensorField.end);
        for (const dimensionField of fieldsOf(shapeBytes)) {
          if (dimensionField.number !== 1 || dimensionField.wire !== 2) continue;
          const dimensionBytes = shapeBytes.subarray(dimensionField.start, dimensionField.end);
          let dimension: number | string | undefined;
          for (const part of fieldsOf(dimensionBytes)) {
            if (part.number === 1 && part.wire === 0) dimension = part.value;
            if (part.number === 2 && part.wire === 2) dimension = text(dimensionBytes, part);
          }
          value.shape.push(dimension);
        }
      }
    }
  }
  return value;
}

/** TensorProto's dims (1, plain or packed), name (8) and external data `location` (13), its data skipped. */
async function readTensorHeader(file: ProtobufFile, start: number, end: number): Promise<{ name: string; dims: number[]; location: string | undefined }> {
  const tensor = { name: '', dims: [] as number[], location: undefined as string | undefined };
  for await (const field of file.fields(start, end)) {
    if (field.number === 1 && field.wire === 0) tensor.dims.push(field.value);
    else if (field.number === 1 && field.wire === 2) {
      const packed = await file.bytes(field.start, field.end - field.start);
      for (let offset = 0; offset < packed.length; ) {
        const [dim, next] = readVarint(packed, offset);
        tensor.dims.push(dim);
        offset = next;
      }
    } else if (field.number === 8 && field.wire === 2) tensor.name = new TextDecoder().decode(await file.bytes(field.start, field.end - field.start));
    else if (field.number === 13 && field.wire === 2) {
      const entry = await file.bytes(field.start, field.end - field.start);
      let entryKey = '';
      let entryValue = '';
      for (const part of fieldsOf(entry)) {
        if (part.number === 1 && part.wire === 2) entryKey = text(entry, part);
        if (part.number === 2 && part.wire === 2) entryValue = text(entry, part);
      }
      if (entryKey === 'location') tensor.location = entryValue;
    }
  }
  return tensor;
}

/** A protobuf file read through a 64 KiB window, so fields can be walked and their payloads skipped. */
class ProtobufFile {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async bytes(position: number, length: number): Promise<Uint8Array> {
    if (position < this.windowStart || position + length > this.windowStart + this.window.length) {
      const buffer = new Uint8Array(Math.min(Math.max(length, 1 << 16), this.size - position));
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, position);
      this.window = buffer.subarray(0, bytesRead);
      this.windowStart = position;
      if (bytesRead < length) throw new Error('it is not an ONNX protobuf (it ends inside a field)');
    }
    return this.window.subarray(position - this.windowStart, position - this.windowStart + length);
  }

  /** The fields of the message between `start` and `end`, payloads not read. */
  async *fields(start: number, end: number): AsyncGenerator<Field> {
    let position = start;
    while (position < end) {
      const head = await this.bytes(position, Math.min(22, end - position));
      const field = readField(head, 0);
      const next = position + field.next;
      if (next > end) throw new Error('it is not an ONNX protobuf (a field runs past its message)');
      yield { ...field, start: position + field.start, end: position + field.end };
      position = next;
    }
  }
}
