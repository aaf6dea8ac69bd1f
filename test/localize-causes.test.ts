/**
 * The pure parts of culprit ranking: SQNR drops (constants left out, the drop ceiling), variant
 * facts tied to a node (fp16 clamped / flushed constants, QDQ scales and zero points that do not
 * fit), the final-output verdict, and the repro files. No runtime needed.
 */
import { describe, expect, it } from 'vitest';
import { EXPECTED_NOISE } from '../src/kernel/judge/precision-noise.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { constantCauses, qdqCauses } from '../src/tools/localize/causes.ts';
import { candidates, dropCeiling, sqnrDrops } from '../src/tools/localize/culprits.ts';
import { judgeFinalOutputs } from '../src/tools/localize/final-outputs.ts';
import { reproFiles } from '../src/tools/localize/repro.ts';
import type { SideRun } from '../src/tools/localize/run-side.ts';
import type { NodeRow, TensorError } from '../src/tools/localize/types.ts';
import { makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { convertToFloat16 } from '../src/kernel/onnx/fp16.ts';
import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';

const f32 = (dims: number[], v: number[]) => tensor('float32', dims, Float32Array.from(v));
const err = (sqnrDb: number, extra: Partial<TensorError> = {}): TensorError => ({
  elements: 4,
  maxAbs: 0.1,
  meanAbs: 0.1,
  cosine: 1,
  sqnrDb,
  mismatchFraction: 0,
  newNonFinite: 0,
  leaves: false,
  referenceRms: 1,
  ...extra,
});
const row = (index: number, node: string, output: string, e?: TensorError): NodeRow => ({
  index,
  node,
  op: 'Mul',
  output,
  targetTensor: output,
  refMaxAbs: 1,
  flags: [],
  flagged: false,
  ...(e ? { error: e } : {}),
});

/** x → Mul(k) 'scale' → a → Add(a, x) 'add' → b → Relu 'relu' → y; k = [1e5, 1e-9, 2, 3]. */
function chain() {
  return makeModel({
    nodes: [makeNode('Mul', ['x', 'k'], ['a'], {}, 'scale'), makeNode('Add', ['a', 'x'], ['b'], {}, 'add'), makeNode('Relu', ['b'], ['y'], {}, 'relu')],
    inputs: [makeValueInfo('x', 'float32', [1, 4])],
    outputs: [makeValueInfo('y', 'float32', [1, 4])],
    initializers: [makeInitializer('k', f32([4], [1e5, 1e-9, 2, 3]))],
  });
}

describe('SQNR drops', () => {
  const model = chain();
  const tol = { atol: 2e-3, rtol: 1e-2 };
  const isFloat = () => true;

  it('measures each node from its activation inputs (graph inputs exact, constants left out), capped at the ceiling', () => {
    const rows = [row(0, 'scale', 'a', err(-10)), row(1, 'add', 'b', err(-9)), row(2, 'relu', 'y', err(-9.5))];
    const drops = sqnrDrops({ reference: model, rows, precision: 'fp16', tolerance: tol, isFloat });
    expect(dropCeiling('fp16')).toBe(EXPECTED_NOISE.fp16.minSqnrDb + EXPECTED_NOISE.fp16.maxNodeSqnrDropDb);
    expect(drops.map((d) => [d.inputSqnrDb, d.sqnrDropDb, d.beyondNoise])).toEqual([
      [Infinity, dropCeiling('fp16') + 10, true], // x is exact, k is a constant: scale creates it
      [-10, -1, false], // add inherits a's error
      [-9, 0.5, false],
    ]);
    expect(candidates(drops).map((d) => d.row)).toEqual([0]);
  });

  it('is no candidate while its output stays above minSqnrDb, and skips references at the noise floor', () => {
    const rows = [
      row(0, 'scale', 'a', err(EXPECTED_NOISE.fp16.minSqnrDb + 1)),
      row(1, 'add', 'b', err(-30, { referenceRms: 1e-4 })),
      row(2, 'relu', 'y', err(40)),
    ];
    const drops = sqnrDrops({ reference: model, rows, precision: 'fp16', tolerance: tol, isFloat });
    expect(drops.map((d) => d.row)).toEqual([0, 2]); // b's SQNR compares noise with noise
    expect(drops[1]!.inputSqnrDb).toBe(EXPECTED_NOISE.fp16.minSqnrDb + 1); // passed through the unmeasured b
    expect(candidates(drops)).toEqual([]);
  });

  it('counts new NaN/Inf as −∞, and never flags distilled targets', () => {
    const rows = [row(0, 'scale', 'a', err(NaN, { newNonFinite: 2 })), row(1, 'add', 'b', err(-9)), row(2, 'relu', 'y', err(-9))];
    expect(candidates(sqnrDrops({ reference: model, rows, precision: 'fp32', tolerance: tol, isFloat })).map((d) => d.row)).toEqual([0]);
    expect(candidates(sqnrDrops({ reference: model, rows, precision: 'distilled', tolerance: tol, isFloat }))).toEqual([]);
  });
});

describe('variant facts', () => {
  it('finds the constants the fp16 conversion clamped and flushed, by name', () => {
    const ref = chain();
    const tgt = clone(ModelProtoSchema, ref);
    convertToFloat16(tgt);
    const causes = constantCauses(ref.graph!.node[0]!, ref, tgt);
    expect(causes.map((c) => [c.kind, c.tensor, c.count])).toEqual([
      ['clamped', 'k', 1],
      ['flushed', 'k', 1],
    ]);
    expect(causes[0]!.text).toMatch(/1 of 4 values of 'k' exceed ±65504 \(up to (1e\+?5|100,?000)\)/);
    expect(constantCauses(ref.graph!.node[0]!, ref, ref)).toEqual([]); // unchanged (e.g. kept in float32)
    expect(constantCauses(ref.graph!.node[2]!, ref, tgt)).toEqual([]); // relu reads no constant
  });

  /** r → Q(scale, zp) → DQ → MatMul(DQ(w_q)) → y. */
  function qdq(scale: number, zp: number, wq: number[]) {
    return makeModel({
      nodes: [
        makeNode('QuantizeLinear', ['r', 's', 'z'], ['r_q'], {}, 'r_q'),
        makeNode('DequantizeLinear', ['r_q', 's', 'z'], ['r_dq'], {}, 'r_dq'),
        makeNode('DequantizeLinear', ['w_q', 'ws'], ['w_dq'], {}, 'w_dq'),
        makeNode('MatMul', ['r_dq', 'w_dq'], ['y'], {}, 'mm'),
      ],
      inputs: [makeValueInfo('r', 'float32', [1, 4])],
      outputs: [makeValueInfo('y', 'float32', [1, 2])],
      initializers: [
        makeInitializer('s', f32([], [scale])),
        makeInitializer('z', tensor('uint8', [], Uint8Array.of(zp))),
        makeInitializer('ws', f32([], [0.01])),
        makeInitializer('w_q', tensor('int8', [4, 2], Int8Array.from(wq))),
      ],
    });
  }
  const values = Float32Array.from({ length: 400 }, (_, i) => (i % 100) / 10 - 2); // [-2, 7.9]
  const healthyW = [100, -90, 50, -20, 80, 10, -60, 30];

  it('names a scale too small (values clip), a zero point at the edge, a scale too large and saturated weights', () => {
    const ref = (n: string) => (n === 'r' ? values : undefined);
    expect(qdqCauses(qdq(10 / 255, 51, healthyW), 'y', ref)).toEqual([]);
    const small = qdqCauses(qdq(0.001, 51, healthyW), 'y', ref);
    expect(small).toMatchObject([{ kind: 'qdq-scale', tensor: 'r' }]);
    expect(small[0]!.text).toMatch(/scale too small for 'r': .*% of its values clip/);
    expect(qdqCauses(qdq(10 / 255, 0, healthyW), 'y', ref)).toMatchObject([{ kind: 'qdq-zero-point', tensor: 'r' }]);
    expect(qdqCauses(qdq(2, 1, healthyW), 'y', ref)[0]!.text).toMatch(/scale too large for 'r': its values span only 4\.95 quantization steps/);
    expect(qdqCauses(qdq(10 / 255, 51, [127, -128, 127, -128, 80, 10, -60, 30]), 'y', ref)).toMatchObject([{ kind: 'qdq-scale', tensor: 'w_q' }]);
  });
});

describe('final outputs and repro files', () => {
  const side = (v: number[]): SideRun => ({ runs: [{ y: f32([1, 4], v) }], dtypes: new Map([['y', 'float32']]), outputs: ['y'] });

  it("judges outputs with the precision's tolerance, its SQNR floor included", () => {
    const tolerance = { atol: 2e-3, rtol: 1e-2, stat: 'elemwise' as const };
    const ok = judgeFinalOutputs({ reference: side([1, 2, 3, 4]), target: side([1, 2, 3, 4.001]), source: 'unmarked', precision: 'fp16', tolerance });
    expect(ok).toMatchObject([{ output: 'y', passed: true, failures: [] }]);
    const bad = judgeFinalOutputs({
      reference: side([1, 2, 3, 4]),
      target: side([1.5, 2, 3, 4]),
      source: 'marked',
      precision: 'fp16',
      tolerance: { ...tolerance, rtol: 1 },
    });
    expect(bad[0]!.passed).toBe(false); // within rtol 1, but SQNR 21 dB < 30 dB
    expect(bad[0]!.failures.join()).toMatch(/SQNR 20\.8 dB < 30 dB/);
  });

  it('writes the one-node model, its data and both programs', () => {
    const files = reproFiles(
      {
        node: 'bn1',
        op: 'BatchNormalization',
        output: 'b1',
        model: Uint8Array.of(1, 2, 3),
        backend: 'ort-web/wasm',
        graphOptimizationLevel: 'all',
        precision: 'fp16',
        inputs: [{ c1: tensor('float16', [1, 2], Uint16Array.of(0x3c00, 0x4000)) }],
        expected: [f32([1, 2], [1, 2])],
        inGraph: err(-20),
        isolated: err(-20.3),
      },
      { node: '1.2.3', web: '1.2.4' },
    );
    expect(Object.keys(files).sort()).toEqual(['README.md', 'package.json', 'repro-data.json', 'repro.html', 'repro.mjs', 'repro.onnx']);
    expect(JSON.parse(files['package.json'] as string).dependencies).toEqual({ 'onnxruntime-node': '1.2.3', 'onnxruntime-web': '1.2.4' });
    const data = JSON.parse(files['repro-data.json'] as string);
    expect(data.samples[0].inputs.c1).toEqual({ dtype: 'float16', dims: [1, 2], b64: 'ADwAQA==' });
    expect(files['repro.mjs']).toContain("process.argv[2] ?? 'web'"); // localize ran on ort-web/wasm
    expect(files['repro.html']).toContain("get('ep') ?? 'wasm'");
  });
});
