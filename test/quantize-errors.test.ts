/**
 * `parity quantize` on bad input: typed errors with actionable messages, and never an output file
 * (not even a temp file) left behind.
 */
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { Command } from 'commander';
import { StringStringEntryProtoSchema, TensorProto_DataLocation } from 'onnx-buf';
import { describe, expect, it, vi } from 'vitest';
import { register } from '../src/node/cli/commands/quantize.ts';
import { isParityError } from '../src/kernel/core/errors.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { writeNpz } from '../src/kernel/data/npy.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { encodeModel } from '../src/kernel/onnx/io.ts';

const MNIST = new URL('../models/mnist-cnn/model.onnx', import.meta.url).pathname;
const OCR = new URL('./fixtures/ocr-cls.onnx', import.meta.url).pathname;

async function quantize(args: string[]): Promise<{ code: string; message: string }> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  register(program, () => {});
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['quantize', ...args], { from: 'user' });
  } catch (e) {
    if (isParityError(e)) return { code: e.code, message: e.message };
    throw e;
  } finally {
    out.mockRestore();
  }
  return { code: 'OK', message: '' };
}

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'parity-quantize-'));
}

describe('parity quantize: bad input', () => {
  it('rejects a file that is not ONNX (MODEL_INVALID) and writes nothing', async () => {
    const dir = workdir();
    const bogus = join(dir, 'model.onnx');
    writeFileSync(bogus, writeNpz({ a: tensor('float32', [2], Float32Array.of(1, 2)) }));
    const r = await quantize([bogus, '--to', 'fp16', '--out', join(dir, 'out.onnx')]);
    expect(r.code).toBe('MODEL_INVALID');
    expect(r.message).toMatch(/not an ONNX model: it looks like a zip archive/);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });

  it('rejects an unknown --to with the valid choices (USAGE)', async () => {
    const dir = workdir();
    const r = await quantize([MNIST, '--to', 'int4', '--out', join(dir, 'out.onnx')]);
    expect(r.code).toBe('USAGE');
    expect(r.message).toContain("--to 'int4' is not a quantization target; expected one of 'fp16', 'int8-weight', 'int8-dynamic', 'int8-static'");
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects calibration data whose shapes do not match (INPUT_DATA) and writes nothing', async () => {
    const dir = workdir();
    const calib = join(dir, 'calib.npz');
    writeFileSync(calib, writeNpz({ image: tensor('float32', [4, 1, 27, 27], new Float32Array(4 * 27 * 27)) }));
    const r = await quantize([MNIST, '--to', 'int8-static', '--calibration', calib, '--out', join(dir, 'out.onnx')]);
    expect(r.code).toBe('INPUT_DATA');
    expect(r.message).toMatch(/image.*\[4,1,27,27\].*expects \[batch,1,28,28\]/);
    expect(readdirSync(dir)).toEqual(['calib.npz']);
  });

  it('rejects calibration data keyed by the wrong input name (INPUT_DATA)', async () => {
    const dir = workdir();
    const calib = join(dir, 'calib.npz');
    writeFileSync(calib, writeNpz({ x: tensor('float32', [2, 1, 28, 28], new Float32Array(2 * 784)) }));
    const r = await quantize([MNIST, '--to', 'int8-static', '--calibration', calib, '--out', join(dir, 'out.onnx')]);
    expect(r.code).toBe('INPUT_DATA');
    expect(r.message).toContain("'x'");
  });

  it('requires calibration data for int8-static (USAGE)', async () => {
    const r = await quantize([MNIST, '--to', 'int8-static', '--out', join(workdir(), 'o.onnx')]);
    expect(r.code).toBe('USAGE');
    expect(r.message).toContain('--calibration');
  });

  it('reports a missing external data file (FILE_NOT_FOUND) and writes nothing', async () => {
    const dir = workdir();
    const w = makeInitializer('w', tensor('float32', [2, 2], new Float32Array(4)));
    w.rawData = new Uint8Array(0);
    w.dataLocation = TensorProto_DataLocation.EXTERNAL;
    w.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: 'weights.bin' })];
    const model = makeModel({
      nodes: [makeNode('MatMul', ['x', 'w'], ['y'])],
      inputs: [makeValueInfo('x', 'float32', [1, 2])],
      outputs: [makeValueInfo('y', 'float32', [1, 2])],
      initializers: [w],
    });
    writeFileSync(join(dir, 'model.onnx'), encodeModel(model));
    const r = await quantize([join(dir, 'model.onnx'), '--to', 'int8-weight', '--out', join(dir, 'out.onnx')]);
    expect(r.code).toBe('FILE_NOT_FOUND');
    expect(r.message).toContain("'weights.bin', which is missing");
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });

  it('refuses an op whose opset upgrade it cannot do (MODEL_UNSUPPORTED), writing nothing', async () => {
    const dir = workdir();
    const model = makeModel({
      opset: 9,
      nodes: [makeNode('Upsample', ['x', 's'], ['u'], { mode: attr.string('nearest') }), makeNode('MatMul', ['u', 'w'], ['y'])],
      inputs: [makeValueInfo('x', 'float32', [1, 1, 2, 2])],
      outputs: [makeValueInfo('y', 'float32', [1, 1, 4, 2])],
      initializers: [
        makeInitializer('s', tensor('float32', [4], Float32Array.of(1, 1, 2, 2))),
        makeInitializer('w', tensor('float32', [4, 2], new Float32Array(8).fill(0.5))),
      ],
    });
    writeFileSync(join(dir, 'model.onnx'), encodeModel(model));
    const r = await quantize([join(dir, 'model.onnx'), '--to', 'int8-weight', '--out', join(dir, 'out.onnx')]);
    expect(r.code).toBe('MODEL_UNSUPPORTED');
    expect(r.message).toContain('op Upsample');
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });

  it('writes a validated model for good input, with no temp files left', async () => {
    const dir = workdir();
    copyFileSync(OCR, join(dir, 'ocr.onnx'));
    const r = await quantize([join(dir, 'ocr.onnx'), '--to', 'int8-weight', '--per-channel', '--asymmetric', '--shape', 'x=1,3,48,192', '--json']);
    expect(r.code).toBe('OK');
    expect(readdirSync(dir).sort()).toEqual(['ocr.int8-weight.onnx', 'ocr.onnx']);
  });
});
