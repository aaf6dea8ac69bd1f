/**
 * Fixed-shape copies (src/kernel/onnx/fix-shapes.ts, src/kernel/runtime/fixed-shape.ts): the bundled models'
 * symbolic batch dims are fixed to a feed's dims, the copy declares them, and it computes the same
 * outputs as the original on onnxruntime-node. The browser WebGL run is in browser-backend-matrix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FixedShapeSession } from '../src/kernel/runtime/fixed-shape.ts';
import { OrtSession } from '../src/kernel/runtime/ort-session.ts';
import type { Tensor } from '../src/kernel/core/tensor.ts';
import { fixShapes, hasSymbolicInputs } from '../src/kernel/onnx/fix-shapes.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

const mnist = readFileSync(join(PACKAGE_ROOT, 'models/mnist-cnn/model.onnx'));
const penguins = readFileSync(join(PACKAGE_ROOT, 'models/penguins/model.onnx'));
const image = (n: number): Tensor => ({
  dtype: 'float32',
  dims: [n, 1, 28, 28],
  data: Float32Array.from({ length: n * 784 }, (_, i) => ((i * 37) % 255) / 255),
});
const create = async (bytes: Uint8Array) => new OrtSession(await ort.InferenceSession.create(bytes), ort.Tensor);

describe('fixShapes', () => {
  it('fixes the symbolic batch of inputs and outputs to the feed dims', () => {
    expect(hasSymbolicInputs(mnist)).toBe(true);
    const fixed = fixShapes(mnist, { image: [3, 1, 28, 28] });
    expect(fixed.bindings).toEqual({ batch: 3 });
    expect(fixed.inputs).toEqual({ image: [3, 1, 28, 28] });
    const r = inspectModel(fixed.bytes);
    expect(r.inputs[0]!.dims).toEqual([3, 1, 28, 28]);
    expect(r.outputs[0]!.dims).toEqual([3, 10]);
    expect(hasSymbolicInputs(fixed.bytes)).toBe(false);
    expect(inspectModel(penguins).inputs[0]!.dims).toEqual(['N', 10]);
    expect(inspectModel(fixShapes(penguins, { features: [1, 10] }).bytes).outputs[0]!.dims).toEqual([1, 3]);
  });

  it('refuses feeds that contradict a fixed dim or are missing, naming the input', () => {
    expect(() => fixShapes(mnist, { image: [1, 3, 28, 28] })).toThrow(/input 'image' dim 1 is 1 but the feed has 3/);
    expect(() => fixShapes(mnist, { other: [1] })).toThrow(/no dims given for input 'image'; given: other/);
    expect(() => fixShapes(mnist, { image: [1, 28, 28] })).toThrow(/rank 4 but the feed has dims \[1,28,28\]/);
  });

  it('runs lazily at the first feeds, matches the original model, and records the dims it fixed', async () => {
    const original = await create(mnist);
    const want = (await original.run({ image: image(2) })).probs!;
    await original.dispose();
    const s = new FixedShapeSession({ bytes: mnist, name: 'mnist-cnn', create });
    expect(s.inputs[0]!.dims).toEqual(['batch', 1, 28, 28]);
    expect(await s.facts()).toEqual({});
    const got = (await s.run({ image: image(2) })).probs!;
    expect(got.dims).toEqual([2, 10]);
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(want.data as Float32Array));
    expect(await s.facts()).toMatchObject({ fixedShape: { image: [2, 1, 28, 28] }, fixedShapeBindings: { batch: 2 } });
    await s.run({ image: image(1) });
    expect(await s.facts()).toMatchObject({ fixedShape: { image: [1, 1, 28, 28] } });
    await s.dispose();
  });
});
