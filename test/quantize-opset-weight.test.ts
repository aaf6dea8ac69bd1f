/**
 * Opset-aware int8-weight: an opset 11 model with Resize gets per-channel weights through a safe
 * Resize 11→13 upgrade; an opset 11 model with an op the upgrader does not know falls back to
 * per-tensor DequantizeLinear (opset 10+) instead of failing; the opset 9 PaddleOCR classifier
 * still quantizes. Each runs on onnxruntime-node close to its float32 model.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/kernel/core/rng.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { defaultOpset } from '../src/tools/quantize/opset.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';

const rng = createRng(3);
const x = Float32Array.from({ length: 3 * 8 * 8 }, () => rng.uniform(-1, 1));

/** opset 11: x [1,3,8,8] → Conv (8 channels) → `tail` → y. */
function opset11(tail: 'Resize' | 'MeanVarianceNormalization'): Uint8Array {
  const nodes = [makeNode('Conv', ['x', 'w', 'b'], ['c'], { pads: attr.ints([1, 1, 1, 1]) }, 'conv')];
  if (tail === 'Resize') nodes.push(makeNode('Resize', ['c', 'roi', 'scales'], ['y'], { mode: attr.string('nearest') }, 'resize'));
  else nodes.push(makeNode('MeanVarianceNormalization', ['c'], ['y'], {}, 'mvn'));
  const side = tail === 'Resize' ? 16 : 8;
  return encodeModel(
    makeModel({
      opset: 11,
      nodes,
      inputs: [makeValueInfo('x', 'float32', [1, 3, 8, 8])],
      outputs: [makeValueInfo('y', 'float32', [1, 8, side, side])],
      initializers: [
        makeInitializer(
          'w',
          tensor(
            'float32',
            [8, 3, 3, 3],
            Float32Array.from({ length: 216 }, (_, i) => rng.normal() * (1 + (i % 8))),
          ),
        ),
        makeInitializer(
          'b',
          tensor(
            'float32',
            [8],
            Float32Array.from({ length: 8 }, () => rng.normal()),
          ),
        ),
        makeInitializer('roi', tensor('float32', [0], new Float32Array(0))),
        makeInitializer('scales', tensor('float32', [4], Float32Array.of(1, 1, 2, 2))),
      ],
    }),
  );
}

async function y(bytes: Uint8Array): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const out = Object.values(await s.run({ x: new ort.Tensor('float32', x, [1, 3, 8, 8]) }))[0]!.data as Float32Array;
  await s.release();
  return out;
}
function sqnrDb(ref: Float32Array, got: Float32Array): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i]! ** 2;
    n += (ref[i]! - got[i]!) ** 2;
  }
  return 10 * Math.log10(s / n);
}

describe('int8-weight on opset 10–12 models', () => {
  it('raises an opset 11 Resize model to 13 safely and quantizes per channel', async () => {
    const bytes = opset11('Resize');
    const r = await quantizeOnnx({ bytes, recipe: { to: 'int8-weight', perChannel: true, symmetric: true } });
    expect(r.report.notes).toContain('opset raised from 11 to 13');
    const m = decodeModel(r.bytes);
    expect(defaultOpset(m)).toBe(13);
    expect(m.graph!.node.find((n) => n.opType === 'DequantizeLinear')!.attribute.map((a) => a.name)).toEqual(['axis']);
    expect(sqnrDb(await y(bytes), await y(r.bytes))).toBeGreaterThan(35);
  });

  it('falls back to per-tensor DequantizeLinear when an op blocks the upgrade, keeping opset 11', async () => {
    const bytes = opset11('MeanVarianceNormalization');
    const r = await quantizeOnnx({ bytes, recipe: { to: 'int8-weight', perChannel: true, symmetric: true } });
    expect(r.report.notes[0]).toBe(
      'per-tensor instead of per-channel: per-channel DequantizeLinear needs opset 13, and the opset 11 model cannot be raised safely (op MeanVarianceNormalization is not known to the opset upgrader (11 → 13))',
    );
    const m = decodeModel(r.bytes);
    expect(defaultOpset(m)).toBe(11);
    expect(m.graph!.node.find((n) => n.opType === 'DequantizeLinear')!.attribute).toEqual([]);
    expect(r.coverage.nodes).toEqual({ quantized: 1, eligible: 1 });
    expect(sqnrDb(await y(bytes), await y(r.bytes))).toBeGreaterThan(25);
  });

  it('quantizes the opset 9 PaddleOCR classifier per channel (Constant-node weights)', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/ocr-cls.onnx', import.meta.url)));
    const r = await quantizeOnnx({
      bytes,
      recipe: { to: 'int8-weight', perChannel: true, symmetric: true },
      overrides: { shapes: { x: [1, 3, 48, 192] }, ranges: {}, values: {} },
    });
    expect(r.coverage.nodes).toEqual({ quantized: 54, eligible: 54 });
    // Its 35 BatchNormalizations are folded into their Convs first; the rest is the (folded) Conv biases,
    // which int8-weight leaves float32.
    expect(r.report.notes[0]).toBe('35 BatchNormalization node(s) folded into the preceding Conv');
    expect(r.coverage.weightBytes.lowPrecision / r.coverage.weightBytes.total).toBeGreaterThan(0.8);
  });
});
