/**
 * Stand-ins for real models a person brings to the benchmark page, built with src/kernel/onnx/builder.ts:
 * a ~5 MB CNN (two 256-channel 3×3 convs) for the responsiveness test, a speech-like model with a
 * scalar sample-rate input `sr` that must equal 16000, and a detector-like conv model with dynamic
 * H/W. Each is written to a temp folder so the page's file picker can take it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/kernel/core/rng.ts';
import { tensor, type DType } from '../../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../../src/kernel/onnx/builder.ts';
import { encodeModel } from '../../src/kernel/onnx/io.ts';

const normal = (seed: number) => {
  const rng = createRng(seed);
  return (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
};
const conv = (x: string, w: string, y: string) => makeNode('Conv', [x, w], [y], { pads: attr.ints([1, 1, 1, 1]), kernel_shape: attr.ints([3, 3]) });

/** x [1, 3, 16, 16] → conv 3→256 → conv 256→256 → conv 256→256 → GAP → Gemm → probs [1, 10]; ~4.8 MB of weights. */
export function bigCnn(): Uint8Array {
  const w = normal(5);
  const c = 256;
  return encodeModel(
    makeModel({
      nodes: [
        conv('x', 'w1', 'c1'),
        makeNode('Relu', ['c1'], ['r1']),
        conv('r1', 'w2', 'c2'),
        makeNode('Relu', ['c2'], ['r2']),
        conv('r2', 'w3', 'c3'),
        makeNode('Relu', ['c3'], ['r3']),
        makeNode('GlobalAveragePool', ['r3'], ['g']),
        makeNode('Flatten', ['g'], ['f']),
        makeNode('Gemm', ['f', 'fc', 'fcb'], ['logits']),
        makeNode('Softmax', ['logits'], ['probs'], { axis: attr.int(-1) }),
      ],
      inputs: [makeValueInfo('x', 'float32', [1, 3, 16, 16])],
      outputs: [makeValueInfo('probs', 'float32', [1, 10])],
      initializers: [
        makeInitializer('w1', tensor('float32', [c, 3, 3, 3], w(c * 27, 0.2))),
        makeInitializer('w2', tensor('float32', [c, c, 3, 3], w(c * c * 9, 0.02))),
        makeInitializer('w3', tensor('float32', [c, c, 3, 3], w(c * c * 9, 0.02))),
        makeInitializer('fc', tensor('float32', [c, 10], w(c * 10, 0.1))),
        makeInitializer('fcb', tensor('float32', [10], w(10, 0.1))),
      ],
    }),
  );
}

/**
 * audio [1, samples] and a scalar `sr` (dtype `srType`) → energy [1, 1] scaled by a gain looked up
 * from sr: Equal(sr, 16000) picks it, and any other rate makes Reshape to a negative-size shape fail,
 * as a real VAD refuses rates it has no branch for.
 */
export function sampleRateModel(srType: 'int64' | 'float32' = 'int64'): Uint8Array {
  const k = (name: string, dtype: DType, dims: number[], data: ArrayLike<number | bigint>) =>
    makeInitializer(
      name,
      tensor(dtype, dims, dtype === 'int64' ? BigInt64Array.from(data as ArrayLike<bigint>) : Float32Array.from(data as ArrayLike<number>)),
    );
  return encodeModel(
    makeModel({
      nodes: [
        makeNode('Equal', ['sr', 'rate'], ['is16k']),
        // 1 when sr is 16000, else -1: Reshape to [-1·n] of a 1-element tensor fails for -1 twice.
        makeNode('Where', ['is16k', 'one', 'minus'], ['dim']),
        makeNode('Concat', ['dim', 'dim'], ['shape'], { axis: attr.int(0) }),
        makeNode('ReduceMean', ['audio'], ['m'], { keepdims: attr.int(1) }),
        makeNode('Reshape', ['m', 'shape'], ['energy']),
      ],
      inputs: [makeValueInfo('audio', 'float32', [1, 'samples']), makeValueInfo('sr', srType, [])],
      outputs: [makeValueInfo('energy', 'float32', [1, 1])],
      initializers: [
        srType === 'int64' ? k('rate', 'int64', [], [16000n]) : k('rate', 'float32', [], [16000]),
        k('one', 'int64', [1], [1n]),
        k('minus', 'int64', [1], [-1n]),
      ],
    }),
  );
}

/** image [1, 3, H, W] (dynamic H/W) → conv 3→8 → Relu → conv 8→1 → Sigmoid → heat [1, 1, H, W]. */
export function dynamicDetector(): Uint8Array {
  const w = normal(9);
  return encodeModel(
    makeModel({
      nodes: [conv('image', 'w1', 'c1'), makeNode('Relu', ['c1'], ['r1']), conv('r1', 'w2', 'c2'), makeNode('Sigmoid', ['c2'], ['heat'])],
      inputs: [makeValueInfo('image', 'float32', [1, 3, 'H', 'W'])],
      outputs: [makeValueInfo('heat', 'float32', [1, 1, 'H', 'W'])],
      initializers: [makeInitializer('w1', tensor('float32', [8, 3, 3, 3], w(216, 0.3))), makeInitializer('w2', tensor('float32', [1, 8, 3, 3], w(72, 0.3)))],
    }),
  );
}

/** Writes `bytes` as `name` in a fresh temp folder; returns the path. */
export function writeModel(name: string, bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'parity-page-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
