/** Raising the opset for quantization: rewritten ops compute exactly what they did before. */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { defaultOpset, ensureOpset } from '../src/tools/quantize/opset.ts';

async function run(model: ModelProto | Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(model instanceof Uint8Array ? model : encodeModel(model), { logSeverityLevel: 3 });
  const out = await s.run(feeds);
  await s.release();
  return Object.values(out).map((t) => t.data as Float32Array);
}

/** x [2,3,4] → Slice → Clip → Pad → Unsqueeze/Squeeze → Softmax(axis 1, rank 3) → Dropout → ReduceSum. */
function opset9Model(): ModelProto {
  return makeModel({
    opset: 9,
    nodes: [
      makeNode('Slice', ['x'], ['s'], { starts: attr.ints([0, 1]), ends: attr.ints([2, 3]), axes: attr.ints([0, 1]) }),
      makeNode('Clip', ['s'], ['c'], { min: attr.float(-0.5), max: attr.float(0.75) }),
      makeNode('Pad', ['c'], ['p'], { pads: attr.ints([0, 0, 1, 0, 0, 1]), value: attr.float(0.25) }),
      makeNode('Unsqueeze', ['p'], ['u'], { axes: attr.ints([0]) }),
      makeNode('Squeeze', ['u'], ['q'], { axes: attr.ints([0]) }),
      makeNode('Softmax', ['q'], ['sm'], { axis: attr.int(1) }),
      makeNode('Dropout', ['sm'], ['d'], { ratio: attr.float(0.3) }),
      makeNode('ReduceSum', ['d'], ['r'], { axes: attr.ints([2]), keepdims: attr.int(1) }),
      makeNode('Add', ['d', 'r'], ['y']),
    ],
    inputs: [makeValueInfo('x', 'float32', [2, 3, 4])],
    outputs: [makeValueInfo('y', 'float32', [2, 3, 5])],
    initializers: [makeInitializer('unused', tensor('float32', [1], Float32Array.of(0)))],
  });
}

describe('ensureOpset', () => {
  it('rewrites Slice, Clip, Pad, Squeeze/Unsqueeze, Softmax, Dropout, ReduceSum from opset 9 to 13 without changing results', async () => {
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 1.5),
      [2, 3, 4],
    );
    const [before] = await run(opset9Model(), { x });
    const m = opset9Model();
    const notes = ensureOpset(m, 13);
    expect(defaultOpset(m)).toBe(13);
    expect(notes.join('; ')).toMatch(/opset raised from 9 to 13.*Softmax rewritten.*Dropout/);
    const [after] = await run(m, { x });
    expect(Array.from(after!)).toEqual(Array.from(before!));
  });

  it('upgrades the real PaddleOCR classifier (opset 9, Clip with attributes) with identical outputs', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/ocr-cls.onnx', import.meta.url)));
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 48 * 192 }, (_, i) => (i % 97) / 97),
      [1, 3, 48, 192],
    );
    const [before] = await run(bytes, { x });
    for (const target of [10, 11, 13]) {
      const m = decodeModel(bytes);
      ensureOpset(m, target);
      const [after] = await run(m, { x });
      expect(Array.from(after!)).toEqual(Array.from(before!));
    }
  });

  it('leaves a model at or above the target alone', () => {
    const m = opset9Model();
    expect(ensureOpset(m, 9)).toEqual([]);
    expect(defaultOpset(m)).toBe(9);
  });
});
