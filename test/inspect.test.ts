import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeConstant, makeGraph, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { encodeModel } from '../src/kernel/onnx/io.ts';
import { formatInspect, inspectModel } from '../src/kernel/onnx/inspect.ts';

const OCR = new Uint8Array(readFileSync(new URL('./fixtures/ocr-cls.onnx', import.meta.url)));

/** x[batch, 4] → Gemm → If(cond, then: Relu, else: Neg(Abs)) → y; one constant inside a subgraph. */
function branchyModel(): Uint8Array {
  const f32 = (dims: number[], values: number[]) => tensor('float32', dims, new Float32Array(values));
  const thenBranch = makeGraph({
    name: 'then',
    nodes: [makeNode('Relu', ['h'], ['t_out'])],
    inputs: [],
    outputs: [makeValueInfo('t_out', 'float32', ['batch', 2])],
  });
  const elseBranch = makeGraph({
    name: 'else',
    nodes: [makeConstant('two', f32([1], [2])), makeNode('Abs', ['h'], ['a']), makeNode('Mul', ['a', 'two'], ['m']), makeNode('Neg', ['m'], ['e_out'])],
    inputs: [],
    outputs: [makeValueInfo('e_out', 'float32', ['batch', 2])],
  });
  return encodeModel(
    makeModel({
      nodes: [
        makeNode('Gemm', ['x', 'w', 'b'], ['h'], { transB: attr.int(1) }),
        makeNode('If', ['cond'], ['y'], { then_branch: attr.graph(thenBranch), else_branch: attr.graph(elseBranch) }),
      ],
      inputs: [makeValueInfo('x', 'float32', ['batch', 4]), makeValueInfo('cond', 'bool', []), makeValueInfo('w', 'float32', [2, 4])],
      outputs: [makeValueInfo('y', 'float32', ['batch', 2])],
      initializers: [makeInitializer('w', f32([2, 4], [1, 0, 0, 0, 0, 1, 0, 0])), makeInitializer('b', f32([2], [0, -10]))],
      extraOpsets: { 'com.microsoft': 1 },
      producer: 'unit-test',
    }),
  );
}

describe('inspectModel', () => {
  it('summarises a built model, subgraphs included', async () => {
    const bytes = branchyModel();
    const r = inspectModel(bytes, 'branchy.onnx');
    expect(r).toMatchObject({
      name: 'branchy.onnx',
      irVersion: 7,
      opsets: [
        { domain: '', version: 13 },
        { domain: 'com.microsoft', version: 1 },
      ],
      producer: 'unit-test 0.1.0',
      // `w` is listed as a graph input but has an initializer: not a runtime input
      inputs: [
        { name: 'x', dtype: 'float32', dims: ['batch', 4] },
        { name: 'cond', dtype: 'bool', dims: [] },
      ],
      outputs: [{ name: 'y', dtype: 'float32', dims: ['batch', 2] }],
      opHistogram: { Abs: 1, Constant: 1, Gemm: 1, If: 1, Mul: 1, Neg: 1, Relu: 1 },
      nodeCount: 7,
      initializerCount: 2,
      parameterCount: 8 + 2 + 1,
      bytes: bytes.length,
    });
    // and the model is real: onnxruntime runs both branches
    const s = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor('float32', new Float32Array([3, 4, 0, 0]), [1, 4]);
    const run = async (c: boolean) => Array.from((await s.run({ x, cond: new ort.Tensor('bool', [c], []) }))['y']!.data as Float32Array);
    expect(await run(true)).toEqual([3, 0]);
    expect(await run(false)).toEqual([-6, -12]);
    await s.release();
  });

  it('summarises a third-party model (PaddleOCR direction classifier)', () => {
    const r = inspectModel(OCR, 'ocr-cls.onnx');
    expect(r.irVersion).toBe(8);
    expect(r.opsets).toEqual([{ domain: '', version: 9 }]);
    expect(r.inputs).toEqual([{ name: 'x', dtype: 'float32', dims: ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'] }]);
    expect(r.outputs).toEqual([{ name: 'softmax_0.tmp_0', dtype: 'float32', dims: ['p2o.DynamicDimension.3', 2] }]);
    expect(r.initializerCount).toBe(0); // weights are Constant nodes in this export
    expect(r.opHistogram['Constant']).toBe(250);
    expect(r.opHistogram['HardSigmoid']).toBe(9);
    expect(r.opHistogram['Conv']).toBe(53);
    expect(r.nodeCount).toBe(471);
    expect(r.parameterCount).toBe(133_665);
    expect(r.bytes).toBe(578_966);
    const text = formatInspect(r);
    expect(text).toContain('x  float32 [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2]');
    expect(text).toMatch(/HardSigmoid\s+9/);
    expect(text).toContain('133,665 parameters');
  });

  it('rejects non-ONNX bytes with MODEL_INVALID', () => {
    expect(() => inspectModel(new TextEncoder().encode('{"a":1}'), 'a.json')).toThrow(/a\.json is not an ONNX model/);
  });
});
