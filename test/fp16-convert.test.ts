import * as ort from 'onnxruntime-node';
import { TensorProto_DataType as DT, type ModelProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeConstant, makeGraph, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { convertToFloat16 } from '../src/kernel/onnx/fp16.ts';
import { allNodes, encodeModel } from '../src/kernel/onnx/io.ts';
import { declaredElemType } from '../src/kernel/onnx/infer-types.ts';

const f32 = (...v: number[]) => Float32Array.from(v);

/**
 * out = Relu(If(flag, then: (x + c) * w_then + k, else: (x + c) - c2)) + Loop×3(v ← v·0.5 + a)
 * with c a Constant node, w_then an initializer inside the then-branch, k a Constant inside it,
 * and the loop body reading `a` from the outer scope.
 */
function controlFlowModel(weight = f32(0.5, -1.25, 2, 3)): ModelProto {
  const thenBranch = makeGraph({
    name: 'then',
    nodes: [
      makeConstant('k', tensor('float32', [4], f32(0.1, 0.2, 0.3, 0.4))),
      makeNode('Mul', ['a', 'w_then'], ['m']),
      makeNode('Add', ['m', 'k'], ['then_out']),
    ],
    inputs: [],
    outputs: [makeValueInfo('then_out', 'float32', ['batch', 4])],
    initializers: [makeInitializer('w_then', tensor('float32', [4], weight))],
  });
  const elseBranch = makeGraph({
    name: 'else',
    nodes: [makeNode('Sub', ['a', 'c2'], ['else_out'])],
    inputs: [],
    outputs: [makeValueInfo('else_out', 'float32', ['batch', 4])],
  });
  const body = makeGraph({
    name: 'body',
    nodes: [makeNode('Identity', ['cond_in'], ['cond_out']), makeNode('Mul', ['v', 'half'], ['vh']), makeNode('Add', ['vh', 'a'], ['v_out'])],
    inputs: [makeValueInfo('iter', 'int64', []), makeValueInfo('cond_in', 'bool', []), makeValueInfo('v', 'float32', ['batch', 4])],
    outputs: [makeValueInfo('cond_out', 'bool', []), makeValueInfo('v_out', 'float32', ['batch', 4])],
    initializers: [makeInitializer('half', tensor('float32', [], f32(0.5)))],
  });
  return makeModel({
    nodes: [
      makeConstant('c', tensor('float32', [4], f32(1, 2, 3, 4))),
      makeNode('Add', ['x', 'c'], ['a'], {}, 'add'),
      makeNode('If', ['flag'], ['branch'], { then_branch: attr.graph(thenBranch), else_branch: attr.graph(elseBranch) }, 'if'),
      makeNode('Relu', ['branch'], ['r'], {}, 'relu'),
      makeNode('Loop', ['trips', '', 'x'], ['looped'], { body: attr.graph(body) }, 'loop'),
      makeNode('Add', ['r', 'looped'], ['out'], {}, 'sum'),
    ],
    inputs: [makeValueInfo('x', 'float32', ['batch', 4]), makeValueInfo('flag', 'bool', [])],
    outputs: [makeValueInfo('out', 'float32', ['batch', 4])],
    initializers: [makeInitializer('c2', tensor('float32', [4], f32(0.5, 0.5, 0.5, 0.5))), makeInitializer('trips', tensor('int64', [], BigInt64Array.of(3n)))],
    opset: 13,
  });
}

const X = f32(0.3, -0.7, 1.9, 4.2, -2.5, 0.01, 7.75, -3.3);

async function run(model: ModelProto, flag: boolean, xType: 'float32' | 'float16' = 'float32'): Promise<ort.Tensor> {
  const s = await ort.InferenceSession.create(encodeModel(model), { logSeverityLevel: 3 });
  const x =
    xType === 'float32'
      ? new ort.Tensor('float32', X, [2, 4])
      : new ort.Tensor(
          'float16',
          Uint16Array.from(X, (v) => halfBits(v)),
          [2, 4],
        );
  const out = await s.run({ x, flag: new ort.Tensor('bool', Uint8Array.of(flag ? 1 : 0), []) });
  await s.release();
  return out['out']!;
}

/** float16 bits of values that are exact in float16 (test helper). */
function halfBits(v: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, v);
  const f = buf.getUint32(0);
  const sign = (f >>> 16) & 0x8000,
    exp = ((f >>> 23) & 0xff) - 112,
    mant = f & 0x7fffff;
  return exp <= 0 ? sign : sign | (exp << 10) | Math.round(mant / 8192);
}

