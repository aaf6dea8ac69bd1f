import { create, toBinary } from '@bufbuild/protobuf';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { StringStringEntryProtoSchema, TensorProtoSchema, TensorProto_DataLocation, TensorProto_DataType } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { isParityError } from '../src/kernel/core/errors.ts';
import { f32ToF16Array } from '../src/kernel/core/float16.ts';
import { tensor, type Tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeConstant, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { inlineExternalData, readModelFile } from '../src/node/onnx/read-file.ts';
import { protoToTensor, tensorToProto } from '../src/kernel/onnx/tensor-proto.ts';

const OCR = readFileSync(new URL('./fixtures/ocr-cls.onnx', import.meta.url));

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isParityError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a ParityError');
}

/** y = softmax(x · Wᵀ + b), W from an initializer, b from a Constant node. */
function tinyModel(): Uint8Array {
  const w = tensor('float32', [2, 3], new Float32Array([1, 2, 3, -1, 0, 1]));
  return encodeModel(
    makeModel({
      nodes: [
        makeConstant('b', tensor('float32', [2], new Float32Array([0.5, -0.5]))),
        makeNode('Gemm', ['x', 'w', 'b'], ['y'], { transB: attr.int(1) }, 'fc'),
        makeNode('Softmax', ['y'], ['probs'], { axis: attr.int(-1) }),
      ],
      inputs: [makeValueInfo('x', 'float32', ['batch', 3])],
      outputs: [makeValueInfo('probs', 'float32', ['batch', 2])],
      initializers: [makeInitializer('w', w)],
    }),
  );
}

describe('decodeModel / encodeModel', () => {
  it('round-trips a third-party model to identical bytes', () => {
    const model = decodeModel(OCR, 'ocr-cls.onnx');
    expect(model.graph?.node.length).toBeGreaterThan(100);
    expect(Buffer.compare(Buffer.from(encodeModel(model)), OCR)).toBe(0);
  });

  it('builds a model that onnxruntime-node runs', async () => {
    const session = await ort.InferenceSession.create(tinyModel());
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, 0, 0, 0, 0, 1]), [2, 3]) });
    const p = out['probs']!.data as Float32Array;
    // row 0: logits [1.5, -1.5]; row 1: [3.5, 0.5]
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    expect(p[2]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    await session.release();
  });

  const bad: [string, Uint8Array][] = [
    ['an empty file', new Uint8Array(0)],
    ['a truncated model', OCR.subarray(0, 4096)],
    ['a model missing its last bytes', OCR.subarray(0, OCR.length - 3)],
    ['a JSON file', new TextEncoder().encode('{"format": "layers-model", "modelTopology": {}}')],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])],
    ['zeros', new Uint8Array(256)],
    ['text', new TextEncoder().encode('hello world, this is not a model\n')],
    ['a valid protobuf that is not a model', encodeTensorAsBytes()],
  ];
  it.each(bad)('rejects %s with MODEL_INVALID', (_what, bytes) => {
    const { code, message } = codeOf(() => decodeModel(bytes, 'x.onnx'));
    expect(code).toBe('MODEL_INVALID');
    expect(message).toMatch(/^x\.onnx is not an ONNX model: .*expected a ModelProto with a graph and opset_import$/);
  });

  it('says what a JSON file looks like', () => {
    expect(codeOf(() => decodeModel(new TextEncoder().encode('{}'), 'model.json')).message).toContain('JSON');
  });
});

/** A TensorProto's bytes: valid protobuf that decodes as a ModelProto of mismatched fields. */
function encodeTensorAsBytes(): Uint8Array {
  return toBinary(TensorProtoSchema, tensorToProto('w', tensor('float32', [4], new Float32Array([1, 2, 3, 4]))));
}

