/** Small ONNX models built in tests (no files needed). */
import { createRng } from '../../src/kernel/core/rng.ts';
import { tensor } from '../../src/kernel/core/tensor.ts';
import { encodeModel } from '../../src/kernel/onnx/io.ts';
import { attr, makeGraph, makeInitializer, makeModel, makeNode, makeValueInfo } from '../../src/kernel/onnx/builder.ts';

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

/**
 * Compute inside `If` branches, as speech models with one branch per sample rate have it:
 * x [batch, 2, 8, 8] → If(mean(x) > 0,
 *   then: Conv(x, conv_then) → Relu → Flatten → MatMul(fc_then [256, 10]),
 *   else: Conv(x, conv_shared) → Relu → Flatten → MatMul(fc_else [256, 10]) + bias)
 * where `conv_shared` is a main-graph initializer the else branch captures from the outer scope.
 * Weights are seeded normals, 99% of the weight bytes live in the branches' MatMuls and Convs.
 */
export function ifBranchModel(): Uint8Array {
  const rng = createRng(11);
  const normal = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
  const branch = (name: string, conv: string, fc: string, bias?: string) =>
    makeGraph({
      name,
      nodes: [
        makeNode('Conv', ['x', conv], [`${name}_c`], { pads: attr.ints([1, 1, 1, 1]), kernel_shape: attr.ints([3, 3]) }, `${name}_conv`),
        makeNode('Relu', [`${name}_c`], [`${name}_r`]),
        makeNode('Flatten', [`${name}_r`], [`${name}_f`], { axis: attr.int(1) }),
        makeNode('MatMul', [`${name}_f`, fc], [bias ? `${name}_m` : `${name}_y`], {}, `${name}_matmul`),
        ...(bias ? [makeNode('Add', [`${name}_m`, bias], [`${name}_y`])] : []),
      ],
      inputs: [],
      outputs: [makeValueInfo(`${name}_y`, 'float32', ['batch', 10])],
      initializers: [
        ...(conv === 'conv_shared' ? [] : [makeInitializer(conv, tensor('float32', [4, 2, 3, 3], normal(72, 0.3)))]),
        makeInitializer(fc, tensor('float32', [256, 10], normal(2560, 0.1))),
        ...(bias ? [makeInitializer(bias, tensor('float32', [10], normal(10, 0.1)))] : []),
      ],
    });
  return encodeModel(
    makeModel({
      nodes: [
        makeNode('ReduceMean', ['x'], ['mean'], { keepdims: attr.int(0) }),
        makeNode('Greater', ['mean', 'zero'], ['cond']),
        makeNode(
          'If',
          ['cond'],
          ['y'],
          {
            then_branch: attr.graph(branch('then', 'conv_then', 'fc_then')),
            else_branch: attr.graph(branch('else', 'conv_shared', 'fc_else', 'fc_else_bias')),
          },
          'branch',
        ),
      ],
      inputs: [makeValueInfo('x', 'float32', ['batch', 2, 8, 8])],
      outputs: [makeValueInfo('y', 'float32', ['batch', 10])],
      initializers: [
        makeInitializer('zero', tensor('float32', [], Float32Array.of(0))),
        makeInitializer('conv_shared', tensor('float32', [4, 2, 3, 3], normal(72, 0.3))),
      ],
    }),
  );
}

/**
 * y = x·1.0002 − x·1.0 (+ a harmless Relu branch): the answer lives in the weights' 5th digit, which
 * float16 (11-bit mantissa, 1.0002 → 1.0) loses, so a plain fp16 variant outputs ~0. Keeping
 * `scale_a` in float32 fixes it: the model where `--auto-mixed` must find that one node.
 */
export function cancellationModel(): Uint8Array {
  const c = (name: string, v: number) => makeInitializer(name, tensor('float32', [], Float32Array.of(v)));
  return encodeModel(
    makeModel({
      nodes: [
        makeNode('Relu', ['x'], ['r'], {}, 'relu'),
        makeNode('Mul', ['r', 'a'], ['xa'], {}, 'scale_a'),
        makeNode('Mul', ['r', 'b'], ['xb'], {}, 'scale_b'),
        makeNode('Sub', ['xa', 'xb'], ['d'], {}, 'diff'),
        makeNode('Mul', ['d', 'k'], ['y'], {}, 'gain'),
      ],
      inputs: [makeValueInfo('x', 'float32', [1, 16])],
      outputs: [makeValueInfo('y', 'float32', [1, 16])],
      initializers: [c('a', 1.0002), c('b', 1), c('k', 100)],
    }),
  );
}

/** y = Loop×3(v ← tanh(v · w)) from x [1, 4], with the MatMul weight `w` inside the Loop body. */
export function loopModel(): Uint8Array {
  const body = makeGraph({
    name: 'body',
    nodes: [makeNode('Identity', ['cond_in'], ['cond_out']), makeNode('MatMul', ['v', 'w'], ['vm'], {}, 'loop_matmul'), makeNode('Tanh', ['vm'], ['v_out'])],
    inputs: [makeValueInfo('iter', 'int64', []), makeValueInfo('cond_in', 'bool', []), makeValueInfo('v', 'float32', [1, 4])],
    outputs: [makeValueInfo('cond_out', 'bool', []), makeValueInfo('v_out', 'float32', [1, 4])],
    initializers: [
      makeInitializer(
        'w',
        tensor(
          'float32',
          [4, 4],
          Float32Array.from({ length: 16 }, (_, i) => Math.sin(i)),
        ),
      ),
    ],
  });
  return encodeModel(
    makeModel({
      nodes: [makeNode('Loop', ['trips', 'cond', 'x'], ['y'], { body: attr.graph(body) }, 'loop')],
      inputs: [makeValueInfo('x', 'float32', [1, 4])],
      outputs: [makeValueInfo('y', 'float32', [1, 4])],
      initializers: [makeInitializer('trips', tensor('int64', [], BigInt64Array.of(3n))), makeInitializer('cond', tensor('bool', [], Uint8Array.of(1)))],
    }),
  );
}

/**
 * x [1, 8] → MatMul(w0) → h → MatMul(a), MatMul(b) → Sub → y, with a ≈ b (a = b + 1e-3): y lives in
 * the difference of two large products, which int8 activations (one scale over each product's range)
 * cannot resolve. Keeping `mm_a` and `mm_b` in float32 fixes it; `mm0` quantizes fine.
 */
export function int8CancellationModel(): Uint8Array {
  const rng = createRng(21);
  const b = Float32Array.from({ length: 64 }, () => rng.normal());
  const a = Float32Array.from(b, (v, i) => v + 1e-3 * Math.sin(i + 1));
  return encodeModel(
    makeModel({
      nodes: [
        makeNode('MatMul', ['x', 'w0'], ['h'], {}, 'mm0'),
        makeNode('MatMul', ['h', 'a'], ['ha'], {}, 'mm_a'),
        makeNode('MatMul', ['h', 'b'], ['hb'], {}, 'mm_b'),
        makeNode('Sub', ['ha', 'hb'], ['y'], {}, 'diff'),
      ],
      inputs: [makeValueInfo('x', 'float32', [1, 8])],
      outputs: [makeValueInfo('y', 'float32', [1, 8])],
      initializers: [
        makeInitializer(
          'w0',
          tensor(
            'float32',
            [8, 8],
            Float32Array.from({ length: 64 }, () => rng.normal()),
          ),
        ),
        makeInitializer('a', tensor('float32', [8, 8], a)),
        makeInitializer('b', tensor('float32', [8, 8], b)),
      ],
    }),
  );
}