describe('convertToFloat16', () => {
  it('converts Constant nodes, initializers and If/Loop bodies, and still matches fp32', async () => {
    for (const flag of [true, false]) {
      const ref = (await run(controlFlowModel(), flag)).data as Float32Array;
      const m = controlFlowModel();
      const report = convertToFloat16(m);
      const out = await run(m, flag);
      expect(out.type).toBe('float32'); // keepIoTypes default
      const got = out.data as Float32Array;
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(ref[i]!)));
      expect(report.tensorsConverted).toBeGreaterThanOrEqual(5); // c, c2, w_then, k, half
      expect(report.clamped).toEqual([]);
    }
    const m = controlFlowModel();
    convertToFloat16(m);
    const tensors = [
      ...allNodes(m.graph!)
        .filter((n) => n.opType === 'Constant')
        .map((n) => n.attribute[0]!.t!.dataType),
    ];
    expect(new Set(tensors)).toEqual(new Set([DT.FLOAT16]));
    const thenInit = allNodes(m.graph!)
      .find((n) => n.opType === 'If')!
      .attribute.find((a) => a.name === 'then_branch')!.g!.initializer[0]!;
    expect(thenInit.dataType).toBe(DT.FLOAT16);
    expect(declaredElemType(m.graph!.input[0]!)).toBe(DT.FLOAT);
    expect(declaredElemType(m.graph!.output[0]!)).toBe(DT.FLOAT);
  });

  it('makes inputs and outputs float16 with keepIoTypes: false', async () => {
    const m = controlFlowModel();
    convertToFloat16(m, { keepIoTypes: false });
    expect(declaredElemType(m.graph!.input[0]!)).toBe(DT.FLOAT16);
    expect(declaredElemType(m.graph!.output[0]!)).toBe(DT.FLOAT16);
    const out = await run(m, true, 'float16');
    expect(out.type).toBe('float16');
  });

  it('clamps a planted 1e6 weight and reports the count per tensor', async () => {
    const m = controlFlowModel(f32(1e6, -1, -2e5, 3));
    const report = convertToFloat16(m);
    expect(report.clamped).toEqual([{ tensor: 'w_then', count: 2 }]);
    const w = m.graph!.node.find((n) => n.opType === 'If')!.attribute.find((a) => a.name === 'then_branch')!.g!.initializer[0]!;
    const bits = new Uint16Array(w.rawData.slice().buffer);
    expect([...bits].slice(0, 3)).toEqual([0x7bff, halfBits(-1), 0xfbff]); // ±65504 exactly
    // Activations are not clamped: 1.3 × 65504 overflows float16 — the hazard the report warns of.
    const out = (await run(m, true)).data as Float32Array;
    expect(out[0]).toBe(Infinity);
  });

  it('keeps block-listed and excluded ops in float32 with Casts around them', async () => {
    const m = controlFlowModel();
    const report = convertToFloat16(m, { excludeOps: ['Relu'], excludeNodes: ['sum'] });
    expect(report.keptFloat32.map((k) => `${k.node}:${k.reason}`)).toEqual(['relu:excluded by --exclude-ops', 'sum:excluded by --exclude-nodes']);
    const relu = m.graph!.node.find((n) => n.name === 'relu')!;
    const castIn = m.graph!.node.find((n) => n.output[0] === relu.input[0])!;
    expect(castIn.opType).toBe('Cast');
    const ref = (await run(controlFlowModel(), true)).data as Float32Array;
    const got = (await run(m, true)).data as Float32Array;
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i]!, 1);
  });
});
