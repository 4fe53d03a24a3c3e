// Tiny ONNX models for the image-model tests, written with the protobuf writer of testing-onnx-protobuf.ts.

import { attribute, floatTensor, node, onnxModel } from './testing-onnx-protobuf.js';

const image = (name: string, height: string, width: string) => ({ name, dims: [1, 3, height, width] });

/** output = 1 − input: a "style" that inverts colours, any size. */
export const invertModel = () =>
  onnxModel({ nodes: [node('Sub', ['one', 'input'], ['output'])], initializers: [floatTensor('one', [], [1])], inputs: [image('input', 'height', 'width')], outputs: [image('output', 'height', 'width')] });

/** output = input enlarged 2× by pixel replication: a stand-in super-resolution model. */
export const doubleModel = () =>
  onnxModel({
    nodes: [node('Resize', ['input', '', 'scales'], ['output'], [attribute.string('mode', 'nearest'), attribute.string('coordinate_transformation_mode', 'asymmetric'), attribute.string('nearest_mode', 'floor')])],
    initializers: [floatTensor('scales', [4], [1, 1, 2, 2])],
    inputs: [image('input', 'height', 'width')],
    outputs: [image('output', 'height2', 'width2')],
  });

/** output = image × (1 − mask) + 0.5 × mask: a stand-in inpainting model (LaMa's inputs), 64² only, that paints the hole mid-grey. */
export const greyFillModel = () =>
  onnxModel({
    nodes: [node('Sub', ['one', 'mask'], ['keep']), node('Mul', ['image', 'keep'], ['kept']), node('Mul', ['mask', 'half'], ['fill']), node('Add', ['kept', 'fill'], ['output'])],
    initializers: [floatTensor('one', [], [1]), floatTensor('half', [], [0.5])],
    inputs: [{ name: 'image', dims: [1, 3, 64, 64] }, { name: 'mask', dims: [1, 1, 64, 64] }],
    outputs: [{ name: 'output', dims: [1, 3, 64, 64] }],
  });