describe('TensorProto <-> Tensor', () => {
  const cases: Tensor[] = [
    tensor('float32', [2, 2], new Float32Array([1.5, -2, Number.NaN, Infinity])),
    tensor('float16', [3], f32ToF16Array([1, -0.5, 65504])),
    tensor('float64', [2], new Float64Array([Math.PI, -1e300])),
    tensor('int8', [3], new Int8Array([-128, 0, 127])),
    tensor('uint8', [3], new Uint8Array([0, 128, 255])),
    tensor('int32', [2], new Int32Array([-(2 ** 31), 2 ** 31 - 1])),
    tensor('int64', [2], new BigInt64Array([-(2n ** 63n), 2n ** 62n])),
    tensor('bool', [3], new Uint8Array([1, 0, 1])),
    tensor('float32', [], new Float32Array([7])),
    tensor('float32', [0, 4], new Float32Array(0)),
  ];
  it.each(cases.map((t) => [`${t.dtype} [${t.dims.join(',')}]`, t] as const))('round-trips %s through raw_data', (_n, t) => {
    const back = protoToTensor(tensorToProto('t', t));
    expect(back.dtype).toBe(t.dtype);
    expect(back.dims).toEqual(t.dims);
    expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(t.data as ArrayLike<number | bigint>));
  });

  it('reads unaligned raw_data', () => {
    const buf = new Uint8Array(9);
    new DataView(buf.buffer).setFloat32(1, 2.5, true);
    new DataView(buf.buffer).setFloat32(5, -1, true);
    const p = create(TensorProtoSchema, { dims: [2n], dataType: TensorProto_DataType.FLOAT, rawData: buf.subarray(1) });
    expect(Array.from(protoToTensor(p).data as Float32Array)).toEqual([2.5, -1]);
  });

  it('reads the typed fields', () => {
    const T = TensorProto_DataType;
    const read = (init: Parameters<typeof create<typeof TensorProtoSchema>>[1]) =>
      Array.from(protoToTensor(create(TensorProtoSchema, init)).data as ArrayLike<number | bigint>);
    expect(read({ dims: [2n], dataType: T.FLOAT, floatData: [1.25, -3] })).toEqual([1.25, -3]);
    expect(read({ dims: [2n], dataType: T.DOUBLE, doubleData: [0.1, 2] })).toEqual([0.1, 2]);
    expect(read({ dims: [2n], dataType: T.INT64, int64Data: [5n, -7n] })).toEqual([5n, -7n]);
    expect(read({ dims: [2n], dataType: T.INT32, int32Data: [5, -7] })).toEqual([5, -7]);
    expect(read({ dims: [2n], dataType: T.INT8, int32Data: [-5, 100] })).toEqual([-5, 100]);
    expect(read({ dims: [2n], dataType: T.UINT8, int32Data: [0, 255] })).toEqual([0, 255]);
    expect(read({ dims: [2n], dataType: T.BOOL, int32Data: [1, 0] })).toEqual([1, 0]);
    expect(read({ dims: [1n], dataType: T.FLOAT16, int32Data: [0x3c00] })).toEqual([0x3c00]);
  });

  it('rejects unsupported types and wrong lengths with typed errors', () => {
    const T = TensorProto_DataType;
    const str = create(TensorProtoSchema, { name: 's', dims: [1n], dataType: T.STRING, stringData: [new Uint8Array([65])] });
    expect(codeOf(() => protoToTensor(str))).toMatchObject({ code: 'MODEL_UNSUPPORTED', message: expect.stringContaining("'s' has element type STRING") });
    const short = create(TensorProtoSchema, { name: 'w', dims: [3n], dataType: T.FLOAT, rawData: new Uint8Array(8) });
    expect(codeOf(() => protoToTensor(short))).toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('needs 12 bytes') });
    const few = create(TensorProtoSchema, { name: 'v', dims: [3n], dataType: T.FLOAT, floatData: [1] });
    expect(codeOf(() => protoToTensor(few)).code).toBe('MODEL_INVALID');
  });
});

describe('readModelFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-io-'));

  /** The tiny model with `w` moved to an external file `w.bin`. */
  function writeExternal(withData: boolean): string {
    const model = decodeModel(tinyModel());
    const w = model.graph!.initializer[0]!;
    if (withData) writeFileSync(join(dir, 'w.bin'), Buffer.concat([Buffer.alloc(16), Buffer.from(w.rawData)]));
    const entry = (key: string, value: string) => create(StringStringEntryProtoSchema, { key, value });
    w.externalData = [entry('location', 'w.bin'), entry('offset', '16'), entry('length', String(w.rawData.length))];
    w.dataLocation = TensorProto_DataLocation.EXTERNAL;
    w.rawData = new Uint8Array(0);
    const path = join(dir, withData ? 'ext.onnx' : 'ext-missing.onnx');
    writeFileSync(path, encodeModel(model));
    return path;
  }

  it('throws FILE_NOT_FOUND for a missing file', async () => {
    await expect(readModelFile(join(dir, 'nope.onnx'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('throws MODEL_INVALID for a non-ONNX file', async () => {
    const p = join(dir, 'model.json');
    writeFileSync(p, '{"format":"layers-model"}');
    await expect(readModelFile(p)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });

  it('names the tensor and the missing external data file', async () => {
    const err = await readModelFile(writeExternal(false)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect((err as Error).message).toMatch(/tensor 'w' stores its data in 'w\.bin', which is missing/);
  });

  it('finds and inlines external data so the model runs from one buffer', async () => {
    const file = await readModelFile(writeExternal(true));
    expect(file.external).toMatchObject([{ tensor: 'w', location: 'w.bin', offset: 16, length: 24 }]);
    expect(() => protoToTensor(file.model.graph!.initializer[0]!)).toThrow(/external file/);
    const model = await inlineExternalData(file);
    const session = await ort.InferenceSession.create(encodeModel(model));
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, 0, 0]), [1, 3]) });
    expect((out['probs']!.data as Float32Array)[0]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    await session.release();
  });
});
