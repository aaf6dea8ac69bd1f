/** Small ONNX models built in tests (no files needed). */
import { encodeModel } from '../../src/onnx/io.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../../src/onnx/builder.ts';

/** y = softmax(x · W + b), x [batch, 4] → probs [batch, 3]. */
export function tinyClassifier(): Uint8Array {
  const w = new Float32Array([0.5, -1, 0.25, 1, 0.5, -0.5, -0.25, 0.75, 1, 0.1, -0.2, 0.3]);
  const b = new Float32Array([0.1, -0.1, 0.05]);
  return encodeModel(
    makeModel({
      nodes: [makeNode('Gemm', ['x', 'w', 'b'], ['logits']), makeNode('Softmax', ['logits'], ['probs'], { axis: attr.int(-1) })],
      inputs: [makeValueInfo('x', 'float32', ['batch', 4])],
      outputs: [makeValueInfo('probs', 'float32', ['batch', 3])],
      initializers: [makeInitializer('w', { dtype: 'float32', dims: [4, 3], data: w }), makeInitializer('b', { dtype: 'float32', dims: [3], data: b })],
    }),
  );
}

/** A model whose symbolic `sequence` dim must be ≥ 3: reflect-Pad by 2 needs more than 2 elements. */
export function needsSequence(): Uint8Array {
  return encodeModel(
    makeModel({
      nodes: [
        makeNode('Pad', ['audio', 'pads'], ['padded'], { mode: attr.string('reflect') }),
        makeNode('ReduceSum', ['padded'], ['total'], { keepdims: attr.int(0) }),
      ],
      inputs: [makeValueInfo('audio', 'float32', [1, 'sequence'])],
      outputs: [makeValueInfo('total', 'float32', [])],
      initializers: [makeInitializer('pads', { dtype: 'int64', dims: [4], data: new BigInt64Array([0n, 2n, 0n, 2n]) })],
    }),
  );
}

/** y = sqrt(x): NaN for negative inputs, which a `--range x=-1,1` provokes. */
export function sqrtModel(): Uint8Array {
  return encodeModel(
    makeModel({
      nodes: [makeNode('Sqrt', ['x'], ['y'])],
      inputs: [makeValueInfo('x', 'float32', ['batch', 8])],
      outputs: [makeValueInfo('y', 'float32', ['batch', 8])],
    }),
  );
}
