/**
 * Writes the ONNX twin of the TF.js MNIST CNN from its trained weights.
 *
 * TF.js (like Keras) is channels-last: the input is NHWC, conv kernels are HWIO
 * `[kh, kw, in, out]`, and Flatten walks a `[H, W, C]` feature map with C fastest. ONNX is
 * channels-first: the input is NCHW, Conv wants OIHW `[out, in, kh, kw]`, and Flatten walks
 * `[C, H, W]` with W fastest. Two explicit conversions make the twins compute the same function:
 *
 *  1. Conv kernels: OIHW[o][i][y][x] = HWIO[y][x][i][o] (a transpose with perm [3, 2, 0, 1]).
 *  2. The dense layer after Flatten: TF.js feature index is f_tf = (h*W + w)*C + c, ONNX feature
 *     index is f_onnx = c*H*W + h*W + w. The dense kernel `[features, units]` is row-permuted so
 *     that row f_onnx of the ONNX weight is row f_tf of the TF.js weight. Without this the model
 *     still runs (same shapes) but computes garbage — the classic silent layout bug.
 *
 * Biases, ReLU, 2x2 max pooling and softmax are layout-independent.
 */
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { ModelProto } from 'onnx-buf';
import { tensor, type Tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';

/** A float32 weight as TF.js returns it (`layer.getWeights()[i].dataSync()` + shape). */
export interface Weight {
  dims: number[];
  data: Float32Array;
}

/** The trained CNN: conv layers (HWIO kernels, each + ReLU + 2x2 max pool), then dense layers (`[features, units]`, ReLU between, softmax last). */
export interface CnnWeights {
  convs: { kernel: Weight; bias: Weight }[];
  dense: { kernel: Weight; bias: Weight }[];
  /** Shape `[H, W, C]` of the feature map that Flatten sees (NHWC order, as TF.js reports it). */
  flattenShape: [number, number, number];
}

export interface TwinOptions {
  /** Apply conversion 2 above. Default true; `false` exists to prove tests catch the bug. */
  permuteDenseRows?: boolean;
}

/** HWIO `[kh, kw, in, out]` → OIHW `[out, in, kh, kw]`. */
export function hwioToOihw(w: Weight): Tensor {
  const [kh, kw, cin, cout] = w.dims as [number, number, number, number];
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          out[((o * cin + i) * kh + y) * kw + x] = w.data[((y * kw + x) * cin + i) * cout + o]!;
        }
  return tensor('float32', [cout, cin, kh, kw], out);
}

/** Reorders dense-kernel rows from NHWC-flatten order to NCHW-flatten order. */
export function nhwcRowsToNchw(w: Weight, [h, wd, c]: [number, number, number]): Tensor {
  const [features, units] = w.dims as [number, number];
  if (features !== h * wd * c) throw new RangeError(`dense kernel has ${features} rows, expected ${h}*${wd}*${c}`);
  const out = new Float32Array(w.data.length);
  for (let ci = 0; ci < c; ci++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < wd; x++) {
        const fOnnx = (ci * h + y) * wd + x;
        const fTf = (y * wd + x) * c + ci;
        out.set(w.data.subarray(fTf * units, (fTf + 1) * units), fOnnx * units);
      }
  return tensor('float32', [features, units], out);
}

const asTensor = (w: Weight): Tensor => tensor('float32', w.dims, w.data);

/** image float32 [batch, 1, 28, 28] → probs float32 [batch, 10]. */
export function buildOnnxTwin(weights: CnnWeights, options: TwinOptions = {}): ModelProto {
  const nodes = [];
  const initializers = [];
  let x = 'image';
  for (const [k, conv] of weights.convs.entries()) {
    const n = k + 1;
    initializers.push(makeInitializer(`conv${n}.weight`, hwioToOihw(conv.kernel)), makeInitializer(`conv${n}.bias`, asTensor(conv.bias)));
    const kernelShape = conv.kernel.dims.slice(0, 2);
    nodes.push(
      makeNode('Conv', [x, `conv${n}.weight`, `conv${n}.bias`], [`conv${n}`], { kernel_shape: attr.ints(kernelShape) }, `conv${n}`),
      makeNode('Relu', [`conv${n}`], [`relu${n}`], {}, `relu${n}`),
      makeNode('MaxPool', [`relu${n}`], [`pool${n}`], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }, `pool${n}`),
    );
    x = `pool${n}`;
  }
  nodes.push(makeNode('Flatten', [x], ['flat'], { axis: attr.int(1) }, 'flatten'));
  x = 'flat';
  for (const [k, dense] of weights.dense.entries()) {
    const n = k + 1;
    // Only the first dense layer sees the flattened feature map; later ones are layout-free.
    const w = k > 0 || options.permuteDenseRows === false ? asTensor(dense.kernel) : nhwcRowsToNchw(dense.kernel, weights.flattenShape);
    initializers.push(makeInitializer(`dense${n}.weight`, w), makeInitializer(`dense${n}.bias`, asTensor(dense.bias)));
    const last = k === weights.dense.length - 1;
    nodes.push(makeNode('Gemm', [x, `dense${n}.weight`, `dense${n}.bias`], [last ? 'logits' : `dense${n}`], {}, `dense${n}`));
    if (!last) nodes.push(makeNode('Relu', [`dense${n}`], [`dense${n}.relu`], {}, `dense${n}.relu`));
    x = `dense${n}.relu`;
  }
  nodes.push(makeNode('Softmax', ['logits'], ['probs'], { axis: attr.int(1) }, 'softmax'));
  const units = weights.dense.at(-1)!.kernel.dims[1]!;
  return makeModel({
    nodes,
    initializers,
    inputs: [makeValueInfo('image', 'float32', ['batch', 1, 28, 28])],
    outputs: [makeValueInfo('probs', 'float32', ['batch', units])],
    opset: 13,
    producer: 'infer-parity models/train-mnist.ts',
    docString: 'MNIST CNN, ONNX twin of models/mnist-cnn/tfjs (NCHW input in [0, 1]).',
  });
}

/**
 * Reads the weights of a trained TF.js CNN built as conv/pool pairs, a layer named `flatten`, and
 * dense layers (conv layers are those with 4-D kernels, dense those with 2-D kernels, in order).
 */
export function cnnWeightsFromLayers(model: LayersModel): CnnWeights {
  const weights: CnnWeights = { convs: [], dense: [], flattenShape: [0, 0, 0] };
  for (const layer of model.layers) {
    const w = layer.getWeights();
    if (w.length !== 2) continue;
    const [kernel, bias] = w.map((t) => ({ dims: [...t.shape], data: t.dataSync() as Float32Array })) as [Weight, Weight];
    (kernel.dims.length === 4 ? weights.convs : weights.dense).push({ kernel, bias });
  }
  const flat = model.getLayer('flatten').input as SymbolicTensor;
  weights.flattenShape = flat.shape.slice(1) as [number, number, number];
  return weights;
}

/**
 * How the ONNX twin's tensors map onto the TF.js model (the manifest's `twin`): layer names, which
 * are stable across loads (tfjs's symbolic tensor names get `_1` suffixes when a process loads a
 * model twice), and the explicit NCHW → NHWC permutation of the image.
 */
export function mnistTwinMapping(model: LayersModel): NonNullable<ModelManifest['twin']> {
  return {
    inputs: { image: { name: model.inputNames[0]!, perm: [0, 2, 3, 1] } },
    outputs: { probs: { name: model.outputNames[0]! } },
  };
}
