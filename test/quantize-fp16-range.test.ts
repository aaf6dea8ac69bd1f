/**
 * fp16 range safety: a Conv + BatchNormalization whose running variance is 1e7–1e8 (as in real
 * text detectors) gets an fp16 variant that meets the fp16 gate (SQNR ≥ 30 dB) where plain
 * conversion, which clamps the variance to 65504, does not; a BatchNormalization with no Conv to
 * fold into stays float32; tiny values follow the subnormal policy, counted per tensor.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { EXPECTED_NOISE } from '../src/kernel/judge/precision-noise.ts';
import { createRng } from '../src/kernel/core/rng.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { convertToFloat16 } from '../src/kernel/onnx/fp16.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';

const rng = createRng(5);
const normal = (n: number, s: number, m = 0) => Float32Array.from({ length: n }, () => m + rng.normal() * s);
const C = 8;

/** x [1,3,16,16] → [Conv (weights ~1e3)] → BatchNormalization (variance 1e7–1e8) → Relu → y. */
function bnModel(withConv: boolean): Uint8Array {
  const variance = Float32Array.from({ length: withConv ? C : 3 }, (_, i) => 10 ** (7 + i / (withConv ? C - 1 : 2)));
  const ch = variance.length;
  const inits = [
    makeInitializer('gamma', tensor('float32', [ch], normal(ch, 0.2, 1))),
    makeInitializer('beta', tensor('float32', [ch], normal(ch, 0.1))),
    makeInitializer('mean', tensor('float32', [ch], normal(ch, 500))),
    makeInitializer('var', tensor('float32', [ch], variance)),
  ];
  if (withConv)
    inits.push(
      makeInitializer(
        'w',
        tensor(
          'float32',
          [C, 3, 3, 3],
          Float32Array.from({ length: C * 27 }, (_, i) => (rng.normal() * Math.sqrt(variance[Math.floor(i / 27)]!)) / 3),
        ),
      ),
    );
  return encodeModel(
    makeModel({
      nodes: [
        ...(withConv ? [makeNode('Conv', ['x', 'w'], ['c'], { pads: attr.ints([1, 1, 1, 1]) }, 'conv')] : []),
        makeNode('BatchNormalization', [withConv ? 'c' : 'x', 'gamma', 'beta', 'mean', 'var'], ['bn'], {}, 'bn'),
        makeNode('Relu', ['bn'], ['y']),
      ],
      inputs: [makeValueInfo('x', 'float32', [1, 3, 16, 16])],
      outputs: [makeValueInfo('y', 'float32', [1, ch, 16, 16])],
      initializers: inits,
    }),
  );
}

const x = Float32Array.from({ length: 768 }, () => rng.uniform(-1, 1));
async function output(bytes: Uint8Array, input = x): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const y = (await s.run({ x: new ort.Tensor('float32', input, [1, 3, 16, 16]) }))['y']!.data as Float32Array;
  await s.release();
  return y;
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
const GATE = EXPECTED_NOISE.fp16.minSqnrDb;

describe('fp16 with BatchNormalization statistics beyond the float16 range', () => {
  it('folds the BN into its Conv: the variant meets the fp16 gate where plain clamping fails', async () => {
    const bytes = bnModel(true);
    const ref = await output(bytes);
    const naive = decodeModel(bytes);
    const nr = convertToFloat16(naive);
    expect(nr.clamped.map((c) => c.tensor)).toEqual(['var']);
    expect(sqnrDb(ref, await output(encodeModel(naive)))).toBeLessThan(GATE);

    const r = await quantizeOnnx({ bytes, recipe: { to: 'fp16' } });
    expect(r.report.clamped).toEqual([]);
    expect(r.report.notes.join('\n')).toMatch(/1 BatchNormalization node\(s\) with statistics outside the float16 range folded into the preceding Conv/);
    expect(decodeModel(r.bytes).graph!.node.map((n) => n.opType)).not.toContain('BatchNormalization');
    expect(r.validation!.sqnrDb!['y']).toBeGreaterThanOrEqual(GATE);
    expect(sqnrDb(ref, await output(r.bytes))).toBeGreaterThanOrEqual(GATE);
  });

  it('keeps a BN with nothing to fold into in float32 (Casts around it), never clamping', async () => {
    const bytes = bnModel(false);
    const big = Float32Array.from(x, (v) => v * 5e3);
    const r = await quantizeOnnx({ bytes, recipe: { to: 'fp16' } });
    expect(r.report.clamped).toEqual([]);
    expect(r.report.leftAlone).toContainEqual({
      node: 'bn',
      op: 'BatchNormalization',
      reason: expect.stringMatching(/reads 'var', whose 3 value\(s\) beyond ±65504 do not fit float16/),
    });
    expect(sqnrDb(await output(bytes, big), await output(r.bytes, big))).toBeGreaterThanOrEqual(GATE);
  });
});

describe('tiny values', () => {
  it('keeps float16 subnormals and counts only the values that become zero, per tensor', async () => {
    const small = Float32Array.of(1e-6, 3e-7, 1e-9, -2e-10, 0.5, 0, 1e-8, 1);
    const bytes = encodeModel(
      makeModel({
        nodes: [makeNode('Mul', ['x', 's'], ['y'])],
        inputs: [makeValueInfo('x', 'float32', [8])],
        outputs: [makeValueInfo('y', 'float32', [8])],
        initializers: [makeInitializer('s', tensor('float32', [8], small))],
      }),
    );
    const r = await quantizeOnnx({ bytes, recipe: { to: 'fp16' } });
    // 1e-9, -2e-10 and 1e-8 are below 2^-25 (half the smallest subnormal); 1e-6 and 3e-7 are subnormals, kept.
    expect(r.report.flushed).toEqual([{ tensor: 's', count: 3 }]);
    expect(r.report.notes.join('\n')).toMatch(/3 value\(s\) below half the smallest float16 subnormal .* subnormals are kept/);
  });
});
