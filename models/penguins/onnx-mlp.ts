/**
 * The ONNX twin of the penguin MLP: Gemm → Relu → Gemm → Softmax, from TF.js dense weights.
 * TF.js dense kernels are `[in, out]` and compute x·W + b, which is ONNX Gemm with transB = 0,
 * so the weights go in unchanged (no layout conversion for a flat [N, F] input).
 */
import type { ModelProto } from 'onnx-buf';
import { tensor } from '../../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../../src/kernel/onnx/builder.ts';

/** One dense layer as TF.js returns it: kernel `[in, out]`, bias `[out]`. */
export interface Dense {
  kernel: { dims: number[]; data: Float32Array };
  bias: { dims: number[]; data: Float32Array };
}

/** features float32 [N, F] → probs float32 [N, classes]. */
export function buildPenguinOnnx(hidden: Dense, out: Dense): ModelProto {
  const [features, units] = hidden.kernel.dims as [number, number];
  const classes = out.kernel.dims[1]!;
  const init = (name: string, w: { dims: number[]; data: Float32Array }) => makeInitializer(name, tensor('float32', w.dims, w.data));
  return makeModel({
    name: 'penguins_mlp',
    opset: 13,
    docString: `Penguin species MLP (${features} → ${units} relu → ${classes} softmax), trained with tfjs-layers`,
    nodes: [
      makeNode('Gemm', ['features', 'dense1.weight', 'dense1.bias'], ['dense1'], { transB: attr.int(0) }, 'dense1'),
      makeNode('Relu', ['dense1'], ['relu1'], {}, 'relu1'),
      makeNode('Gemm', ['relu1', 'dense2.weight', 'dense2.bias'], ['logits'], { transB: attr.int(0) }, 'dense2'),
      makeNode('Softmax', ['logits'], ['probs'], { axis: attr.int(1) }, 'softmax'),
    ],
    inputs: [makeValueInfo('features', 'float32', ['N', features])],
    outputs: [makeValueInfo('probs', 'float32', ['N', classes])],
    initializers: [init('dense1.weight', hidden.kernel), init('dense1.bias', hidden.bias), init('dense2.weight', out.kernel), init('dense2.bias', out.bias)],
  });
}
